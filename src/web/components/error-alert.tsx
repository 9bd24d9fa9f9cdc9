import { Alert, Button, Group } from '@mantine/core'
import { IconAlertCircle } from '@tabler/icons-react'
import { errorMessage } from '../api/client.ts'

interface ErrorAlertProps {
  error: unknown
  title?: string
  onRetry?: () => void
}

/** Shows the API's own `message`, so people read what went wrong in the server's words. */
export function ErrorAlert({ error, title = 'Something went wrong', onRetry }: ErrorAlertProps) {
  return (
    <Alert
      color="red"
      variant="light"
      title={title}
      icon={<IconAlertCircle aria-hidden="true" />}
      role="alert"
    >
      {errorMessage(error)}
      {onRetry ? (
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      ) : null}
    </Alert>
  )
}
