import {
  ActionIcon,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core'
import { IconChevronLeft, IconChevronRight, IconPencil, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useMemo, useState } from 'react'
import type { PeriodKind } from '../../../domain/calendar.ts'
import { api, getPage, patchData, postData } from '../../api/client.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { ReportHeader } from '../../components/report-header.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { getAll, useAllMembers } from '../records/crm-queries.ts'
import { toMajor, toMinor } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'
import {
  currentPeriodKey,
  formatFigure,
  isMoney,
  metricLabels,
  periodKindLabels,
  shiftPeriodKey,
  type Target,
  type TargetMetric,
  type TargetSubjectKind,
  targetsKey,
} from './targets-api.ts'

interface Team {
  id: string
  name: string
}

const kinds: PeriodKind[] = ['day', 'week', 'month', 'quarter']
const metrics = Object.keys(metricLabels) as TargetMetric[]
const subjectOrder: Record<TargetSubjectKind, number> = { company: 0, team: 1, rep: 2 }

/**
 * Targets of the company, its teams and its reps for one period, each with its progress; sales
 * managers (and marketing, for MQLs) set and change them here.
 */
export function TargetsPage() {
  useDocumentTitle('Targets')
  const me = useMe()
  const { workspace, permissions } = me
  const currency = workspace.baseCurrency
  const [kind, setKind] = useState<PeriodKind>('month')
  const [key, setKey] = useState(() => currentPeriodKey('month', workspace))
  const [adding, setAdding] = useState(false)
  const canManage = permissions.includes('targets:manage') || permissions.includes('mql:manage')
  const query = useQuery({
    queryKey: [...targetsKey, kind, key],
    queryFn: () =>
      getPage<Target>(
        `/api/v1/targets?periodKind=${kind}&periodKey=${encodeURIComponent(key)}`,
        500,
        null,
      ),
  })
  const members = useAllMembers()
  const teams = useQuery({
    queryKey: ['teams', 'all'],
    queryFn: () => getAll<Team>('/api/v1/teams'),
    staleTime: 60_000,
  })
  const nameOf = useMemo(() => {
    const names = new Map<string, string>()
    for (const m of members.data ?? []) names.set(m.userId, m.name)
    for (const t of teams.data ?? []) names.set(t.id, t.name)
    return (target: Target) =>
      target.subjectKind === 'company'
        ? workspace.name
        : (names.get(target.subjectId) ?? 'Someone no longer here')
  }, [members.data, teams.data, workspace.name])
  const rows = [...(query.data?.data ?? [])].sort(
    (a, b) =>
      subjectOrder[a.subjectKind] - subjectOrder[b.subjectKind] ||
      nameOf(a).localeCompare(nameOf(b)) ||
      metrics.indexOf(a.metric) - metrics.indexOf(b.metric),
  )
  return (
    <Stack>
      <ReportHeader
        title="Targets"
        description="Quotas of the company, its teams and reps, with the progress of each: revenue and deals won (deals won in the period), pipeline created, MQLs and SQLs. A team counts what its members did while in it."
      >
        {canManage ? <Button onClick={() => setAdding(true)}>Set a target</Button> : null}
      </ReportHeader>
      <Group gap="sm" align="flex-end">
        <SegmentedControl
          aria-label="Period kind"
          value={kind}
          onChange={(value) => {
            const next = value as PeriodKind
            setKind(next)
            setKey(currentPeriodKey(next, workspace))
          }}
          data={kinds.map((k) => ({ value: k, label: periodKindLabels[k] }))}
        />
        <Group gap={4}>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label="Previous period"
            onClick={() => setKey(shiftPeriodKey(key, workspace, -1))}
          >
            <IconChevronLeft size={16} />
          </ActionIcon>
          <Text fw={600} miw={110} ta="center" aria-live="polite">
            {key}
          </Text>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label="Next period"
            onClick={() => setKey(shiftPeriodKey(key, workspace, 1))}
          >
            <IconChevronRight size={16} />
          </ActionIcon>
        </Group>
        <Button variant="subtle" onClick={() => setKey(currentPeriodKey(kind, workspace))}>
          Current
        </Button>
      </Group>
      <Paper withBorder p="md">
        {query.isPending ? (
          <LoadingRows label="Loading the targets" rows={6} height={32} />
        ) : query.error ? (
          <ErrorAlert
            title="Could not load the targets"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : rows.length === 0 ? (
          <Stack gap="xs" align="flex-start">
            <Text>No targets for {key} yet.</Text>
            <Text size="sm" c="dimmed">
              {canManage
                ? 'Set one, or use the plan (Bridge → The plan) to turn a revenue target into the MQLs needed.'
                : 'Sales managers and admins set targets; marketing sets MQL targets.'}
            </Text>
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing={6} aria-label={`Targets for ${key}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Metric</Table.Th>
                  <Table.Th ta="right">Target</Table.Th>
                  <Table.Th ta="right">Actual</Table.Th>
                  <Table.Th w={200}>Progress</Table.Th>
                  {canManage ? <Table.Th aria-label="Actions" /> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((target) => (
                  <TargetRow
                    key={target.id}
                    target={target}
                    name={nameOf(target)}
                    currency={currency}
                    canManage={
                      target.metric === 'mqls'
                        ? permissions.includes('mql:manage')
                        : permissions.includes('targets:manage')
                    }
                    anyManage={canManage}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <AddTargetModal
        opened={adding}
        onClose={() => setAdding(false)}
        period={key}
        currency={currency}
        teams={teams.data ?? []}
        members={(members.data ?? []).map((m) => ({ id: m.userId, name: m.name }))}
        permissions={permissions}
      />
    </Stack>
  )
}

function TargetRow(props: {
  target: Target
  name: string
  currency: string
  canManage: boolean
  anyManage: boolean
}) {
  const { target, name, currency, canManage, anyManage } = props
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState(false)
  const [removing, setRemoving] = useState(false)
  const money = isMoney(target.metric)
  const [value, setValue] = useState<number | string>(
    money ? toMajor(target.amount, currency) : target.amount,
  )
  const refresh = () => queryClient.invalidateQueries({ queryKey: targetsKey })
  const save = useMutation({
    mutationFn: (amount: number) => patchData<Target>(`/api/v1/targets/${target.id}`, { amount }),
    onSuccess: async () => {
      notifySuccess(`${metricLabels[target.metric]} target of ${name} changed.`)
      setEditing(false)
      await refresh()
    },
  })
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/v1/targets/${target.id}`),
    onSuccess: async () => {
      notifySuccess(`${metricLabels[target.metric]} target of ${name} removed.`)
      setRemoving(false)
      await refresh()
    },
  })
  const percent = target.attainment === null ? null : Math.round(target.attainment * 100)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const number = typeof value === 'number' ? value : Number(value)
    if (!Number.isFinite(number) || number < 0) return
    save.mutate(money ? toMinor(number, currency) : Math.round(number))
  }
  const label = `${metricLabels[target.metric]} target of ${name}`
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={target.subjectKind === 'rep' ? 400 : 600}>
          {name}
        </Text>
        <Text size="xs" c="dimmed">
          {target.subjectKind === 'company'
            ? 'Company'
            : target.subjectKind === 'team'
              ? 'Team'
              : 'Rep'}
        </Text>
      </Table.Td>
      <Table.Td>{metricLabels[target.metric]}</Table.Td>
      <Table.Td ta="right">
        {editing ? (
          <form onSubmit={submit} noValidate>
            <Group gap={4} justify="flex-end" wrap="nowrap">
              <NumberInput
                aria-label={label}
                value={value}
                onChange={setValue}
                min={0}
                allowNegative={false}
                decimalScale={money ? 2 : 0}
                thousandSeparator=","
                size="xs"
                w={140}
                error={save.error ? save.error.message : null}
                data-autofocus
                onKeyDown={(event) => {
                  if (event.key === 'Escape') setEditing(false)
                }}
              />
              <Button type="submit" size="xs" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </form>
        ) : (
          formatFigure(target.amount, target.metric, currency)
        )}
      </Table.Td>
      <Table.Td ta="right">
        {target.actual === null ? (
          <Tooltip label={`No exchange rate for ${target.missingRates.join(', ')}`}>
            <Text size="sm">—</Text>
          </Tooltip>
        ) : (
          formatFigure(target.actual, target.metric, currency)
        )}
      </Table.Td>
      <Table.Td>
        {percent === null ? (
          <Text size="xs" c="dimmed">
            No target to measure against
          </Text>
        ) : (
          <Group gap="xs" wrap="nowrap">
            <Progress
              value={Math.min(100, percent)}
              color={percent >= 100 ? 'teal' : percent >= 70 ? 'blue' : 'orange'}
              aria-label={`${label}: ${percent}% reached`}
              style={{ flex: 1 }}
            />
            <Text size="xs" w={40} ta="right">
              {percent}%
            </Text>
          </Group>
        )}
      </Table.Td>
      {anyManage ? (
        <Table.Td>
          {canManage ? (
            <Group gap={4} wrap="nowrap">
              <ActionIcon
                variant="subtle"
                aria-label={`Change the ${label}`}
                onClick={() => setEditing((e) => !e)}
              >
                <IconPencil size={16} />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove the ${label}`}
                onClick={() => setRemoving(true)}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ) : null}
          <ConfirmModal
            opened={removing}
            title="Remove this target?"
            confirmLabel="Remove"
            loading={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutate()}
            onClose={() => setRemoving(false)}
          >
            The {label} for {target.periodKey} (
            {formatFigure(target.amount, target.metric, currency)}) goes; its progress stops being
            shown. The audit log keeps it.
          </ConfirmModal>
        </Table.Td>
      ) : null}
    </Table.Tr>
  )
}

function AddTargetModal(props: {
  opened: boolean
  onClose: () => void
  period: string
  currency: string
  teams: Team[]
  members: { id: string; name: string }[]
  permissions: string[]
}) {
  const { opened, onClose, currency, teams, members, permissions } = props
  const queryClient = useQueryClient()
  const allowed = metrics.filter((m) =>
    m === 'mqls' ? permissions.includes('mql:manage') : permissions.includes('targets:manage'),
  )
  const [subjectKind, setSubjectKind] = useState<TargetSubjectKind>('rep')
  const [subjectId, setSubjectId] = useState<string | null>(null)
  const [metric, setMetric] = useState<TargetMetric>(allowed[0] ?? 'revenue')
  const [period, setPeriod] = useState(props.period)
  const [amount, setAmount] = useState<number | string>('')
  const create = useMutation({
    mutationFn: (body: object) => postData<Target>('/api/v1/targets', body),
    onSuccess: async () => {
      notifySuccess(`${metricLabels[metric]} target for ${period} set.`)
      onClose()
      setAmount('')
      await queryClient.invalidateQueries({ queryKey: targetsKey })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const number = typeof amount === 'number' ? amount : Number(amount)
    create.mutate({
      subjectKind,
      ...(subjectKind === 'company' ? {} : { subjectId }),
      metric,
      period: period.trim(),
      amount: isMoney(metric) ? toMinor(number, currency) : Math.round(number),
    })
  }
  const options =
    subjectKind === 'team'
      ? teams.map((t) => ({ value: t.id, label: t.name }))
      : members.map((m) => ({ value: m.id, label: m.name }))
  return (
    <Modal opened={opened} onClose={onClose} title="Set a target" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <SegmentedControl
            aria-label="For"
            value={subjectKind}
            onChange={(value) => {
              setSubjectKind(value as TargetSubjectKind)
              setSubjectId(null)
            }}
            data={[
              { value: 'rep', label: 'A rep' },
              { value: 'team', label: 'A team' },
              { value: 'company', label: 'The company' },
            ]}
          />
          {subjectKind === 'company' ? null : (
            <Select
              label={subjectKind === 'team' ? 'Team' : 'Rep'}
              data={options}
              value={subjectId}
              onChange={setSubjectId}
              allowDeselect={false}
              searchable
              required
              nothingFoundMessage="No one by that name"
            />
          )}
          <Select
            label="Metric"
            data={allowed.map((m) => ({ value: m, label: metricLabels[m] }))}
            value={metric}
            onChange={(value) => value && setMetric(value as TargetMetric)}
            allowDeselect={false}
          />
          <TextInput
            label="Period"
            description="2026-11-30 (day), 2026-W49 (week), 2026-11 (month) or FY2027-Q1 (fiscal quarter)"
            value={period}
            onChange={(event) => setPeriod(event.currentTarget.value)}
            required
          />
          <NumberInput
            label={isMoney(metric) ? `Amount (${currency})` : 'Number'}
            value={amount}
            onChange={setAmount}
            min={0}
            allowNegative={false}
            decimalScale={isMoney(metric) ? 2 : 0}
            thousandSeparator=","
            required
          />
          {create.error ? <ErrorAlert title="The target was not set" error={create.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={create.isPending}
              disabled={amount === '' || (subjectKind !== 'company' && !subjectId)}
            >
              Set target
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
