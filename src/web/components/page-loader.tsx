import { Center, Loader, VisuallyHidden } from '@mantine/core'

export function PageLoader({ label = 'Loading' }: { label?: string }) {
  return (
    <Center mih={240} role="status">
      <Loader />
      <VisuallyHidden>{label}</VisuallyHidden>
    </Center>
  )
}
