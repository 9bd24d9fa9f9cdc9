import { Badge, Button, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { queryKeys } from '../../api/queries.ts'
import { hasPermission } from '../../api/roles.ts'
import type { ActorType, AuditEntry } from '../../api/types.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { useMe } from '../shell/me-context.tsx'

const actorTypeLabels: Record<ActorType, string> = {
  user: 'Person',
  api_key: 'API key',
  cli: 'CLI',
  system: 'System',
}

export function AuditLogPage() {
  useDocumentTitle('Audit log')
  const me = useMe()
  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Text size="sm" c="dimmed">
        Every change to this workspace's settings, members and API keys, newest first.
      </Text>
      {hasPermission(me, 'audit:read') ? (
        <AuditLogTable />
      ) : (
        <AdminOnly>Only admins can read the audit log.</AdminOnly>
      )}
    </Stack>
  )
}

function Target({ entry }: { entry: AuditEntry }) {
  if (!entry.targetType) return <Text c="dimmed">—</Text>
  return (
    <Text size="sm">
      {entry.targetType.replaceAll('_', ' ')}
      {entry.targetId ? (
        <Code ml={6} fz="xs">
          {entry.targetId}
        </Code>
      ) : null}
    </Text>
  )
}

function AuditLogTable() {
  const list = useCursorList<AuditEntry>(queryKeys.auditLog, '/api/v1/audit-log')

  if (list.isPending) return <LoadingRows label="Loading the audit log" rows={6} />
  if (list.error) {
    return (
      <ErrorAlert
        title="Could not load the audit log"
        error={list.error}
        onRetry={() => void list.refetch()}
      />
    )
  }
  if (list.items.length === 0) {
    return (
      <Paper withBorder p="xl" ta="center">
        <Text fw={600}>Nothing recorded yet</Text>
        <Text size="sm" c="dimmed" mt={4}>
          Change a setting, invite a member or create an API key, and it will be listed here with
          who did it and when.
        </Text>
      </Paper>
    )
  }

  return (
    <Stack gap="sm">
      <Paper withBorder>
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" aria-label="Audit log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Target</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={entry.at} title={entry.at}>
                      {formatDateTime(entry.at)}
                    </time>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm">{entry.actor.name ?? actorTypeLabels[entry.actor.type]}</Text>
                      {entry.actor.type === 'user' || entry.actor.name === null ? null : (
                        <Badge size="xs" variant="light" color="gray">
                          {actorTypeLabels[entry.actor.type]}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Code fz="xs">{entry.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Target entry={entry} />
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
      ) : (
        <Text size="xs" c="dimmed" ta="center">
          That is everything.
        </Text>
      )}
    </Stack>
  )
}
