import { Anchor, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { isApiError } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'

/** A record that is gone (deleted, or never existed) is said plainly, with the way back. */
export function RecordLoadError({
  error,
  noun,
  listPath,
  onRetry,
}: {
  error: unknown
  noun: string
  listPath: string
  onRetry: () => void
}) {
  if (isApiError(error, 404)) {
    return (
      <Stack maw={560}>
        <Title order={1}>This {noun} is not here</Title>
        <Text>
          It may have been moved to the Trash (Settings, Trash restores it within 30 days) or the
          link is mistyped.
        </Text>
        <Anchor component={Link} to={listPath}>
          Back to all {noun}s
        </Anchor>
      </Stack>
    )
  }
  return <ErrorAlert title={`Could not load the ${noun}`} error={error} onRetry={onRetry} />
}
