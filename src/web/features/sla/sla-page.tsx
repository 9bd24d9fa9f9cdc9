import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, getData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { getAll, getList } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { useMe } from '../shell/me-context.tsx'
import { CalendarForm } from './calendar-form.tsx'
import { PolicyForm } from './policy-form.tsx'
import {
  type Calendar,
  formatHours,
  formatInZone,
  type Policy,
  type Preview,
  type Segment,
  type SegmentChoice,
  segmentLabel,
  slaKeys,
  summarizeWeek,
} from './types.ts'

// The names a policy gets by default (src/server/sla/policy-service.ts).
const shortSegmentNames: Record<Segment, string> = {
  smb: 'SMB',
  mid_market: 'Mid-market',
  enterprise: 'Enterprise',
}
const allSegments: SegmentChoice[] = ['smb', 'mid_market', 'enterprise', 'other']

/** Settings → SLA: business calendars and the SLA policy of each segment (DEFINITIONS.md). */
export function SlaPage() {
  useDocumentTitle('SLA')
  const me = useMe()
  const canManage = me.permissions.includes('sla:manage')
  const timeZone = me.workspace.timeZone
  const calendars = useQuery({
    queryKey: slaKeys.calendars,
    queryFn: () => getAll<Calendar>('/api/v1/sla/calendars'),
  })
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={2}>SLA</Title>
        <Text size="sm" c="dimmed">
          Sales' side of the two-way SLA: how fast each handoff must get a first touch and a
          decision, counted in business hours. Clocks pause outside opening hours, on weekends and
          on holidays, and follow daylight saving changes. See docs/sla.md for the details.
        </Text>
      </Stack>
      {canManage ? null : (
        <AdminOnly>Only admins and sales managers can change calendars and SLA policies.</AdminOnly>
      )}
      <PreviewLine />
      <PoliciesSection canManage={canManage} calendars={calendars.data ?? []} />
      <CalendarsSection
        canManage={canManage}
        timeZone={timeZone}
        calendars={calendars.data}
        isPending={calendars.isPending}
        error={calendars.error}
        onRetry={() => void calendars.refetch()}
      />
    </Stack>
  )
}

/** "A lead arriving now would need a first touch by Mon 10:30 (Europe/Berlin)". */
function PreviewLine() {
  const [segment, setSegment] = useState<SegmentChoice>('other')
  const query = useQuery({
    queryKey: [...slaKeys.preview, segment],
    queryFn: () =>
      getData<Preview>(`/api/v1/sla/preview${segment !== 'other' ? `?segment=${segment}` : ''}`),
    refetchInterval: 60_000,
  })
  const preview = query.data
  return (
    <Paper withBorder p="md">
      <Group gap="md" align="center" wrap="wrap">
        <Select
          aria-label="Preview for leads of"
          data={allSegments.map((value) => ({
            value,
            label: value === 'other' ? 'A lead without a segment' : segmentLabel(value),
          }))}
          value={segment}
          onChange={(value) => setSegment((value ?? 'other') as SegmentChoice)}
          allowDeselect={false}
          w={240}
        />
        {query.error ? (
          <ErrorAlert title="Could not compute the preview" error={query.error} />
        ) : preview ? (
          <Text size="sm" aria-live="polite" data-testid="sla-preview">
            A lead arriving now would need a first touch by{' '}
            <strong>{formatInZone(preview.firstTouchDueAt, preview.calendar.timeZone)}</strong> and
            a decision by{' '}
            <strong>{formatInZone(preview.decisionDueAt, preview.calendar.timeZone)}</strong> (
            {preview.calendar.timeZone}; policy “{preview.policy.name}”, calendar “
            {preview.calendar.name}”).
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            Computing…
          </Text>
        )}
      </Group>
    </Paper>
  )
}

function PoliciesSection({ canManage, calendars }: { canManage: boolean; calendars: Calendar[] }) {
  const queryClient = useQueryClient()
  const policies = useQuery({
    queryKey: slaKeys.policies,
    queryFn: () => getList<Policy>('/api/v1/sla/policies'),
  })
  const [editing, setEditing] = useState<Policy | 'new' | null>(null)
  const [deleting, setDeleting] = useState<Policy | null>(null)
  const remove = useMutation({
    mutationFn: (policy: Policy) =>
      api.delete(`/api/v1/sla/policies/${encodeURIComponent(policy.id)}`),
    onSuccess: async (_r, policy) => {
      notifySuccess(`SLA policy “${policy.name}” deleted.`)
      setDeleting(null)
      await queryClient.invalidateQueries({ queryKey: ['sla'] })
    },
  })
  const rows = policies.data ?? []
  const taken = new Set(rows.map((p): SegmentChoice => p.segment ?? 'other'))
  const freeSegments = allSegments.filter((s) => !taken.has(s))
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Policies by segment
          </Title>
          {canManage && freeSegments.length > 0 ? (
            <Button
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden="true" />}
              onClick={() => setEditing('new')}
            >
              New policy
            </Button>
          ) : null}
        </Group>
        {policies.isPending ? (
          <LoadingRows label="Loading SLA policies" />
        ) : policies.error ? (
          <ErrorAlert
            title="Could not load SLA policies"
            error={policies.error}
            onRetry={() => void policies.refetch()}
          />
        ) : rows.length === 0 ? (
          <EmptyState title="No policies yet: the defaults apply">
            Every handoff must get a first touch within 4 business hours and a decision (accept or
            reject) within 16; 4 business hours after a missed first touch it escalates to the
            owner's team manager. Add a policy to change these for a segment or for every lead.
          </EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label="SLA policies">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Segment</Table.Th>
                  <Table.Th>First touch</Table.Th>
                  <Table.Th>Decision</Table.Th>
                  <Table.Th>Escalation</Table.Th>
                  <Table.Th>Reassign</Table.Th>
                  <Table.Th>Calendar</Table.Th>
                  {canManage ? <Table.Th aria-label="Actions" /> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((policy) => (
                  <Table.Tr key={policy.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {policy.name}
                      </Text>
                      {policy.segment &&
                      policy.name === shortSegmentNames[policy.segment] ? null : (
                        <Text size="xs" c="dimmed">
                          {segmentLabel(policy.segment)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{formatHours(policy.firstTouchHours)}</Table.Td>
                    <Table.Td>{formatHours(policy.acceptanceHours)}</Table.Td>
                    <Table.Td>{formatHours(policy.escalationHours)} after a miss</Table.Td>
                    <Table.Td>{policy.reassignOnEscalation ? 'Yes' : 'No'}</Table.Td>
                    <Table.Td>{policy.calendar?.name ?? 'Workspace calendar'}</Table.Td>
                    {canManage ? (
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="subtle"
                            leftSection={<IconPencil size={14} aria-hidden="true" />}
                            aria-label={`Edit policy ${policy.name}`}
                            onClick={() => setEditing(policy)}
                          >
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            leftSection={<IconTrash size={14} aria-hidden="true" />}
                            aria-label={`Delete policy ${policy.name}`}
                            onClick={() => {
                              remove.reset()
                              setDeleting(policy)
                            }}
                          >
                            Delete
                          </Button>
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New SLA policy' : 'Edit SLA policy'}
      >
        {editing !== null ? (
          <PolicyForm
            policy={editing === 'new' ? undefined : editing}
            freeSegments={freeSegments}
            calendars={calendars}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete SLA policy"
        confirmLabel="Delete policy"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting)
        }}
      >
        Delete the policy “{deleting?.name}”? New handoffs of its segment fall back to the policy
        for every other lead, or to the defaults; open handoffs keep their due times.
      </ConfirmModal>
    </Paper>
  )
}

interface CalendarsSectionProps {
  canManage: boolean
  timeZone: string
  calendars: Calendar[] | undefined
  isPending: boolean
  error: unknown
  onRetry: () => void
}

function CalendarsSection(props: CalendarsSectionProps) {
  const { canManage, timeZone, calendars, isPending, error, onRetry } = props
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState<Calendar | 'new' | null>(null)
  const [deleting, setDeleting] = useState<Calendar | null>(null)
  const remove = useMutation({
    mutationFn: (calendar: Calendar) =>
      api.delete(`/api/v1/sla/calendars/${encodeURIComponent(calendar.id)}`),
    onSuccess: async (_r, calendar) => {
      notifySuccess(`Calendar “${calendar.name}” deleted.`)
      setDeleting(null)
      await queryClient.invalidateQueries({ queryKey: ['sla'] })
    },
  })
  const rows = calendars ?? []
  const hasDefault = rows.some((c) => c.isDefault)
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Business calendars
          </Title>
          {canManage ? (
            <Button
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden="true" />}
              onClick={() => setEditing('new')}
            >
              New calendar
            </Button>
          ) : null}
        </Group>
        {isPending ? (
          <LoadingRows label="Loading calendars" />
        ) : error ? (
          <ErrorAlert title="Could not load calendars" error={error} onRetry={onRetry} />
        ) : rows.length === 0 ? (
          <EmptyState title="No calendars yet: the default hours apply">
            SLA clocks run Mon-Fri 09:00-17:00 in the workspace time zone ({timeZone}), with no
            holidays. Add a calendar for other hours, holidays or another time zone.
          </EmptyState>
        ) : (
          <>
            {hasDefault ? null : (
              <Text size="sm" c="dimmed">
                No workspace calendar is set: policies without a calendar run Mon-Fri 09:00-17:00 in{' '}
                {timeZone}.
              </Text>
            )}
            <Table.ScrollContainer minWidth={720}>
              <Table striped aria-label="Business calendars">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Time zone</Table.Th>
                    <Table.Th>Opening hours</Table.Th>
                    <Table.Th>Holidays</Table.Th>
                    <Table.Th>Used by</Table.Th>
                    {canManage ? <Table.Th aria-label="Actions" /> : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((calendar) => (
                    <Table.Tr key={calendar.id}>
                      <Table.Td>
                        <Group gap="xs">
                          <Text size="sm" fw={500}>
                            {calendar.name}
                          </Text>
                          {calendar.isDefault ? (
                            <Badge size="sm" variant="light" title="The workspace calendar">
                              Default
                            </Badge>
                          ) : null}
                        </Group>
                      </Table.Td>
                      <Table.Td>{calendar.timeZone}</Table.Td>
                      <Table.Td>{summarizeWeek(calendar.week)}</Table.Td>
                      <Table.Td>{calendar.holidays.length}</Table.Td>
                      <Table.Td>
                        {calendar.usedBy.length > 0
                          ? calendar.usedBy.map((p) => p.name).join(', ')
                          : calendar.isDefault
                            ? 'Policies without a calendar'
                            : '—'}
                      </Table.Td>
                      {canManage ? (
                        <Table.Td>
                          <Group gap={4} justify="flex-end" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="subtle"
                              leftSection={<IconPencil size={14} aria-hidden="true" />}
                              aria-label={`Edit calendar ${calendar.name}`}
                              onClick={() => setEditing(calendar)}
                            >
                              Edit
                            </Button>
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              leftSection={<IconTrash size={14} aria-hidden="true" />}
                              aria-label={`Delete calendar ${calendar.name}`}
                              onClick={() => {
                                remove.reset()
                                setDeleting(calendar)
                              }}
                            >
                              Delete
                            </Button>
                          </Group>
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New business calendar' : 'Edit business calendar'}
        size="lg"
      >
        {editing !== null ? (
          <CalendarForm
            calendar={editing === 'new' ? undefined : editing}
            defaultTimeZone={timeZone}
            suggestDefault={!hasDefault}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete calendar"
        confirmLabel="Delete calendar"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting)
        }}
      >
        Delete the calendar “{deleting?.name}”?
        {deleting?.isDefault
          ? ' It is the workspace calendar: policies without a calendar go back to Mon-Fri 09:00-17:00.'
          : ''}
      </ConfirmModal>
    </Paper>
  )
}
