import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { PageQuery } from '../http/pagination.ts'
import { FilterSchema } from '../records/filter.ts'
import { parseSort, type Sortable, toPage } from '../records/list.ts'
import { presentView } from './present.ts'
import { findViewByName, selectViewPage } from './queries.ts'

export const viewEntities = [
  'account',
  'contact',
  'deal',
  'activity',
  'campaign',
  'product',
] as const

export const SavedViewInput = z.object({
  entity: z.enum(viewEntities),
  name: z.string().trim().min(1).max(100),
  filter: FilterSchema.nullable().optional().describe('the filter language, as lists take it'),
  sort: z
    .string()
    .regex(/^-?[A-Za-z][A-Za-z0-9_.]*$/, 'must be a field name, - in front for descending')
    .max(60)
    .nullable()
    .optional(),
  columns: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
})
export type SavedViewInput = z.infer<typeof SavedViewInput>
export const SavedViewQuery = PageQuery.extend({ entity: z.enum(viewEntities) })
export type SavedViewQuery = z.infer<typeof SavedViewQuery>

const sortable: Record<string, Sortable> = {
  name: { type: 'text', sql: () => sql.ref('v.name') },
}

// Saved views belong to a person; an API key acts for no one in particular.
function requirePerson(principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  if (principal.kind !== 'user')
    throw new AppError('forbidden', 'Saved views belong to people: sign in to use them')
  return { workspaceId, userId: principal.userId }
}

/** The signed-in person's saved views of one entity, by name. */
export async function listSavedViews(db: Database, principal: Principal, query: SavedViewQuery) {
  const person = requirePerson(principal)
  const sort = parseSort(undefined, sortable, 'name')
  const rows = await selectViewPage(
    db,
    { ...person, entity: query.entity },
    sort,
    query.cursor,
    query.limit,
  )
  return toPage(rows, query.limit, sort, presentView)
}

/** Saves a named filter, sort and column set of a list for the signed-in person. */
export async function createSavedView(db: Database, principal: Principal, input: SavedViewInput) {
  const person = requirePerson(principal)
  return db.transaction().execute(async (trx) => {
    if (await findViewByName(trx, { ...person, entity: input.entity }, input.name)) {
      throw new AppError('conflict', `name: you already have a view named "${input.name}"`, {
        field: 'name',
      })
    }
    const row = await trx
      .insertInto('savedViews')
      .values({
        workspaceId: person.workspaceId,
        id: uuidv7(),
        userId: person.userId,
        entity: input.entity,
        name: input.name,
        filter: input.filter ? JSON.stringify(input.filter) : null,
        sort: input.sort ?? null,
        columns: input.columns ?? [],
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, principal, person.workspaceId, {
      action: 'saved_view.create',
      targetType: 'saved_view',
      targetId: row.id,
      details: { entity: row.entity, name: row.name },
    })
    return presentView(row)
  })
}

/** Deletes one of the person's own views; anyone else's is not_found. */
export async function deleteSavedView(db: Database, principal: Principal, id: string) {
  const person = requirePerson(principal)
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('savedViews')
      .where('workspaceId', '=', person.workspaceId)
      .where('userId', '=', person.userId)
      .where('id', '=', id)
      .returning(['name', 'entity'])
      .executeTakeFirst()
    if (!row) throw new AppError('not_found', 'Saved view not found')
    await recordAudit(trx, principal, person.workspaceId, {
      action: 'saved_view.delete',
      targetType: 'saved_view',
      targetId: id,
      details: row,
    })
  })
}
