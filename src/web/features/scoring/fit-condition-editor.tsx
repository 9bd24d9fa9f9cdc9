import {
  ActionIcon,
  Button,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { contactList } from '../contacts/contact-list.tsx'
import { memberOptions, useAllMembers, usePersonas } from '../records/crm-queries.ts'
import {
  type ApiCondition,
  type Condition,
  describeCondition,
  type FilterField,
  fromApiCondition,
  isComplete,
  isMulti,
  needsValue,
  opLabel,
  opsFor,
  toApiCondition,
  type UiOp,
} from '../records/filter.ts'
import { ValueInput } from '../records/filter-builder.tsx'
import type { Option } from '../records/labels.ts'
import type { FilterCondition, FitCondition } from './scoring-api.ts'

type Row = Condition & { rowId: number }

/** The fit condition being edited: rows of field/op/value joined by all or any. */
export interface FitDraft {
  mode: 'all' | 'any'
  rows: Row[]
  /** Nested groups (from the API) the rows editor does not edit; kept as they are. */
  nested: FitCondition[]
}

let nextRowId = 0
function withId(condition: Condition): Row {
  nextRowId += 1
  return { ...condition, rowId: nextRowId }
}

function blank(field: FilterField): Row {
  const op = opsFor(field.kind)[0] ?? 'eq'
  return withId({ field: field.key, op, value: field.kind === 'boolean' ? 'true' : '' })
}

function isGroup(item: FilterCondition | FitCondition): item is FitCondition {
  return 'all' in item || 'any' in item
}

/** The contact fields a fit rule may test: those of the contact list's filters. */
export function useContactFields(): FilterField[] {
  const personas = usePersonas()
  const options = (personas.data ?? []).map((p) => ({ value: p.key, label: p.label }))
  return contactList(options).filterFields
}

export function fitDraftFrom(condition: FitCondition | null, fields: FilterField[]): FitDraft {
  if (!condition) {
    const first = fields.find((f) => f.key === 'account.industry') ?? fields[0]
    return { mode: 'all', rows: first ? [blank(first)] : [], nested: [] }
  }
  const mode = 'any' in condition ? 'any' : 'all'
  const items = 'any' in condition ? condition.any : condition.all
  const rows: Row[] = []
  const nested: FitCondition[] = []
  for (const item of items) {
    if (isGroup(item)) nested.push(item)
    else {
      const api = item as ApiCondition
      rows.push(
        withId(
          fromApiCondition(
            api,
            fields.find((f) => f.key === api.field),
          ),
        ),
      )
    }
  }
  return { mode, rows, nested }
}

/** The draft as the API's filter, or the reason it is not complete yet. */
export function fitConditionOf(
  draft: FitDraft,
  fields: FilterField[],
): { condition: FitCondition } | { error: string } {
  const items: (FilterCondition | FitCondition)[] = []
  for (const [index, row] of draft.rows.entries()) {
    const field = fields.find((f) => f.key === row.field)
    if (!field || !isComplete(row, field)) {
      return { error: `Condition ${index + 1} needs a value (or remove it).` }
    }
    items.push(toApiCondition(row, field))
  }
  items.push(...draft.nested)
  if (items.length === 0) return { error: 'Add at least one condition.' }
  return { condition: draft.mode === 'any' ? { any: items } : { all: items } }
}

/** "Account industry is Retail and Account employees is at least 200", for the rule lists. */
export function describeFit(condition: FitCondition, fields: FilterField[]): string {
  const joiner = 'any' in condition ? ' or ' : ' and '
  const items = 'any' in condition ? condition.any : condition.all
  return items
    .map((item) =>
      isGroup(item)
        ? `(${describeFit(item, fields)})`
        : describeCondition(item as ApiCondition, fields),
    )
    .join(joiner)
}

interface FitConditionEditorProps {
  draft: FitDraft
  onChange: (draft: FitDraft) => void
  fields: FilterField[]
  error?: string | null
}

/**
 * Fit rules test the contact and its account with the filter language of the lists: each row is
 * "field, condition, value"; all rows or any row must match.
 */
export function FitConditionEditor({ draft, onChange, fields, error }: FitConditionEditorProps) {
  const members = useAllMembers()
  const owners = memberOptions(members.data)
  const optionsOf = (field: FilterField): Option[] =>
    field.kind === 'owner' ? owners : (field.options ?? [])
  const setRows = (rows: Row[]) => onChange({ ...draft, rows })
  const change = (index: number, next: Row) =>
    setRows(draft.rows.map((row, i) => (i === index ? next : row)))
  const errorId = 'fit-condition-error'

  return (
    <Paper withBorder p="sm" role="group" aria-labelledby="fit-condition-label">
      <Stack gap="xs">
        <Group gap="xs">
          <Text size="sm" fw={500} id="fit-condition-label">
            Contacts match when
          </Text>
          <SegmentedControl
            size="xs"
            aria-label="Which conditions must match"
            value={draft.mode}
            onChange={(value) => onChange({ ...draft, mode: value === 'any' ? 'any' : 'all' })}
            data={[
              { value: 'all', label: 'all conditions match' },
              { value: 'any', label: 'any condition matches' },
            ]}
          />
        </Group>
        {draft.rows.map((row, index) => {
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
                onClick={() => setRows(draft.rows.filter((_, i) => i !== index))}
              >
                <IconTrash size={16} aria-hidden="true" />
              </ActionIcon>
            </Group>
          )
        })}
        {draft.nested.length > 0 ? (
          <Text size="sm" c="dimmed">
            Also {draft.nested.length} nested group{draft.nested.length === 1 ? '' : 's'} made
            through the API, kept as {draft.nested.length === 1 ? 'it is' : 'they are'}:{' '}
            {draft.nested.map((g) => describeFit(g, fields)).join('; ')}
          </Text>
        ) : null}
        <Group>
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden="true" />}
            onClick={() => {
              const first = fields[0]
              if (first) setRows([...draft.rows, blank(first)])
            }}
          >
            Add condition
          </Button>
        </Group>
        {error ? (
          <Text size="sm" c="red.8" id={errorId} role="alert">
            {error}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  )
}
