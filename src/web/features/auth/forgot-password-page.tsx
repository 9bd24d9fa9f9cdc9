import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core'
import { IconMailForward } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { requestPasswordReset } from './auth-api.ts'
import { AuthLayout } from './auth-layout.tsx'

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('')
  const mutation = useMutation({ mutationFn: requestPasswordReset })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    mutation.mutate(email.trim())
  }

  return (
    <AuthLayout
      title="Reset your password"
      subtitle="We will send a link to choose a new password."
    >
      {mutation.isSuccess ? (
        <Stack>
          <Alert
            color="teal"
            variant="light"
            title="Check your email"
            icon={<IconMailForward aria-hidden="true" />}
            role="status"
          >
            If an account exists for {mutation.variables}, a link to choose a new password is on its
            way. It expires in one hour. If this server has no email set up, an administrator can
            find the link in the server log.
          </Alert>
          <Anchor component={Link} to="/sign-in" ta="center">
            Back to sign in
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={onSubmit}>
          <Stack>
            {mutation.error ? (
              <ErrorAlert title="Could not send the link" error={mutation.error} />
            ) : null}
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              required
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <Button type="submit" loading={mutation.isPending} fullWidth>
              Send reset link
            </Button>
            <Text size="sm" ta="center">
              Remembered it?{' '}
              <Anchor component={Link} to="/sign-in">
                Back to sign in
              </Anchor>
            </Text>
          </Stack>
        </form>
      )}
    </AuthLayout>
  )
}
