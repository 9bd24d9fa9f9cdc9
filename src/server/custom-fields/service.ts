import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { CustomFieldType } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { changes } from '../records/fields.ts'
import { presentDefinition } from './present.ts'
import {
  countOptionUse,
  findDefinition,
  findDefinitionByKey,
  lockDefinition,
  removeCustomKey,
  selectDefinitions,
} from './queries.ts'

export const customFieldEntities = ['account', 'contact', 'deal'] as const
export const customFieldTypes = ['text', 'number', 'date', 'select', 'multi_select'] as const
const plural = { account: 'accounts', contact: 'contacts', deal: 'deals' } as const

const Options = z.array(z.string().trim().min(1).max(100)).max(200)
export const CustomFieldInput = z.object({
  entity: z.enum(customFieldEntities),
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be snake_case: a-z first, then a-z, 0-9 or _'),
  label: z.string().trim().min(1).max(100),
  type: z.enum(customFieldTypes),
  options: Options.optional().describe('required (non-empty) for select and multi_select'),
  position: z.number().int().min(0).max(10_000).optional(),
})
export type CustomFieldInput = z.infer<typeof CustomFieldInput>
export const CustomFieldPatch = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  options: Options.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
})
export type CustomFieldPatch = z.infer<typeof CustomFieldPatch>
export const CustomFieldQuery = z.object({ entity: z.enum(customFieldEntities).optional() })

const isSelect = (type: CustomFieldType) => type === 'select' || type === 'multi_select'

function checkOptions(type: CustomFieldType, options: string[] | undefined): string[] {
  const list = options ?? []
  if (isSelect(type) && list.length === 0)
    throw new AppError('invalid_input', `options: a ${type} field needs at least one option`, {
      field: 'options',
    })
  if (!isSelect(type) && list.length > 0)
    throw new AppError('invalid_input', `options: a ${type} field has no options`, {
      field: 'options',
    })
  const twice = list.find((o, i) => list.indexOf(o) !== i)
  if (twice !== undefined)
    throw new AppError('invalid_input', `options: "${twice}" is listed twice`, { field: 'options' })
  return list
}

/** The workspace's custom field definitions, of one entity or all. */
export async function listCustomFields(
  db: Database,
  principal: Principal,
  entity: CustomFieldInput['entity'] | undefined,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const rows = await selectDefinitions(db, workspaceId, entity)
  return { data: rows.map(presentDefinition), nextCursor: null }
}

/** Defines a custom field; records then accept `custom.<key>` values of its type. */
export async function createCustomField(
  db: Database,
  principal: Principal,
  input: CustomFieldInput,
) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  const options = checkOptions(input.type, input.options)
  const row = await db.transaction().execute(async (trx) => {
    if (await findDefinitionByKey(trx, workspaceId, input.entity, input.key)) {
      throw new AppError(
        'conflict',
        `key: ${plural[input.entity]} already have a custom field "${input.key}"`,
        { field: 'key' },
      )
    }
    const created = await trx
      .insertInto('customFieldDefinitions')
      .values({ workspaceId, id: uuidv7(), ...input, options })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, principal, workspaceId, {
      action: 'custom_field.create',
      targetType: 'custom_field',
      targetId: created.id,
      details: { entity: input.entity, key: input.key, type: input.type },
    })
    return created
  })
  return presentDefinition(row)
}

/**
 * Changes a definition's label, options or position. Removing an option that live records still
 * hold is a conflict naming it, so no record is left with a value its field does not allow.
 */
export async function updateCustomField(
  db: Database,
  principal: Principal,
  id: string,
  patch: CustomFieldPatch,
) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await db.transaction().execute(async (trx) => {
    const before = await lockDefinition(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Custom field not found')
    const values: CustomFieldPatch = { ...patch }
    if (patch.options !== undefined) {
      values.options = checkOptions(before.type, patch.options)
      const removed = before.options.filter((o) => !values.options?.includes(o))
      for (const option of removed) {
        const count = await countOptionUse(
          trx,
          workspaceId,
          before.entity,
          before.key,
          option,
          before.type === 'multi_select',
        )
        if (count > 0) {
          throw new AppError(
            'conflict',
            `options: "${option}" is still used by ${count} ${count === 1 ? before.entity : plural[before.entity]}`,
            { field: 'options', option, count },
          )
        }
      }
    }
    await trx
      .updateTable('customFieldDefinitions')
      .set({ ...values, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'custom_field.update',
      targetType: 'custom_field',
      targetId: id,
      details: changes(before, values),
    })
  })
  const row = await findDefinition(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Custom field not found')
  return presentDefinition(row)
}

/** Deletes a definition and, in the same transaction, its values from every record. */
export async function deleteCustomField(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await db.transaction().execute(async (trx) => {
    const row = await lockDefinition(trx, workspaceId, id)
    if (!row) throw new AppError('not_found', 'Custom field not found')
    await trx
      .deleteFrom('customFieldDefinitions')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    const cleared = await removeCustomKey(trx, workspaceId, row.entity, row.key)
    await recordAudit(trx, principal, workspaceId, {
      action: 'custom_field.delete',
      targetType: 'custom_field',
      targetId: id,
      details: { entity: row.entity, key: row.key, recordsCleared: cleared },
    })
  })
}
