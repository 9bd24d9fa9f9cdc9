import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Creates the workspace's rules row with the defaults if missing, then locks it for a change. */
export async function lockMqlRules(db: Kysely<DB>, workspaceId: string) {
  await db
    .insertInto('mqlRules')
    .values({ workspaceId })
    .onConflict((oc) => oc.column('workspaceId').doNothing())
    .execute()
  return db
    .selectFrom('mqlRules')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export async function selectWorkspaceTimeZone(db: Kysely<DB>, workspaceId: string) {
  const row = await db
    .selectFrom('workspaces')
    .select('timeZone')
    .where('id', '=', workspaceId)
    .executeTakeFirst()
  return row?.timeZone ?? 'UTC'
}

/**
 * The MQL targets whose month lies between two first days of months, both included: the volume
 * marketing commits to, for the "marketing commitment" beside sales' SLA attainment.
 */
export function selectMqlTargets(db: Kysely<DB>, workspaceId: string, from: string, to: string) {
  return db
    .selectFrom('mqlTargets')
    .select(['month', 'target', 'updatedAt'])
    .where('workspaceId', '=', workspaceId)
    .where('month', '>=', from)
    .where('month', '<=', to)
    .orderBy('month')
    .execute()
}

export function upsertMqlTarget(
  db: Kysely<DB>,
  workspaceId: string,
  month: string,
  target: number,
) {
  return db
    .insertInto('mqlTargets')
    .values({ workspaceId, month, target })
    .onConflict((oc) =>
      oc.columns(['workspaceId', 'month']).doUpdateSet({ target, updatedAt: new Date() }),
    )
    .returning(['month', 'target', 'updatedAt'])
    .executeTakeFirstOrThrow()
}

/** The target before a change, locked so two edits of one month are audited in order. */
export function lockMqlTarget(db: Kysely<DB>, workspaceId: string, month: string) {
  return db
    .selectFrom('mqlTargets')
    .select('target')
    .where('workspaceId', '=', workspaceId)
    .where('month', '=', month)
    .forUpdate()
    .executeTakeFirst()
}

export function deleteMqlTargetRow(db: Kysely<DB>, workspaceId: string, month: string) {
  return db
    .deleteFrom('mqlTargets')
    .where('workspaceId', '=', workspaceId)
    .where('month', '=', month)
    .returning('target')
    .executeTakeFirst()
}
