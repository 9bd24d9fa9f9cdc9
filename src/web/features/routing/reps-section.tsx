import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { type RoutingRep, routingKeys, useRoutingReps } from './routing-api.ts'

const repUrl = (rep: RoutingRep) => `/api/v1/routing/reps/${encodeURIComponent(rep.userId)}`

/** `datetime-local` wants local "YYYY-MM-DDTHH:mm"; the API speaks ISO 8601 in UTC. */
function toLocalInput(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null)
const limitOf = (value: number | string) => (value === '' ? null : Number(value))

function status(rep: RoutingRep) {
  if (!rep.acceptsLeads) return { label: 'Paused', color: 'gray.8' }
  if (rep.isAbsent) return { label: 'Absent', color: 'grape.9' }
  if (!rep.isEligible) return { label: 'Not a seller', color: 'gray.8' }
  if (rep.capacity !== null && rep.openCount >= rep.capacity)
    return { label: 'Full', color: 'red.9' }
  if (rep.dailyCap !== null && rep.todayCount >= rep.dailyCap)
    return { label: 'Cap reached', color: 'red.9' }
  return { label: 'In rotation', color: 'teal.9' }
}

function absence(rep: RoutingRep) {
  if (!rep.absentFrom && !rep.absentUntil) return '—'
  const from = rep.absentFrom ? formatDateTime(rep.absentFrom) : '…'
  const until = rep.absentUntil ? formatDateTime(rep.absentUntil) : '…'
  return `${from} – ${until}`
}

function RepForm({ rep, onDone }: { rep: RoutingRep; onDone: () => void }) {
  const queryClient = useQueryClient()
  const [capacity, setCapacity] = useState<number | string>(rep.capacity ?? '')
  const [dailyCap, setDailyCap] = useState<number | string>(rep.dailyCap ?? '')
  const [absentFrom, setAbsentFrom] = useState(toLocalInput(rep.absentFrom))
  const [absentUntil, setAbsentUntil] = useState(toLocalInput(rep.absentUntil))
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => patchData<RoutingRep>(repUrl(rep), body),
    onSuccess: async () => {
      notifySuccess(`Routing settings of ${rep.name} saved.`)
      await queryClient.invalidateQueries({ queryKey: routingKeys.reps })
      onDone()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate({
      capacity: limitOf(capacity),
      dailyCap: limitOf(dailyCap),
      absentFrom: fromLocalInput(absentFrom),
      absentUntil: fromLocalInput(absentUntil),
    })
  }
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        <NumberInput
          label="Capacity"
          description="Most open handoffs at once; empty for no limit."
          min={0}
          allowDecimal={false}
          value={capacity}
          onChange={setCapacity}
          data-autofocus
        />
        <NumberInput
          label="Daily cap"
          description="Most new handoffs per day (workspace time zone); empty for no limit."
          min={0}
          allowDecimal={false}
          value={dailyCap}
          onChange={setDailyCap}
        />
        <TextInput
          type="datetime-local"
          label="Absent from"
          description="Empty with an end date: absent until then."
          value={absentFrom}
          onChange={(e) => setAbsentFrom(e.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label="Absent until"
          description="Empty with a start date: absent until you clear it."
          value={absentUntil}
          onChange={(e) => setAbsentUntil(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function AcceptsLeadsToggle({ rep, canManage }: { rep: RoutingRep; canManage: boolean }) {
  const queryClient = useQueryClient()
  const toggle = useMutation({
    mutationFn: (acceptsLeads: boolean) => patchData<RoutingRep>(repUrl(rep), { acceptsLeads }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: routingKeys.reps }),
    onError: (error) => notifyError('Not saved', error),
  })
  return (
    <Switch
      aria-label={`${rep.name} accepts leads`}
      checked={rep.acceptsLeads}
      disabled={!canManage || toggle.isPending}
      onChange={(e) => toggle.mutate(e.currentTarget.checked)}
    />
  )
}

/** Team members as routing sees them: in rotation or not, limits, absence and today's load. */
export function RepsSection({ canManage }: { canManage: boolean }) {
  const reps = useRoutingReps()
  const [editing, setEditing] = useState<RoutingRep | null>(null)
  return (
    <Stack>
      <Title order={3}>Reps</Title>
      <Text size="sm" c="dimmed">
        Members of at least one team. Only sales reps, sales managers and admins receive leads;
        absent, full or capped reps lose their turn and rejoin the rotation without catching up.
      </Text>
      {reps.isPending ? (
        <LoadingRows label="Loading reps" />
      ) : reps.error ? (
        <ErrorAlert
          title="Could not load reps"
          error={reps.error}
          onRetry={() => void reps.refetch()}
        />
      ) : reps.data.length === 0 ? (
        <EmptyState title="No reps yet">
          Add people to a team in Settings → Teams; they then appear here.
        </EmptyState>
      ) : (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="sm" aria-label="Reps">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rep</Table.Th>
                <Table.Th>Teams</Table.Th>
                <Table.Th>Accepts leads</Table.Th>
                <Table.Th>Capacity</Table.Th>
                <Table.Th>Daily cap</Table.Th>
                <Table.Th>Absent</Table.Th>
                <Table.Th>Open</Table.Th>
                <Table.Th>Today</Table.Th>
                <Table.Th>Status</Table.Th>
                {canManage ? (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reps.data.map((rep) => {
                const s = status(rep)
                return (
                  <Table.Tr key={rep.userId}>
                    <Table.Td>{rep.name}</Table.Td>
                    <Table.Td>{rep.teams.map((t) => t.name).join(', ')}</Table.Td>
                    <Table.Td>
                      <AcceptsLeadsToggle rep={rep} canManage={canManage} />
                    </Table.Td>
                    <Table.Td>{rep.capacity ?? 'No limit'}</Table.Td>
                    <Table.Td>{rep.dailyCap ?? 'No limit'}</Table.Td>
                    <Table.Td>{absence(rep)}</Table.Td>
                    <Table.Td>{rep.openCount}</Table.Td>
                    <Table.Td>{rep.todayCount}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Badge
                        color={s.color}
                        variant="outline"
                        styles={{ label: { overflow: 'visible' } }}
                      >
                        {s.label}
                      </Badge>
                    </Table.Td>
                    {canManage ? (
                      <Table.Td ta="right">
                        <Button size="xs" variant="subtle" onClick={() => setEditing(rep)}>
                          Edit<VisuallyHidden> {rep.name}</VisuallyHidden>
                        </Button>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={`Routing settings${editing ? ` of ${editing.name}` : ''}`}
      >
        {editing ? <RepForm rep={editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </Stack>
  )
}
