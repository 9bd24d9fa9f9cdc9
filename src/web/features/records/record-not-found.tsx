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
    const details = error.details as { mergedInto?: unknown } | null | undefined
    // A merged record points at the one that absorbed it (issue 4).
    if (typeof details?.mergedInto === 'string') {
      return (
        <Stack maw={560}>
          <Title order={1}>This {noun} was merged</Title>
          <Text>
            Its activities, touches and history now belong to the {noun} it was merged into.
          </Text>
          <Anchor component={Link} to={`${listPath}/${encodeURIComponent(details.mergedInto)}`}>
            Open the merged {noun}
          </Anchor>
        </Stack>
      )
    }
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
