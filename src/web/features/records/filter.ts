import type { Option } from './labels.ts'

/**
 * The one filter language (ARCHITECTURE.md): `{ "all": [ { field, op, value } ] }`. The builder
 * edits rows of strings; these helpers turn them into the API's filter and back.
 */
export type ApiOp =
  | 'eq'
  | 'neq'
  | 'in'
  | 'nin'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'contains'
  | 'exists'
/** `missing` is `exists` with the value false: "is empty". */
export type UiOp = ApiOp | 'missing'

export type FieldKind = 'text' | 'number' | 'money' | 'date' | 'boolean' | 'enum' | 'owner' | 'id'

export interface FilterField {
  key: string
  label: string
  kind: FieldKind
  options?: Option[]
}

export interface ApiCondition {
  field: string
  op: ApiOp
  value?: unknown
}

export interface ApiFilter {
  all: ApiCondition[]
}

export interface Condition {
  field: string
  op: UiOp
  value: string | string[]
}

export const opLabels: Record<UiOp, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is any of',
  nin: 'is none of',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  contains: 'contains',
  exists: 'is set',
  missing: 'is empty',
}

const dateOpLabels: Partial<Record<UiOp, string>> = { gte: 'is on or after', lt: 'is before' }

export function opLabel(kind: FieldKind, op: UiOp): string {
  return (kind === 'date' ? dateOpLabels[op] : undefined) ?? opLabels[op]
}

export function opsFor(kind: FieldKind): UiOp[] {
  switch (kind) {
    case 'text':
      return ['contains', 'eq', 'neq', 'in', 'nin', 'exists', 'missing']
    case 'number':
    case 'money':
      return ['gte', 'lte', 'gt', 'lt', 'eq', 'neq', 'exists', 'missing']
    case 'date':
      return ['gte', 'lt', 'exists', 'missing']
    case 'boolean':
      return ['eq']
    case 'enum':
    case 'owner':
      return ['eq', 'neq', 'in', 'nin', 'exists', 'missing']
    case 'id':
      return ['eq', 'neq', 'exists', 'missing']
  }
}

export function needsValue(op: UiOp): boolean {
  return op !== 'exists' && op !== 'missing'
}

export function isMulti(op: UiOp): boolean {
  return op === 'in' || op === 'nin'
}

function toScalar(kind: FieldKind, raw: string): unknown {
  const text = raw.trim()
  if (kind === 'number') return Number(text)
  // Money filters are typed in major units; the API compares minor units (2-decimal currencies).
  if (kind === 'money') return Math.round(Number(text) * 100)
  if (kind === 'boolean') return text === 'true'
  return text
}

function fromScalar(kind: FieldKind, value: unknown): string {
  if (kind === 'money' && typeof value === 'number') return String(value / 100)
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return ''
}

function splitList(value: string | string[]): string[] {
  const items = Array.isArray(value) ? value : value.split(',')
  return items.map((v) => v.trim()).filter((v) => v.length > 0)
}

/** A condition is complete when it has the value its op needs, of the right type. */
export function isComplete(condition: Condition, field: FilterField | undefined): boolean {
  if (!field) return false
  if (!needsValue(condition.op)) return true
  if (isMulti(condition.op)) return splitList(condition.value).length > 0
  const text = Array.isArray(condition.value) ? '' : condition.value.trim()
  if (text === '') return false
  if (field.kind === 'number' || field.kind === 'money') return Number.isFinite(Number(text))
  return true
}

export function toApiCondition(condition: Condition, field: FilterField): ApiCondition {
  if (condition.op === 'exists') return { field: condition.field, op: 'exists', value: true }
  if (condition.op === 'missing') return { field: condition.field, op: 'exists', value: false }
  if (isMulti(condition.op)) {
    return {
      field: condition.field,
      op: condition.op,
      value: splitList(condition.value).map((v) => toScalar(field.kind, v)),
    }
  }
  const raw = Array.isArray(condition.value) ? (condition.value[0] ?? '') : condition.value
  return { field: condition.field, op: condition.op, value: toScalar(field.kind, raw) }
}

export function fromApiCondition(
  condition: ApiCondition,
  field: FilterField | undefined,
): Condition {
  const kind = field?.kind ?? 'text'
  if (condition.op === 'exists') {
    return {
      field: condition.field,
      op: condition.value === false ? 'missing' : 'exists',
      value: '',
    }
  }
  if (isMulti(condition.op)) {
    const values = Array.isArray(condition.value) ? condition.value : []
    return {
      field: condition.field,
      op: condition.op,
      value: values.map((v) => fromScalar(kind, v)),
    }
  }
  return { field: condition.field, op: condition.op, value: fromScalar(kind, condition.value) }
}

export function buildFilter(conditions: Condition[], fields: FilterField[]): ApiFilter | null {
  const all: ApiCondition[] = []
  for (const condition of conditions) {
    const field = fields.find((f) => f.key === condition.field)
    if (field && isComplete(condition, field)) all.push(toApiCondition(condition, field))
  }
  return all.length > 0 ? { all } : null
}

function isApiCondition(value: unknown): value is ApiCondition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { field?: unknown }).field === 'string' &&
    typeof (value as { op?: unknown }).op === 'string'
  )
}

/** Reads a filter as saved in a view or in the address; anything else is no filter. */
export function parseFilter(value: unknown): ApiFilter | null {
  const parsed = typeof value === 'string' ? safeJson(value) : value
  if (typeof parsed !== 'object' || parsed === null || !('all' in parsed)) return null
  const all = (parsed as { all: unknown }).all
  if (!Array.isArray(all)) return null
  const conditions = all.filter(isApiCondition)
  return conditions.length > 0 ? { all: conditions } : null
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** "Tier is enterprise", for the chips that show the active filter. */
export function describeCondition(condition: ApiCondition, fields: FilterField[]): string {
  const field = fields.find((f) => f.key === condition.field)
  const ui = fromApiCondition(condition, field)
  const label = field?.label ?? condition.field
  const kind = field?.kind ?? 'text'
  const op = opLabel(kind, ui.op)
  if (!needsValue(ui.op)) return `${label} ${op}`
  const values = Array.isArray(ui.value) ? ui.value : [ui.value]
  const shown = values.map((v) => field?.options?.find((o) => o.value === v)?.label ?? v)
  if (kind === 'boolean') return `${label}: ${ui.value === 'true' ? 'yes' : 'no'}`
  return `${label} ${op} ${shown.join(', ')}`
}
