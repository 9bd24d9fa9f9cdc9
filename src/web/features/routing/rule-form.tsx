import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys, getAll } from '../records/crm-queries.ts'
import {
  fieldLabels,
  opLabels,
  opsFor,
  type RoutingCondition,
  type RoutingField,
  type RoutingOp,
  type RoutingRule,
  routingKeys,
} from './routing-api.ts'

interface Team {
  id: string
  name: string
}

/** A condition row as typed: the value stays loose until the form is sent. */
interface Row {
  key: number
  field: RoutingField
  op: RoutingOp
  text: string
  list: string[]
  size: number | string
  known: 'true' | 'false'
}

let nextKey = 0
const blankRow = (): Row => ({
  key: nextKey++,
  field: 'country',
  op: 'in',
  text: '',
  list: [],
  size: '',
  known: 'true',
})

function rowOf(c: RoutingCondition): Row {
  const row = { ...blankRow(), field: c.field, op: c.op }
  if (c.op === 'exists') return { ...row, known: c.value ? 'true' : 'false' }
  if (Array.isArray(c.value)) return { ...row, list: c.value }
  if (typeof c.value === 'number') return { ...row, size: c.value }
  return { ...row, text: String(c.value) }
}

function conditionOf(row: Row): RoutingCondition {
  const { field, op } = row
  if (op === 'exists') return { field, op, value: row.known === 'true' }
  if (field === 'employees')
    return { field, op, value: row.size === '' ? Number.NaN : Number(row.size) }
  if (op === 'in' || op === 'nin') return { field, op, value: row.list }
  return { field, op, value: row.text.trim() }
}

const fieldOptions = (Object.keys(fieldLabels) as RoutingField[]).map((value) => ({
  value,
  label: fieldLabels[value],
}))

function ConditionRow(props: {
  row: Row
  index: number
  onChange: (row: Row) => void
  onRemove: () => void
}) {
  const { row, index, onChange, onRemove } = props
  const n = index + 1
  const ops = opsFor(row.field)
  const setField = (field: RoutingField) => {
    const op = opsFor(field).includes(row.op) ? row.op : (opsFor(field)[0] as RoutingOp)
    onChange({ ...row, field, op })
  }
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <Select
        label={`Condition ${n} field`}
        data={fieldOptions}
        value={row.field}
        allowDeselect={false}
        onChange={(v) => v && setField(v as RoutingField)}
        w={130}
      />
      <Select
        label={`Condition ${n} operator`}
        data={ops.map((value) => ({ value, label: opLabels[value] }))}
        value={row.op}
        allowDeselect={false}
        onChange={(v) => v && onChange({ ...row, op: v as RoutingOp })}
        w={130}
      />
      <div style={{ flex: 1, minWidth: 0 }}>
        {row.op === 'exists' ? (
          <Select
            label={`Condition ${n} value`}
            data={[
              { value: 'true', label: 'yes' },
              { value: 'false', label: 'no' },
            ]}
            value={row.known}
            allowDeselect={false}
            onChange={(v) => v && onChange({ ...row, known: v as 'true' | 'false' })}
          />
        ) : row.field === 'employees' ? (
          <NumberInput
            label={`Condition ${n} value`}
            min={0}
            allowDecimal={false}
            value={row.size}
            onChange={(v) => onChange({ ...row, size: v })}
          />
        ) : row.op === 'in' || row.op === 'nin' ? (
          <TagsInput
            label={`Condition ${n} values`}
            placeholder="Type a value, then Enter"
            value={row.list}
            onChange={(list) => onChange({ ...row, list })}
          />
        ) : (
          <TextInput
            label={`Condition ${n} value`}
            value={row.text}
            onChange={(e) => onChange({ ...row, text: e.currentTarget.value })}
          />
        )}
      </div>
      <ActionIcon
        variant="subtle"
        color="red"
        size="lg"
        aria-label={`Remove condition ${n}`}
        onClick={onRemove}
      >
        <IconTrash size={16} aria-hidden="true" />
      </ActionIcon>
    </Group>
  )
}

/** Creates or edits a routing rule: a name, the team it sends leads to, and its conditions. */
export function RuleForm({ rule, onDone }: { rule?: RoutingRule; onDone: () => void }) {
  const queryClient = useQueryClient()
  const teams = useQuery({
    queryKey: [...crmKeys.teams, 'all'],
    queryFn: () => getAll<Team>('/api/v1/teams'),
  })
  const [name, setName] = useState(rule?.name ?? '')
  const [teamId, setTeamId] = useState<string | null>(rule?.teamId ?? null)
  const [isActive, setIsActive] = useState(rule?.isActive ?? true)
  const [rows, setRows] = useState<Row[]>(rule?.conditions.map(rowOf) ?? [])
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      rule
        ? patchData<RoutingRule>(`/api/v1/routing/rules/${encodeURIComponent(rule.id)}`, body)
        : postData<RoutingRule>('/api/v1/routing/rules', body),
    onSuccess: async (saved) => {
      notifySuccess(`Routing rule “${saved.name}” saved.`)
      await queryClient.invalidateQueries({ queryKey: routingKeys.rules })
      onDone()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate({ name: name.trim(), teamId, isActive, conditions: rows.map(conditionOf) })
  }
  const teamOptions = (teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        {teams.error ? <ErrorAlert title="Could not load teams" error={teams.error} /> : null}
        <TextInput
          label="Name"
          required
          data-autofocus
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Select
          label="Team"
          description="Round robin picks the rep among this team's members."
          required
          searchable
          data={teamOptions}
          value={teamId}
          onChange={setTeamId}
          nothingFoundMessage={teams.isPending ? 'Loading teams…' : 'No teams: create one first'}
          comboboxProps={{ withinPortal: true }}
        />
        <Switch
          label="Active"
          checked={isActive}
          onChange={(e) => setIsActive(e.currentTarget.checked)}
        />
        <Fieldset legend="Conditions (all must hold)">
          <Stack gap="sm">
            {rows.length === 0 ? (
              <Text size="sm" c="dimmed">
                No conditions: this rule catches every lead that reaches it.
              </Text>
            ) : null}
            {rows.map((row, index) => (
              <ConditionRow
                key={row.key}
                row={row}
                index={index}
                onChange={(next) => setRows(rows.map((r) => (r.key === row.key ? next : r)))}
                onRemove={() => setRows(rows.filter((r) => r.key !== row.key))}
              />
            ))}
            <Group>
              <Button
                variant="default"
                size="xs"
                leftSection={<IconPlus size={14} aria-hidden="true" />}
                onClick={() => setRows([...rows, blankRow()])}
              >
                Add condition
              </Button>
            </Group>
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save rule
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
