import {
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, getPage, patchData } from '../../api/client.ts'
import { queryKeys } from '../../api/queries.ts'
import { isRole, roleLabel, roleOptions } from '../../api/roles.ts'
import type { Member, Role } from '../../api/types.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { useMe } from '../shell/me-context.tsx'

const pageSize = 25

/** Members, one page at a time (cursor pagination); admins change roles and remove people. */
export function MembersTable({ canManage }: { canManage: boolean }) {
  const me = useMe()
  const queryClient = useQueryClient()
  const [cursors, setCursors] = useState<(string | null)[]>([null])
  const cursor = cursors[cursors.length - 1] ?? null
  const [removing, setRemoving] = useState<Member | null>(null)
  const query = useQuery({
    queryKey: [...queryKeys.members, cursor],
    queryFn: () => getPage<Member>('/api/v1/members', pageSize, cursor),
    placeholderData: keepPreviousData,
  })
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: queryKeys.members })
    await queryClient.invalidateQueries({ queryKey: queryKeys.me })
  }
  const changeRole = useMutation({
    mutationFn: (input: { member: Member; role: Role }) =>
      patchData<Member>(`/api/v1/members/${encodeURIComponent(input.member.userId)}`, {
        role: input.role,
      }),
    onSuccess: async (member) => {
      notifySuccess(`${member.name} is now ${roleLabel(member.role)}.`)
      await refresh()
    },
    onError: (error) => {
      notifyError('Role not changed', error)
    },
  })
  const remove = useMutation({
    mutationFn: (member: Member) =>
      api.delete(`/api/v1/members/${encodeURIComponent(member.userId)}`),
    onSuccess: async (_result, member) => {
      setRemoving(null)
      notifySuccess(`${member.name} was removed from the workspace.`)
      await refresh()
    },
  })

  if (query.isPending) {
    return <LoadingRows label="Loading members" rows={5} />
  }
  if (query.error) {
    return (
      <ErrorAlert
        title="Could not load members"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    )
  }

  const members = query.data.data
  const pageNumber = cursors.length
  return (
    <Stack gap="sm">
      <Text fw={600} component="h3">
        People in {me.workspace.name}
      </Text>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" aria-label="Members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Joined</Table.Th>
                {canManage ? (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((member) => (
                <Table.Tr key={member.userId}>
                  <Table.Td id={`member-name-${member.userId}`}>
                    {member.name}
                    {member.userId === me.user?.id ? (
                      <Badge ml="xs" size="xs" variant="light">
                        You
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{member.email}</Table.Td>
                  <Table.Td>
                    {canManage ? (
                      <NativeSelect
                        aria-label={`Access level of ${member.name}`}
                        data={roleOptions}
                        value={member.role}
                        disabled={
                          changeRole.isPending &&
                          changeRole.variables?.member.userId === member.userId
                        }
                        onChange={(event) => {
                          const role = event.currentTarget.value
                          if (isRole(role)) changeRole.mutate({ member, role })
                        }}
                        w={170}
                        size="xs"
                      />
                    ) : (
                      roleLabel(member.role)
                    )}
                  </Table.Td>
                  <Table.Td>{formatDate(member.joinedAt)}</Table.Td>
                  {canManage ? (
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-describedby={`member-name-${member.userId}`}
                        onClick={() => {
                          remove.reset()
                          setRemoving(member)
                        }}
                      >
                        Remove
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {members.length === 0 ? (
        <Text size="sm" c="dimmed">
          No members on this page.
        </Text>
      ) : null}
      {pageNumber > 1 || query.data.nextCursor ? (
        <Group justify="space-between">
          <Button
            variant="default"
            size="xs"
            disabled={pageNumber === 1}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            Previous page
          </Button>
          <Text size="sm" c="dimmed" aria-live="polite">
            Page {pageNumber}
          </Text>
          <Button
            variant="default"
            size="xs"
            disabled={!query.data.nextCursor || query.isPlaceholderData}
            onClick={() => {
              const next = query.data.nextCursor
              if (next) setCursors([...cursors, next])
            }}
          >
            Next page
          </Button>
        </Group>
      ) : null}
      <ConfirmModal
        opened={removing !== null}
        title="Remove member"
        confirmLabel="Remove member"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) remove.mutate(removing)
        }}
      >
        Remove {removing?.name} ({removing?.email}) from {me.workspace.name}? They lose access to
        this workspace at once.
      </ConfirmModal>
    </Stack>
  )
}
