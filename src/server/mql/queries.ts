import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
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

/** Marketing's monthly MQL commitment: the company's monthly `mqls` targets (issue 13's targets). */
const companyMqls = {
  subjectKind: 'company',
  subjectId: '',
  metric: 'mqls',
  periodKind: 'month',
} as const

function companyMqlTargets(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('targets')
    .where('workspaceId', '=', workspaceId)
    .where('subjectKind', '=', companyMqls.subjectKind)
    .where('subjectId', '=', companyMqls.subjectId)
    .where('metric', '=', companyMqls.metric)
    .where('periodKind', '=', companyMqls.periodKind)
}

/**
 * The MQL targets whose month lies between two first days of months, both included: the volume
 * marketing commits to, for the "marketing commitment" beside sales' SLA attainment.
 */
export function selectMqlTargets(db: Kysely<DB>, workspaceId: string, from: string, to: string) {
  return companyMqlTargets(db, workspaceId)
    .select(['startsOn as month', 'amount as target', 'updatedAt'])
    .where('startsOn', '>=', from)
    .where('startsOn', '<=', to)
    .orderBy('startsOn')
    .execute()
}

/** The same, keyed by month ('YYYY-MM'), for the reports. */
export async function mqlTargetsByMonth(
  db: Kysely<DB>,
  workspaceId: string,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const rows = await selectMqlTargets(db, workspaceId, from, to)
  return new Map(rows.map((r) => [r.month.slice(0, 7), Number(r.target)]))
}

export function upsertMqlTarget(
  db: Kysely<DB>,
  workspaceId: string,
  month: string,
  target: number,
) {
  const end = new Date(`${month}T00:00:00Z`)
  end.setUTCMonth(end.getUTCMonth() + 1)
  return db
    .insertInto('targets')
    .values({
      workspaceId,
      id: uuidv7(),
      ...companyMqls,
      periodKey: month.slice(0, 7),
      startsOn: month,
      endsOn: end.toISOString().slice(0, 10),
      amount: target,
    })
    .onConflict((oc) =>
      oc
        .columns(['workspaceId', 'subjectKind', 'subjectId', 'metric', 'periodKind', 'periodKey'])
        .doUpdateSet({ amount: target, updatedAt: new Date() }),
    )
    .returning(['startsOn as month', 'amount as target', 'updatedAt'])
    .executeTakeFirstOrThrow()
}

/** The target before a change, locked so two edits of one month are audited in order. */
export function lockMqlTarget(db: Kysely<DB>, workspaceId: string, month: string) {
  return companyMqlTargets(db, workspaceId)
    .select('amount as target')
    .where('startsOn', '=', month)
    .forUpdate()
    .executeTakeFirst()
}

export function deleteMqlTargetRow(db: Kysely<DB>, workspaceId: string, month: string) {
  return db
    .deleteFrom('targets')
    .where('workspaceId', '=', workspaceId)
    .where('subjectKind', '=', companyMqls.subjectKind)
    .where('subjectId', '=', companyMqls.subjectId)
    .where('metric', '=', companyMqls.metric)
    .where('periodKind', '=', companyMqls.periodKind)
    .where('startsOn', '=', month)
    .returning('amount as target')
    .executeTakeFirst()
}
