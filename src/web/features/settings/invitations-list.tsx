import { Button, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api/client.ts'
import { queryKeys } from '../../api/queries.ts'
import { roleLabel } from '../../api/roles.ts'
import type { Invitation, Page } from '../../api/types.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'

/** Invitations not yet accepted; an admin can revoke one so its link stops working. */
export function InvitationsList() {
  const queryClient = useQueryClient()
  const [revoking, setRevoking] = useState<Invitation | null>(null)
  const query = useQuery({
    queryKey: queryKeys.invitations,
    queryFn: () => api.get<Page<Invitation>>('/api/v1/invitations'),
  })
  const revoke = useMutation({
    mutationFn: (invitation: Invitation) =>
      api.delete(`/api/v1/invitations/${encodeURIComponent(invitation.id)}`),
    onSuccess: async (_result, invitation) => {
      setRevoking(null)
      notifySuccess(`Invitation for ${invitation.email} revoked.`)
      await queryClient.invalidateQueries({ queryKey: queryKeys.invitations })
    },
  })

  const invitations = query.data?.data.filter((invitation) => invitation.status === 'pending')

  return (
    <Stack gap="sm">
      <Text fw={600} component="h3">
        Pending invitations
      </Text>
      {query.isPending ? (
        <LoadingRows label="Loading invitations" rows={1} />
      ) : query.error ? (
        <ErrorAlert
          title="Could not load invitations"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : !invitations || invitations.length === 0 ? (
        <Text size="sm" c="dimmed">
          No pending invitations. Invite someone above: they get a link to join this workspace with
          the role you choose.
        </Text>
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" aria-label="Pending invitations">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Invited by</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invitations.map((invitation) => (
                  <Table.Tr key={invitation.id}>
                    <Table.Td id={`invitation-email-${invitation.id}`}>{invitation.email}</Table.Td>
                    <Table.Td>{roleLabel(invitation.role)}</Table.Td>
                    <Table.Td>{invitation.invitedBy?.name ?? '—'}</Table.Td>
                    <Table.Td>{formatDate(invitation.expiresAt)}</Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-describedby={`invitation-email-${invitation.id}`}
                        onClick={() => {
                          revoke.reset()
                          setRevoking(invitation)
                        }}
                      >
                        Revoke
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke invitation"
        confirmLabel="Revoke invitation"
        loading={revoke.isPending}
        error={revoke.error}
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking)
        }}
      >
        Revoke the invitation for {revoking?.email}? Its link will stop working; you can invite them
        again later.
      </ConfirmModal>
    </Stack>
  )
}
