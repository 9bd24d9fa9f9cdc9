import {
  ActionIcon,
  Button,
  Group,
  MultiSelect,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
} from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { type FormEvent, useState } from 'react'
import { memberOptions, useAllMembers } from './crm-queries.ts'
import {
  type ApiFilter,
  buildFilter,
  type Condition,
  type FilterField,
  fromApiCondition,
  isMulti,
  needsValue,
  opLabel,
  opsFor,
  type UiOp,
} from './filter.ts'
import type { Option } from './labels.ts'

interface FilterBuilderProps {
  fields: FilterField[]
  value: ApiFilter | null
  onApply: (filter: ApiFilter | null) => void
  onCancel: () => void
}

type Row = Condition & { rowId: number }

let nextRowId = 0
function withId(condition: Condition): Row {
  nextRowId += 1
  return { ...condition, rowId: nextRowId }
}

function blank(field: FilterField): Row {
  const op = opsFor(field.kind)[0] ?? 'eq'
  return withId({ field: field.key, op, value: field.kind === 'boolean' ? 'true' : '' })
}

/**
 * A friendly editor for the filter language: each row is "field, condition, value", all rows must
 * match. Native selects keep it quick from the keyboard.
 */
export function FilterBuilder({ fields, value, onApply, onCancel }: FilterBuilderProps) {
  const members = useAllMembers()
  const owners = memberOptions(members.data)
  const [rows, setRows] = useState<Row[]>(() => {
    const existing = (value?.all ?? []).map((c) =>
      withId(
        fromApiCondition(
          c,
          fields.find((f) => f.key === c.field),
        ),
      ),
    )
    const first = fields[0]
    return existing.length > 0 ? existing : first ? [blank(first)] : []
  })
  const optionsOf = (field: FilterField): Option[] =>
    field.kind === 'owner' ? owners : (field.options ?? [])

  const change = (index: number, next: Row) =>
    setRows(rows.map((row, i) => (i === index ? next : row)))
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    onApply(buildFilter(rows, fields))
  }

  return (
    <Paper withBorder p="md">
      <form onSubmit={onSubmit} aria-label="Filters">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Show records that match every condition below.
          </Text>
          {rows.map((row, index) => {
            const field = fields.find((f) => f.key === row.field) ?? fields[0]
            if (!field) return null
            const n = index + 1
            return (
              <Group key={row.rowId} gap="xs" align="flex-end" wrap="wrap">
                <NativeSelect
                  aria-label={`Field of condition ${n}`}
                  data={fields.map((f) => ({ value: f.key, label: f.label }))}
                  value={field.key}
                  onChange={(event) => {
                    const next = fields.find((f) => f.key === event.currentTarget.value)
                    if (next) change(index, { ...blank(next), rowId: row.rowId })
                  }}
                  w={190}
                />
                <NativeSelect
                  aria-label={`Condition ${n}`}
                  data={opsFor(field.kind).map((op) => ({
                    value: op,
                    label: opLabel(field.kind, op),
                  }))}
                  value={row.op}
                  onChange={(event) => {
                    const op = event.currentTarget.value as UiOp
                    const keepsValue = isMulti(op) === isMulti(row.op)
                    change(index, { ...row, op, value: keepsValue ? row.value : '' })
                  }}
                  w={150}
                />
                {needsValue(row.op) ? (
                  <ValueInput
                    label={`Value of condition ${n}`}
                    field={field}
                    op={row.op}
                    options={optionsOf(field)}
                    value={row.value}
                    onChange={(v) => change(index, { ...row, value: v })}
                  />
                ) : null}
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  aria-label={`Remove condition ${n}`}
                  onClick={() => setRows(rows.filter((_, i) => i !== index))}
                >
                  <IconTrash size={16} aria-hidden="true" />
                </ActionIcon>
              </Group>
            )
          })}
          <Group justify="space-between">
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden="true" />}
              onClick={() => {
                const first = fields[0]
                if (first) setRows([...rows, blank(first)])
              }}
            >
              Add condition
            </Button>
            <Group gap="xs">
              <Button variant="default" size="xs" onClick={onCancel}>
                Cancel
              </Button>
              <Button variant="default" size="xs" onClick={() => onApply(null)}>
                Clear filters
              </Button>
              <Button type="submit" size="xs">
                Apply filters
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}

export interface ValueInputProps {
  label: string
  field: FilterField
  op: UiOp
  options: Option[]
  value: string | string[]
  onChange: (value: string | string[]) => void
}

export function ValueInput({ label, field, op, options, value, onChange }: ValueInputProps) {
  const text = Array.isArray(value) ? value.join(', ') : value
  const hasOptions = field.kind === 'enum' || field.kind === 'owner'
  if (hasOptions && isMulti(op)) {
    return (
      <MultiSelect
        aria-label={label}
        data={options}
        value={Array.isArray(value) ? value : value ? [value] : []}
        onChange={onChange}
        searchable
        w={260}
        comboboxProps={{ withinPortal: true }}
      />
    )
  }
  if (hasOptions || field.kind === 'boolean') {
    const data =
      field.kind === 'boolean'
        ? [
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]
        : [{ value: '', label: 'Choose…' }, ...options]
    return (
      <NativeSelect
        aria-label={label}
        data={data}
        value={text}
        onChange={(event) => onChange(event.currentTarget.value)}
        w={200}
      />
    )
  }
  return (
    <TextInput
      aria-label={label}
      type={field.kind === 'date' ? 'date' : 'text'}
      inputMode={field.kind === 'number' || field.kind === 'money' ? 'decimal' : undefined}
      placeholder={
        isMulti(op) ? 'Values, separated by commas' : field.kind === 'money' ? 'Amount' : undefined
      }
      value={text}
      onChange={(event) => onChange(event.currentTarget.value)}
      w={220}
    />
  )
}
