import {
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api/client.ts'
import { queryKeys } from '../../api/queries.ts'
import { hasPermission, roleLabel } from '../../api/roles.ts'
import type { ApiKey } from '../../api/types.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { useMe } from '../shell/me-context.tsx'
import { CreateApiKeyModal } from './create-api-key-modal.tsx'

export function ApiKeysPage() {
  useDocumentTitle('API keys')
  const me = useMe()
  const canManage = hasPermission(me, 'api_keys:manage')
  const [creating, { open, close }] = useDisclosure(false)
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>API keys</Title>
        {canManage ? (
          <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={open}>
            Create API key
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        Keys let scripts, the CLI and other tools call Tandem's API in this workspace.
      </Text>
      {canManage ? (
        <>
          <ApiKeysTable />
          <CreateApiKeyModal opened={creating} onClose={close} />
        </>
      ) : (
        <AdminOnly>Only admins can create, view or revoke API keys.</AdminOnly>
      )}
    </Stack>
  )
}

function ApiKeysTable() {
  const queryClient = useQueryClient()
  const [revoking, setRevoking] = useState<ApiKey | null>(null)
  const list = useCursorList<ApiKey>(queryKeys.apiKeys, '/api/v1/api-keys')
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => api.delete(`/api/v1/api-keys/${encodeURIComponent(key.id)}`),
    onSuccess: async (_result, key) => {
      setRevoking(null)
      notifySuccess(`API key “${key.name}” revoked.`)
      await queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys })
    },
  })

  if (list.isPending) return <LoadingRows label="Loading API keys" />
  if (list.error) {
    return (
      <ErrorAlert
        title="Could not load API keys"
        error={list.error}
        onRetry={() => void list.refetch()}
      />
    )
  }
  if (list.items.length === 0) {
    return (
      <Paper withBorder p="xl" ta="center">
        <Text fw={600}>No API keys yet</Text>
        <Text size="sm" c="dimmed" mt={4}>
          Use “Create API key” to make one for each tool that needs access, so you can revoke them
          one by one.
        </Text>
      </Paper>
    )
  }

  return (
    <Stack gap="sm">
      <Paper withBorder>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((key) => (
                <Table.Tr key={key.id}>
                  <Table.Td id={`api-key-name-${key.id}`}>{key.name}</Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {key.prefix}…
                    </Text>
                  </Table.Td>
                  <Table.Td>{roleLabel(key.role)}</Table.Td>
                  <Table.Td>
                    {formatDate(key.createdAt)}
                    {key.createdBy ? (
                      <Text size="xs" c="dimmed">
                        by {key.createdBy.name}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never'}</Table.Td>
                  <Table.Td>
                    {key.revokedAt ? (
                      <Badge color="gray" variant="light">
                        Revoked {formatDate(key.revokedAt)}
                      </Badge>
                    ) : (
                      <Badge color="teal" variant="light">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {key.revokedAt ? null : (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-describedby={`api-key-name-${key.id}`}
                        onClick={() => {
                          revoke.reset()
                          setRevoking(key)
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {list.hasNextPage ? (
        <Group justify="center">
          <Button
            variant="default"
            onClick={() => void list.fetchNextPage()}
            loading={list.isFetchingNextPage}
          >
            Load more
          </Button>
        </Group>
      ) : null}
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke API key"
        confirmLabel="Revoke key"
        loading={revoke.isPending}
        error={revoke.error}
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking)
        }}
      >
        Revoke “{revoking?.name}” ({revoking?.prefix}…)? Anything using it stops working at once.
        This cannot be undone.
      </ConfirmModal>
    </Stack>
  )
}
