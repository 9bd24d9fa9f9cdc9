import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router'
import { useHealth, useSession } from '../../api/queries.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { PageLoader } from '../../components/page-loader.tsx'
import { PasswordField } from '../../components/password-field.tsx'
import { safeNext, signIn } from './auth-api.ts'
import { AuthLayout } from './auth-layout.tsx'
import { DemoNote } from './demo-note.tsx'

export function SignInPage() {
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const session = useSession()
  const health = useHealth()
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const [email, setEmail] = useState(params.get('email') ?? '')
  const [password, setPassword] = useState('')
  const mutation = useMutation({
    mutationFn: signIn,
    onSuccess: () => {
      queryClient.clear()
      void navigate(next, { replace: true })
    },
  })

  if (session.data && !mutation.isPending) return <Navigate to={next} replace />
  // The demo note depends on /api/health: wait for that one quick answer so the page is complete.
  if (health.isPending) {
    return (
      <AuthLayout title="Sign in to Tandem">
        <PageLoader />
      </AuthLayout>
    )
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    mutation.mutate({ email: email.trim(), password })
  }
  const withNext = params.get('next') ? `?next=${encodeURIComponent(next)}` : ''

  return (
    <AuthLayout title="Sign in to Tandem">
      <form onSubmit={onSubmit}>
        <Stack>
          {mutation.error ? <ErrorAlert title="Could not sign in" error={mutation.error} /> : null}
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordField
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Anchor component={Link} to="/forgot-password" size="sm">
              Forgot your password?
            </Anchor>
          </Group>
          <Button type="submit" loading={mutation.isPending} fullWidth>
            Sign in
          </Button>
          <Text size="sm" ta="center">
            New to Tandem?{' '}
            <Anchor component={Link} to={`/sign-up${withNext}`}>
              Create an account
            </Anchor>
          </Text>
          {health.data?.demo ? <DemoNote /> : null}
        </Stack>
      </form>
    </AuthLayout>
  )
}
