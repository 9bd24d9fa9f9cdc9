import { Anchor, Button, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router'
import { useSession } from '../../api/queries.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { PasswordField } from '../../components/password-field.tsx'
import { safeNext, signUp } from './auth-api.ts'
import { AuthLayout } from './auth-layout.tsx'

const minPasswordLength = 8

export function SignUpPage() {
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const session = useSession()
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const [email, setEmail] = useState(params.get('email') ?? '')
  const [password, setPassword] = useState('')
  const [passwordError, setPasswordError] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: signUp,
    onSuccess: () => {
      queryClient.clear()
      void navigate(next, { replace: true })
    },
  })

  if (session.data && !mutation.isPending) return <Navigate to={next} replace />

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (password.length < minPasswordLength) {
      setPasswordError(`Use at least ${minPasswordLength} characters.`)
      return
    }
    setPasswordError(null)
    mutation.mutate({ name: name.trim(), email: email.trim(), password })
  }
  const withNext = params.get('next') ? `?next=${encodeURIComponent(next)}` : ''

  return (
    <AuthLayout
      title="Create your Tandem account"
      subtitle="Then create a workspace, or accept an invitation to join one."
    >
      <form onSubmit={onSubmit}>
        <Stack>
          {mutation.error ? (
            <ErrorAlert title="Could not create the account" error={mutation.error} />
          ) : null}
          <TextInput
            label="Name"
            autoComplete="name"
            required
            autoFocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordField
            label="Password"
            description={`At least ${minPasswordLength} characters`}
            autoComplete="new-password"
            required
            value={password}
            error={passwordError}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={mutation.isPending} fullWidth>
            Create account
          </Button>
          <Text size="sm" ta="center">
            Already have an account?{' '}
            <Anchor component={Link} to={`/sign-in${withNext}`}>
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  )
}
