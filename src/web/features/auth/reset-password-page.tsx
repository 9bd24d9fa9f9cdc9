import { Alert, Anchor, Button, Stack } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { PasswordField } from '../../components/password-field.tsx'
import { resetPassword } from './auth-api.ts'
import { AuthLayout } from './auth-layout.tsx'

const minPasswordLength = 8

export function ResetPasswordPage() {
  const [params] = useSearchParams()
  const token = params.get('token')
  const linkError = params.get('error')
  const navigate = useNavigate()
  const [password, setPassword] = useState('')
  const [passwordError, setPasswordError] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: resetPassword,
    onSuccess: () => {
      notifySuccess('Sign in with your new password.', 'Password changed')
      void navigate('/sign-in', { replace: true })
    },
  })

  if (!token || linkError) {
    return (
      <AuthLayout title="Reset your password">
        <Stack>
          <Alert color="red" variant="light" title="This link does not work" role="alert">
            The reset link is invalid or has expired. Links work once, for one hour.
          </Alert>
          <Anchor component={Link} to="/forgot-password" ta="center">
            Ask for a new link
          </Anchor>
        </Stack>
      </AuthLayout>
    )
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (password.length < minPasswordLength) {
      setPasswordError(`Use at least ${minPasswordLength} characters.`)
      return
    }
    setPasswordError(null)
    mutation.mutate({ newPassword: password, token })
  }

  return (
    <AuthLayout title="Choose a new password">
      <form onSubmit={onSubmit}>
        <Stack>
          {mutation.error ? (
            <ErrorAlert title="Could not change the password" error={mutation.error} />
          ) : null}
          <PasswordField
            label="New password"
            description={`At least ${minPasswordLength} characters`}
            autoComplete="new-password"
            required
            autoFocus
            value={password}
            error={passwordError}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={mutation.isPending} fullWidth>
            Set new password
          </Button>
          <Anchor component={Link} to="/sign-in" ta="center" size="sm">
            Back to sign in
          </Anchor>
        </Stack>
      </form>
    </AuthLayout>
  )
}
