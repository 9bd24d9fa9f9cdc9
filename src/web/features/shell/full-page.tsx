import { Box, Center, Loader, VisuallyHidden } from '@mantine/core'
import { ErrorAlert } from '../../components/error-alert.tsx'

export function FullPageLoader() {
  return (
    <Center component="main" mih="100vh">
      <Loader />
      <VisuallyHidden role="status">Loading Tandem</VisuallyHidden>
    </Center>
  )
}

export function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <Center component="main" mih="100vh" px="md">
      <Box maw={480} w="100%">
        <ErrorAlert title="Tandem could not load" error={error} onRetry={onRetry} />
      </Box>
    </Center>
  )
}
