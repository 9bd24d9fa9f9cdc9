import type { Kysely, Selectable } from 'kysely'
import { sql } from 'kysely'
import type {
  CustomFieldDefinitionsTable,
  CustomFieldEntity,
  CustomValues,
  DB,
} from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { isRealDate } from '../records/fields.ts'
import type { FieldMap } from '../records/filter.ts'

export type CustomFieldDefinition = Selectable<CustomFieldDefinitionsTable>

export function loadDefinitions(db: Kysely<DB>, workspaceId: string, entity: CustomFieldEntity) {
  return db
    .selectFrom('customFieldDefinitions')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .orderBy('position')
    .orderBy('key')
    .execute()
}

function invalid(key: string, message: string): never {
  throw new AppError('invalid_input', `custom.${key}: ${message}`, { field: `custom.${key}` })
}

/**
 * Checks custom values against the workspace's definitions: unknown keys and type mismatches are
 * invalid_input naming `custom.<key>`; null clears a value. Returns the merged values to store.
 */
export function checkCustomValues(
  definitions: CustomFieldDefinition[],
  input: Record<string, unknown>,
  existing: CustomValues = {},
): CustomValues {
  const byKey = new Map(definitions.map((d) => [d.key, d]))
  const merged: CustomValues = { ...existing }
  for (const [key, value] of Object.entries(input)) {
    const definition = byKey.get(key)
    if (!definition) {
      invalid(
        key,
        `no custom field "${key}" is defined${definitions.length ? `; defined: ${[...byKey.keys()].join(', ')}` : ''}`,
      )
    }
    if (value === null) {
      delete merged[key]
      continue
    }
    switch (definition.type) {
      case 'text':
        if (typeof value !== 'string' || value.length > 2000)
          invalid(key, 'must be text of at most 2,000 characters')
        merged[key] = value
        break
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) invalid(key, 'must be a number')
        merged[key] = value
        break
      case 'date':
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !isRealDate(value)) {
          invalid(key, 'must be a date YYYY-MM-DD')
        }
        merged[key] = value
        break
      case 'select':
        if (typeof value !== 'string' || !definition.options.includes(value)) {
          invalid(key, `must be one of ${definition.options.join(', ')}`)
        }
        merged[key] = value
        break
      case 'multi_select':
        if (
          !Array.isArray(value) ||
          value.some((v) => typeof v !== 'string' || !definition.options.includes(v))
        ) {
          invalid(key, `must be a list of ${definition.options.join(', ')}`)
        }
        merged[key] = [...new Set(value as string[])]
        break
    }
  }
  return merged
}

/** Filter fields `custom.<key>` for the given definitions, typed like their definition. */
export function customFilterFields(definitions: CustomFieldDefinition[], alias: string): FieldMap {
  const fields: FieldMap = {}
  for (const d of definitions) {
    const ref = sql.ref(`${alias}.custom`)
    if (d.type === 'number')
      fields[`custom.${d.key}`] = { type: 'number', sql: () => sql`(${ref}->>${d.key})::numeric` }
    else if (d.type === 'date')
      fields[`custom.${d.key}`] = { type: 'date', sql: () => sql`(${ref}->>${d.key})::date` }
    else if (d.type === 'multi_select') {
      fields[`custom.${d.key}`] = {
        type: 'text_array',
        values: d.options,
        sql: () =>
          sql`array(select jsonb_array_elements_text(coalesce(${ref}->${d.key}, '[]'::jsonb)))`,
      }
    } else {
      fields[`custom.${d.key}`] = {
        type: 'text',
        values: d.type === 'select' ? d.options : undefined,
        sql: () => sql`${ref}->>${d.key}`,
      }
    }
  }
  return fields
}
