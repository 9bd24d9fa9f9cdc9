import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate, useParams } from 'react-router'
import { getData, postData, setStoredWorkspaceId } from '../../api/client.ts'
import { queryKeys, useSession } from '../../api/queries.ts'
import { roleLabel } from '../../api/roles.ts'
import type { InvitationPreview } from '../../api/types.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { notifySuccess } from '../../components/notify.ts'
import { PageLoader } from '../../components/page-loader.tsx'
import { signOut } from './auth-api.ts'
import { AuthLayout } from './auth-layout.tsx'

const statusText: Record<InvitationPreview['status'], string> = {
  pending: '',
  accepted: 'This invitation has already been accepted.',
  revoked: 'This invitation was revoked. Ask an admin of the workspace for a new one.',
  expired: 'This invitation has expired. Ask an admin of the workspace for a new one.',
}

export function AcceptInvitationPage() {
  const { token = '' } = useParams()
  const session = useSession()
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const preview = useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: () =>
      getData<InvitationPreview>(`/api/v1/invitations/by-token/${encodeURIComponent(token)}`),
  })
  const accept = useMutation({
    mutationFn: () => postData<{ workspaceId: string }>('/api/v1/invitations/accept', { token }),
    onSuccess: async (data) => {
      setStoredWorkspaceId(data.workspaceId)
      await queryClient.resetQueries()
      notifySuccess(`You joined ${preview.data?.workspaceName ?? 'the workspace'}.`)
      void navigate('/microscope', { replace: true })
    },
  })
  const leave = useMutation({
    mutationFn: signOut,
    onSuccess: () => {
      setStoredWorkspaceId(null)
      queryClient.setQueryData(queryKeys.session, null)
    },
  })

  if (preview.isPending || session.isPending) {
    return (
      <AuthLayout title="Invitation">
        <PageLoader label="Loading the invitation" />
      </AuthLayout>
    )
  }
  if (preview.error) {
    return (
      <AuthLayout title="Invitation">
        <ErrorAlert title="This invitation cannot be opened" error={preview.error} />
      </AuthLayout>
    )
  }

  const invitation = preview.data
  const next = `/invite/${encodeURIComponent(token)}`
  const query = `?next=${encodeURIComponent(next)}&email=${encodeURIComponent(invitation.email)}`
  const user = session.data?.user
  const emailMatches = user?.email.toLowerCase() === invitation.email.toLowerCase()

  return (
    <AuthLayout title={`Join ${invitation.workspaceName}`}>
      <Stack>
        <Text>
          {invitation.email} is invited to join <strong>{invitation.workspaceName}</strong> on
          Tandem as <strong>{roleLabel(invitation.role)}</strong>.
        </Text>
        {invitation.status !== 'pending' ? (
          <Alert color="yellow" variant="light" role="status">
            {statusText[invitation.status]}
          </Alert>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              The invitation expires on {formatDateTime(invitation.expiresAt)}.
            </Text>
            {accept.error ? (
              <ErrorAlert title="Could not accept the invitation" error={accept.error} />
            ) : null}
            {leave.error ? <ErrorAlert title="Could not sign out" error={leave.error} /> : null}
            {!user ? (
              <Stack gap="xs">
                <Text size="sm">Sign in or create an account with that email to accept.</Text>
                <Group grow>
                  <Button component={Link} to={`/sign-in${query}`}>
                    Sign in to accept
                  </Button>
                  <Button component={Link} to={`/sign-up${query}`} variant="default">
                    Create an account
                  </Button>
                </Group>
              </Stack>
            ) : emailMatches ? (
              <Button onClick={() => accept.mutate()} loading={accept.isPending}>
                Accept invitation
              </Button>
            ) : (
              <Stack gap="xs">
                <Alert color="yellow" variant="light" role="status">
                  You are signed in as {user.email}, but this invitation is for {invitation.email}.
                  Sign out, then sign in with the invited email.
                </Alert>
                <Button variant="default" onClick={() => leave.mutate()} loading={leave.isPending}>
                  Sign out
                </Button>
              </Stack>
            )}
          </>
        )}
      </Stack>
    </AuthLayout>
  )
}
