import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { DB, TargetMetric } from '../db/schema.ts'

/** A plan with the names of who proposed and who agreed. */
export function selectPlans(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('waterfallPlans as p')
    .leftJoin('users as s', 's.id', 'p.salesAgreedBy')
    .leftJoin('users as m', 'm.id', 'p.marketingAgreedBy')
    .leftJoin('users as c', 'c.id', 'p.createdBy')
    .selectAll('p')
    .select([
      's.name as salesAgreedByName',
      'm.name as marketingAgreedByName',
      'c.name as createdByName',
    ])
    .where('p.workspaceId', '=', workspaceId)
}

export type PlanRow = Awaited<ReturnType<ReturnType<typeof selectPlans>['executeTakeFirstOrThrow']>>

export function lockPlanByPeriod(
  db: Kysely<DB>,
  workspaceId: string,
  periodKind: 'month' | 'quarter',
  periodKey: string,
) {
  return db
    .selectFrom('waterfallPlans')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('periodKind', '=', periodKind)
    .where('periodKey', '=', periodKey)
    .forUpdate()
    .executeTakeFirst()
}

export function lockPlan(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('waterfallPlans')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export interface PlanFigures {
  revenueTarget: number
  averageDealSize: number
  sqlToWonRate: number
  mqlToSqlRate: number
  wonNeeded: number
  sqlsNeeded: number
  mqlsNeeded: number
}

export async function insertPlan(
  db: Kysely<DB>,
  workspaceId: string,
  period: { kind: 'month' | 'quarter'; key: string; startsOn: string; endsOn: string },
  figures: PlanFigures,
  createdBy: string | null,
) {
  const id = uuidv7()
  await db
    .insertInto('waterfallPlans')
    .values({
      workspaceId,
      id,
      periodKind: period.kind,
      periodKey: period.key,
      startsOn: period.startsOn,
      endsOn: period.endsOn,
      ...figures,
      createdBy,
    })
    .execute()
  return id
}

/** New figures clear both agreements: each side agrees to numbers, not to a plan's name. */
export function updatePlanFigures(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  figures: PlanFigures,
) {
  return db
    .updateTable('waterfallPlans')
    .set({
      ...figures,
      salesAgreedBy: null,
      salesAgreedAt: null,
      marketingAgreedBy: null,
      marketingAgreedAt: null,
      updatedAt: new Date(),
    })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

export function setAgreement(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  side: 'sales' | 'marketing',
  by: { userId: string; at: Date } | null,
) {
  const values =
    side === 'sales'
      ? { salesAgreedBy: by?.userId ?? null, salesAgreedAt: by?.at ?? null }
      : { marketingAgreedBy: by?.userId ?? null, marketingAgreedAt: by?.at ?? null }
  return db
    .updateTable('waterfallPlans')
    .set({ ...values, updatedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

/** The company's targets of a period set to `amounts` (inserted or overwritten). */
export async function upsertCompanyTargets(
  db: Kysely<DB>,
  workspaceId: string,
  period: { periodKind: 'month' | 'quarter'; periodKey: string; startsOn: string; endsOn: string },
  amounts: Partial<Record<TargetMetric, number>>,
  createdBy: string | null,
) {
  const rows = Object.entries(amounts).map(([metric, amount]) => ({
    workspaceId,
    id: uuidv7(),
    subjectKind: 'company' as const,
    subjectId: '',
    metric: metric as TargetMetric,
    periodKind: period.periodKind,
    periodKey: period.periodKey,
    startsOn: period.startsOn,
    endsOn: period.endsOn,
    amount: amount as number,
    createdBy,
  }))
  if (rows.length === 0) return
  await db
    .insertInto('targets')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['workspaceId', 'subjectKind', 'subjectId', 'metric', 'periodKind', 'periodKey'])
        .doUpdateSet({
          amount: sql`excluded.amount`,
          startsOn: sql`excluded.starts_on`,
          endsOn: sql`excluded.ends_on`,
          updatedAt: new Date(),
        }),
    )
    .execute()
}

/** The company's revenue target of a period, if one is set. */
export async function selectCompanyRevenueTarget(
  db: Kysely<DB>,
  workspaceId: string,
  periodKind: 'month' | 'quarter',
  periodKey: string,
) {
  const row = await db
    .selectFrom('targets')
    .select('amount')
    .where('workspaceId', '=', workspaceId)
    .where('subjectKind', '=', 'company')
    .where('subjectId', '=', '')
    .where('metric', '=', 'revenue')
    .where('periodKind', '=', periodKind)
    .where('periodKey', '=', periodKey)
    .executeTakeFirst()
  return row ? Number(row.amount) : null
}
