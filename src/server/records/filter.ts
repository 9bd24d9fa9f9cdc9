import { type Expression, type SqlBool, sql } from 'kysely'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { isRealDate } from './fields.ts'

/**
 * The one filter language (ARCHITECTURE.md, API conventions):
 * `{ "all" | "any": [ { "field", "op", "value" } | group, … ] }`, compiled to SQL for one entity
 * whose fields are described by a FieldMap. Unknown fields, ops that do not fit a field's type and
 * values of the wrong type are invalid_input naming where they are.
 */
export const filterOps = [
  'eq',
  'neq',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'exists',
] as const
export type FilterOp = (typeof filterOps)[number]

export interface Condition {
  field: string
  op: FilterOp
  value?: unknown
}
export type Filter = { all: (Condition | Filter)[] } | { any: (Condition | Filter)[] }

const ConditionSchema = z.object({
  field: z.string().min(1).max(200),
  op: z.enum(filterOps),
  value: z.unknown().optional(),
})
export const FilterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(z.union([ConditionSchema, FilterSchema])).max(50) }).strict(),
    z.object({ any: z.array(z.union([ConditionSchema, FilterSchema])).max(50) }).strict(),
  ]),
)

export type FieldType = 'text' | 'number' | 'date' | 'timestamp' | 'boolean' | 'uuid' | 'text_array'

export interface FieldSpec {
  type: FieldType
  /** The SQL expression of the field, relative to the listed table's alias. */
  sql: () => Expression<unknown>
  /** Values the field may take (enums); checked when filtering. */
  values?: readonly string[]
  /**
   * For a field of a linked record (records/related.ts): conditions compile to
   * `exists (… where <condition on column>)`, negative ones (neq, nin, exists false) to
   * `not exists (…)` of the positive one, which gives the same rows as the value's subquery.
   */
  related?: {
    column: () => Expression<unknown>
    exists: (condition: Expression<SqlBool>) => Expression<SqlBool>
  }
}
export type FieldMap = Record<string, FieldSpec>

const opsFor: Record<FieldType, readonly FilterOp[]> = {
  text: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists'],
  number: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'exists'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists'],
  timestamp: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists'],
  boolean: ['eq', 'neq', 'exists'],
  uuid: ['eq', 'neq', 'in', 'nin', 'exists'],
  text_array: ['contains', 'exists', 'eq'],
}

/** Parses `filter=` (URL-encoded JSON) from a query string; absent means no filter. */
export function parseFilterParam(raw: string | undefined): Filter | undefined {
  if (raw === undefined || raw === '') return undefined
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new AppError('invalid_input', 'filter: not valid JSON', { field: 'filter' })
  }
  const parsed = FilterSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new AppError(
      'invalid_input',
      `filter: ${issue?.path.join('.') || 'root'}: must be { "all" | "any": [ { field, op, value } ] }`,
      { field: 'filter', issues: parsed.error.issues },
    )
  }
  return parsed.data
}

/** Compiles a filter into a WHERE expression over the fields of one entity. */
export function compileFilter(
  filter: Filter,
  fields: FieldMap,
  at = 'filter',
): Expression<SqlBool> {
  const isAll = 'all' in filter
  const items = isAll ? filter.all : filter.any
  const key = isAll ? 'all' : 'any'
  const parts = items.map((item, i) =>
    'field' in item
      ? compileCondition(item, fields, `${at}.${key}[${i}]`)
      : compileFilter(item, fields, `${at}.${key}[${i}]`),
  )
  if (parts.length === 0) return sql<SqlBool>`true`
  return sql<SqlBool>`(${sql.join(parts, sql.raw(isAll ? ' and ' : ' or '))})`
}

function fail(at: string, message: string): never {
  throw new AppError('invalid_input', `${at}: ${message}`, { field: at })
}

function compileCondition(c: Condition, fields: FieldMap, at: string): Expression<SqlBool> {
  const spec = fields[c.field]
  if (!spec) {
    fail(
      `${at}.field`,
      `unknown field "${c.field}"; known: ${Object.keys(fields).sort().join(', ')}`,
    )
  }
  if (!opsFor[spec.type].includes(c.op)) {
    fail(
      `${at}.op`,
      `"${c.op}" does not apply to ${c.field} (${spec.type}); use ${opsFor[spec.type].join(', ')}`,
    )
  }
  if (spec.related) return compileRelated(c, spec, spec.related, at)
  const column = spec.sql()
  if (c.op === 'exists') {
    if (typeof c.value !== 'boolean') fail(`${at}.value`, 'exists takes true or false')
    if (spec.type === 'text_array') {
      return c.value
        ? sql<SqlBool>`cardinality(${column}) > 0`
        : sql<SqlBool>`cardinality(${column}) = 0`
    }
    return c.value ? sql<SqlBool>`${column} is not null` : sql<SqlBool>`${column} is null`
  }
  if (c.op === 'in' || c.op === 'nin') {
    if (!Array.isArray(c.value) || c.value.length === 0 || c.value.length > 500) {
      fail(`${at}.value`, `${c.op} takes a list of 1 to 500 values`)
    }
    const values = c.value.map((v, i) => checkValue(spec, v, `${at}.value[${i}]`))
    const list = sql.join(values.map((v) => sql`${v}`))
    return c.op === 'in'
      ? sql<SqlBool>`${column} in (${list})`
      : sql<SqlBool>`(${column} is null or ${column} not in (${list}))`
  }
  if (c.op === 'contains') {
    if (spec.type === 'text_array') {
      const value = checkValue(
        { type: 'text', sql: spec.sql, values: spec.values },
        c.value,
        `${at}.value`,
      )
      return sql<SqlBool>`${value} = any(${column})`
    }
    if (typeof c.value !== 'string' || c.value.length === 0)
      fail(`${at}.value`, 'contains takes some text')
    const escaped = c.value.replace(/[\\%_]/g, (ch) => `\\${ch}`)
    return sql<SqlBool>`${column} ilike ${`%${escaped}%`}`
  }
  if (spec.type === 'text_array') {
    if (!Array.isArray(c.value) || c.value.some((v) => typeof v !== 'string')) {
      fail(`${at}.value`, 'eq on a list takes a list of text')
    }
    return sql<SqlBool>`${column} = ${c.value}`
  }
  const value = checkValue(spec, c.value, `${at}.value`)
  const ops: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' }
  if (c.op === 'neq') return sql<SqlBool>`${column} is distinct from ${value}`
  return sql<SqlBool>`${column} ${sql.raw(ops[c.op] ?? '=')} ${value}`
}

function compileRelated(
  c: Condition,
  spec: FieldSpec,
  related: NonNullable<FieldSpec['related']>,
  at: string,
): Expression<SqlBool> {
  const negative = c.op === 'neq' || c.op === 'nin' || (c.op === 'exists' && c.value === false)
  const positive: Condition = !negative
    ? c
    : c.op === 'exists'
      ? { ...c, value: true }
      : { ...c, op: c.op === 'neq' ? 'eq' : 'in' }
  const inner = { type: spec.type, values: spec.values, sql: related.column }
  const condition = compileCondition(positive, { [c.field]: inner }, at)
  const match = related.exists(condition)
  return negative ? sql<SqlBool>`not ${match}` : match
}

function checkValue(spec: FieldSpec, value: unknown, at: string): unknown {
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(at, 'must be a number')
      return value
    case 'boolean':
      if (typeof value !== 'boolean') fail(at, 'must be true or false')
      return value
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !isRealDate(value)) {
        fail(at, 'must be a date YYYY-MM-DD')
      }
      return value
    case 'timestamp':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
        fail(at, 'must be an ISO 8601 time')
      return new Date(value)
    case 'uuid':
      if (typeof value !== 'string' || !/^[0-9a-f-]{36}$/i.test(value)) fail(at, 'must be an id')
      return value
    case 'text':
    case 'text_array':
      if (typeof value !== 'string') fail(at, 'must be text')
      if (spec.values && !spec.values.includes(value))
        fail(at, `must be one of ${spec.values.join(', ')}`)
      return value
  }
}
