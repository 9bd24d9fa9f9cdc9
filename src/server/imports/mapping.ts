import type { CustomFieldDefinition } from '../custom-fields/values.ts'
import { AppError } from '../errors.ts'
import type { ImportField } from './fields.ts'
import type { PresetMapping } from './presets.ts'

/** The mapping of one file: which column fills which field, and how values translate. */
export interface ResolvedMapping {
  columns: { index: number; header: string; field: ImportField }[]
  /** csvColumn → field key, or null when ignored (what the preview shows). */
  mapping: Record<string, string | null>
  /** field → normalised csv value → our value. */
  values: Map<string, Map<string, string>>
  constants: Record<string, string>
}

/** Lower-case letters and digits only: "Last Name", "last_name" and "lastName" compare equal. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** Value mapping compares trimmed, lower-cased values. */
export const normalizeValue = (value: string) => value.trim().toLowerCase()

const customTypes = {
  text: 'text',
  number: 'number',
  date: 'date',
  select: 'enum',
  multi_select: 'multi',
} as const

/** Custom fields as import fields `custom.<key>`. */
export function customImportFields(definitions: CustomFieldDefinition[]): ImportField[] {
  return definitions.map((d) => ({
    key: `custom.${d.key}`,
    label: d.label,
    type: customTypes[d.type],
    values: d.type === 'select' || d.type === 'multi_select' ? d.options : undefined,
    max: 2000,
    aliases: [d.key],
  }))
}

function fail(message: string, details?: Record<string, unknown>): never {
  throw new AppError('invalid_input', message, details)
}

function automaticField(header: string, fields: ImportField[]): ImportField | undefined {
  const name = normalizeName(header)
  return fields.find(
    (f) =>
      normalizeName(f.key) === name ||
      normalizeName(f.label) === name ||
      (f.aliases ?? []).some((a) => normalizeName(a) === name),
  )
}

function lookup(record: Record<string, string> | undefined, header: string) {
  if (!record) return undefined
  if (header in record) return record[header]
  const name = normalizeName(header)
  return Object.entries(record).find(([k]) => normalizeName(k) === name)?.[1]
}

/**
 * Maps each header to a field: the --map overrides first, then the preset's column names, then
 * automatic matching of the normalised header with a field's key, label or usual aliases. A field
 * is filled by one column only; '' or "-" in --map ignores a column.
 */
export function resolveMapping(input: {
  headers: string[]
  fields: ImportField[]
  preset?: PresetMapping
  map?: Record<string, string>
  values?: Record<string, Record<string, string>>
}): ResolvedMapping {
  const { headers, fields, preset, map = {} } = input
  const byKey = new Map(fields.map((f) => [f.key, f]))
  const known = () => fields.map((f) => f.key).join(', ')
  for (const [column, target] of Object.entries(map)) {
    if (!headers.some((h) => h === column || normalizeName(h) === normalizeName(column)))
      fail(`map: the file has no column "${column}"; its columns: ${headers.join(', ')}`, {
        column,
      })
    if (target !== '' && target !== '-' && !byKey.has(target))
      fail(`map: unknown field "${target}"; fields: ${known()}`, { column })
  }
  const used = new Set<string>()
  const mapping: Record<string, string | null> = {}
  const columns: ResolvedMapping['columns'] = []
  headers.forEach((header, index) => {
    const override = lookup(map, header)
    const presetTarget = lookup(preset?.columns, header)
    let field: ImportField | undefined
    if (override !== undefined) field = byKey.get(override)
    else if (presetTarget !== undefined) field = byKey.get(presetTarget)
    else field = automaticField(header, fields)
    if (field && used.has(field.key)) {
      if (override !== undefined)
        fail(`map: two columns map to the field "${field.key}"`, { column: header })
      field = undefined
    }
    mapping[header] = field?.key ?? null
    if (!field) return
    used.add(field.key)
    columns.push({ index, header, field })
  })
  const values = new Map<string, Map<string, string>>()
  for (const source of [preset?.values ?? {}, input.values ?? {}]) {
    for (const [field, table] of Object.entries(source)) {
      if (!byKey.has(field)) fail(`values: unknown field "${field}"; fields: ${known()}`)
      const target = values.get(field) ?? new Map<string, string>()
      for (const [from, to] of Object.entries(table)) target.set(normalizeValue(from), to)
      values.set(field, target)
    }
  }
  const constants = Object.fromEntries(
    Object.entries(preset?.constants ?? {}).filter(([field]) => !used.has(field)),
  )
  return { columns, mapping, values, constants }
}

/** invalid_input when a field the entity needs has no column after mapping. */
export function checkRequired(
  mapping: ResolvedMapping,
  fields: ImportField[],
  anyOf: string[] = [],
) {
  const mapped = new Set(mapping.columns.map((c) => c.field.key))
  const missing = fields.filter((f) => f.required && !mapped.has(f.key))
  if (missing.length > 0) {
    fail(
      `missing required column${missing.length > 1 ? 's' : ''}: ${missing.map((f) => `${f.key} (${f.label})`).join(', ')}; map one with --map "CSV column=${missing[0]?.key}"`,
      { fields: missing.map((f) => f.key) },
    )
  }
  if (anyOf.length > 0 && !anyOf.some((k) => mapped.has(k))) {
    fail(`missing required column: one of ${anyOf.join(', ')} is needed`, { fields: anyOf })
  }
}
