import { Skeleton, Stack, VisuallyHidden } from '@mantine/core'

/** Placeholder rows while a list loads; announced once to screen readers as a status. */
export function LoadingRows({
  label,
  rows = 3,
  height = 40,
}: {
  label: string
  rows?: number
  height?: number
}) {
  return (
    <Stack role="status" aria-busy="true" gap="xs">
      <VisuallyHidden>{label}</VisuallyHidden>
      {Array.from({ length: rows }, (_, index) => `row-${index}`).map((key) => (
        <Skeleton key={key} h={height} />
      ))}
    </Stack>
  )
}
