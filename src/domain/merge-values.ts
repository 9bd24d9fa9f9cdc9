import { lifecycleStages } from './lifecycle.ts'

// The values a merged record keeps. The survivor comes first; a person may choose, per field, the
// record whose value wins. Without a choice the survivor's value stays unless it is empty, in which
// case the first other record (in the order given) with a value lends it.

export interface MergeSource<V> {
  id: string
  values: V
}

/** Empty means nothing to keep: null, undefined, blank text, an empty list or object. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  if (value instanceof Date) return false
  if (typeof value === 'object') return Object.keys(value).length === 0
  return false
}

/**
 * For each field, the id of the record whose value the merged record keeps: the chosen one, else
 * the survivor when its value is not empty, else the first other with a value, else the survivor.
 */
export function pickSources<V extends Record<string, unknown>>(
  records: readonly MergeSource<V>[],
  fields: readonly (keyof V & string)[],
  choices: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const [survivor] = records
  if (!survivor) return {}
  const sources: Record<string, string> = {}
  for (const field of fields) {
    const chosen = choices[field]
    const lender = records.find((r) => !isEmptyValue(r.values[field]))
    sources[field] = chosen ?? lender?.id ?? survivor.id
  }
  return sources
}

/** The values named by pickSources, field by field. */
export function valuesFrom<V extends Record<string, unknown>>(
  records: readonly MergeSource<V>[],
  sources: Readonly<Record<string, string>>,
): Partial<V> {
  const values: Partial<V> = {}
  for (const [field, id] of Object.entries(sources)) {
    const record = records.find((r) => r.id === id)
    if (record) values[field as keyof V] = record.values[field as keyof V]
  }
  return values
}

/**
 * Custom field values merged key by key with the same rule: a choice under `custom.<key>` wins,
 * else the survivor's non-empty value, else the first other's.
 */
export function mergeCustomValues<C extends Record<string, unknown>>(
  records: readonly MergeSource<C>[],
  choices: Readonly<Record<string, string>> = {},
): C {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r.values)))]
  const prefixed = Object.fromEntries(
    Object.entries(choices)
      .filter(([field]) => field.startsWith('custom.'))
      .map(([field, id]) => [field.slice('custom.'.length), id]),
  )
  const sources = pickSources(records, keys, prefixed)
  const merged: Record<string, unknown> = {}
  for (const key of keys) {
    const value = records.find((r) => r.id === sources[key])?.values[key]
    if (value !== undefined) merged[key] = value
  }
  return merged as C
}

/**
 * The record whose lifecycle stage a merge keeps without a choice: the one furthest along the
 * main stages (history is forward-only, so the merged record must not fall behind a stage it has
 * entries for), else a side state, else the first record.
 */
export function pickFurthestStage(records: readonly { id: string; stage: string | null }[]) {
  const rank = (stage: string | null) => {
    if (stage === null) return -2
    const index = (lifecycleStages as readonly string[]).indexOf(stage)
    return index >= 0 ? index : -1
  }
  let best = records[0]
  for (const record of records) {
    if (best === undefined || rank(record.stage) > rank(best.stage)) best = record
  }
  return best?.id
}
