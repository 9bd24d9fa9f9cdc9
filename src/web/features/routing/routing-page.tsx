import {
  ActionIcon,
  Button,
  Divider,
  Group,
  Modal,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, patchData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { RepsSection } from './reps-section.tsx'
import {
  describeCondition,
  type RoutingRule,
  routingKeys,
  useCanManageRouting,
  useRoutingRules,
} from './routing-api.ts'
import { RuleForm } from './rule-form.tsx'

const ruleUrl = (rule: RoutingRule) => `/api/v1/routing/rules/${encodeURIComponent(rule.id)}`

/** Settings → Routing: which team gets which MQL, and how leads rotate among its reps. */
export function RoutingPage() {
  useDocumentTitle('Routing')
  const canManage = useCanManageRouting()
  return (
    <Stack gap="xl">
      <Stack>
        <Title order={2}>Routing</Title>
        <Text size="sm" c="dimmed">
          Every MQL becomes a handoff. Rules are tried from the top: the first active rule whose
          conditions all hold names the team, and round robin gives the lead to the team's rep who
          has waited longest. With no matching rule or no available rep, the handoff waits in the
          unassigned queue and admins are alerted.
        </Text>
        {canManage ? null : (
          <AdminOnly>Only sales managers and admins can change routing.</AdminOnly>
        )}
      </Stack>
      <RulesSection canManage={canManage} />
      <Divider />
      <RepsSection canManage={canManage} />
    </Stack>
  )
}

function RulesSection({ canManage }: { canManage: boolean }) {
  const queryClient = useQueryClient()
  const rules = useRoutingRules()
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null)
  const [deleting, setDeleting] = useState<RoutingRule | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: routingKeys.rules })
  const reorder = useMutation({
    mutationFn: (ids: string[]) => api.post('/api/v1/routing/rules/reorder', { ids }),
    onSuccess: refresh,
    onError: (error) => notifyError('Order not saved', error),
  })
  const toggle = useMutation({
    mutationFn: (rule: RoutingRule) => patchData(ruleUrl(rule), { isActive: !rule.isActive }),
    onSuccess: refresh,
    onError: (error) => notifyError('Not saved', error),
  })
  const remove = useMutation({
    mutationFn: (rule: RoutingRule) => api.delete(ruleUrl(rule)),
    onSuccess: async (_r, rule) => {
      notifySuccess(`Routing rule “${rule.name}” deleted.`)
      setDeleting(null)
      await refresh()
    },
  })
  const move = (list: RoutingRule[], index: number, by: -1 | 1) => {
    const ids = list.map((r) => r.id)
    const [moved] = ids.splice(index, 1)
    if (moved === undefined) return
    ids.splice(index + by, 0, moved)
    reorder.mutate(ids)
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>Rules</Title>
        {canManage ? (
          <Button
            leftSection={<IconPlus size={16} aria-hidden="true" />}
            onClick={() => setEditing('new')}
          >
            New rule
          </Button>
        ) : null}
      </Group>
      {rules.isPending ? (
        <LoadingRows label="Loading routing rules" />
      ) : rules.error ? (
        <ErrorAlert
          title="Could not load routing rules"
          error={rules.error}
          onRetry={() => void rules.refetch()}
        />
      ) : rules.data.length === 0 ? (
        <EmptyState title="No routing rules yet">
          No routing rules yet: every MQL goes to the unassigned queue. Add a rule, e.g. “Europe”
          for country is one of DE, FR, ES, or a rule with no conditions that catches every lead.
        </EmptyState>
      ) : (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="sm" aria-label="Routing rules, in the order they are tried">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Team</Table.Th>
                <Table.Th>Active</Table.Th>
                {canManage ? (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.map((rule, index) => (
                <Table.Tr key={rule.id}>
                  <Table.Td>{index + 1}</Table.Td>
                  <Table.Td>{rule.name}</Table.Td>
                  <Table.Td>
                    {rule.conditions.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        Every lead
                      </Text>
                    ) : (
                      <Text size="sm">{rule.conditions.map(describeCondition).join(' and ')}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>{rule.team.name}</Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`${rule.name} is active`}
                      checked={rule.isActive}
                      disabled={!canManage || toggle.isPending}
                      onChange={() => toggle.mutate(rule)}
                    />
                  </Table.Td>
                  {canManage ? (
                    <Table.Td ta="right">
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Move ${rule.name} up`}
                          disabled={index === 0 || reorder.isPending}
                          onClick={() => move(rules.data, index, -1)}
                        >
                          <IconArrowUp size={16} aria-hidden="true" />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Move ${rule.name} down`}
                          disabled={index === rules.data.length - 1 || reorder.isPending}
                          onClick={() => move(rules.data, index, 1)}
                        >
                          <IconArrowDown size={16} aria-hidden="true" />
                        </ActionIcon>
                        <Button size="xs" variant="subtle" onClick={() => setEditing(rule)}>
                          Edit<VisuallyHidden> {rule.name}</VisuallyHidden>
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() => {
                            remove.reset()
                            setDeleting(rule)
                          }}
                        >
                          Delete<VisuallyHidden> {rule.name}</VisuallyHidden>
                        </Button>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New routing rule' : 'Edit routing rule'}
        size="lg"
      >
        {editing !== null ? (
          <RuleForm
            rule={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete routing rule"
        confirmLabel="Delete rule"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting)
        }}
      >
        Delete the rule “{deleting?.name}”? Leads it matched will go to the next matching rule, or
        to the unassigned queue.
      </ConfirmModal>
    </Stack>
  )
}
