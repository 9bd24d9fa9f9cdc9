/**
 * Targets (quotas) per rep, team and the company, per day, week, month and fiscal quarter, for
 * revenue, deals won, MQLs, SQLs and pipeline created (issue 13; DEFINITIONS.md "Forecasting and
 * targets"). One target per subject, metric and period: a second is a conflict naming the first.
 * Sales targets need targets:manage (admins, sales managers); MQL targets mql:manage (admins,
 * marketing), as marketing owns its MQL commitment. Every change is audited.
 */
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { type FiscalCalendar, type PeriodKind, periodByKey } from '../../domain/calendar.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB, TargetMetric } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor } from '../http/pagination.ts'
import { requireMember } from '../records/common.ts'
import { withProgress } from './progress.ts'

export const targetMetrics = ['revenue', 'deals_won', 'mqls', 'sqls', 'pipeline_created'] as const
export const targetSubjectKinds = ['company', 'team', 'rep'] as const
export const targetPeriodKinds = ['day', 'week', 'month', 'quarter'] as const
/** 10^15 minor units: far above any real quota, well below 2^53. */
const maxAmount = 1e15

const Amount = z
  .number()
  .int('amount: must be a whole number (minor units for money, a count otherwise)')
  .min(0, 'amount: must be 0 or more')
  .max(maxAmount, `amount: at most ${maxAmount}`)

export const TargetInput = z.object({
  subjectKind: z.enum(targetSubjectKinds),
  subjectId: z
    .string()
    .max(100)
    .optional()
    .describe("The team's id or the rep's user id; none for the company"),
  metric: z.enum(targetMetrics),
  period: z
    .string()
    .max(20)
    .describe('The period key: 2026-11-29 (day), 2026-W48 (week), 2026-11 (month), FY2027-Q1'),
  amount: Amount,
})
export type TargetInput = z.infer<typeof TargetInput>
export const TargetPatch = z.object({ amount: Amount })
export type TargetPatch = z.infer<typeof TargetPatch>

const LocalDay = z.iso.date()
export const TargetsQuery = z.object({
  subjectKind: z.enum(targetSubjectKinds).optional(),
  subjectId: z.string().max(100).optional(),
  metric: z.enum(targetMetrics).optional(),
  periodKind: z.enum(targetPeriodKinds).optional(),
  periodKey: z.string().max(20).optional().describe('Only this period, e.g. 2026-11'),
  on: LocalDay.optional().describe('Only the periods holding this local day'),
  from: LocalDay.optional().describe('Only periods ending after this day'),
  to: LocalDay.optional().describe('Only periods starting on or before this day'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: z.string().max(500).optional(),
})
export type TargetsQuery = z.infer<typeof TargetsQuery>

const columns = [
  'id',
  'subjectKind',
  'subjectId',
  'metric',
  'periodKind',
  'periodKey',
  'startsOn',
  'endsOn',
  'amount',
  'updatedAt',
] as const

async function calendarOf(db: Kysely<DB>, workspaceId: string): Promise<FiscalCalendar> {
  return db
    .selectFrom('workspaces')
    .select(['timeZone', 'fiscalYearStartMonth'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
}

function managePermission(metric: TargetMetric) {
  return metric === 'mqls' ? 'mql:manage' : 'targets:manage'
}

/** The period a key names, with its local first day and the day after its last. */
export function periodDays(key: string, calendar: FiscalCalendar) {
  let period: ReturnType<typeof periodByKey>
  try {
    period = periodByKey(key, calendar)
  } catch (error) {
    throw new AppError('invalid_input', (error as Error).message, { field: 'period' })
  }
  const day = (at: Date) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: calendar.timeZone }).format(at)
  return {
    kind: period.kind as PeriodKind,
    key: period.key,
    startsOn: day(period.start),
    endsOn: day(period.end),
  }
}

/** Checks the subject exists: a team of the workspace, or one of its members. */
async function checkSubject(db: Kysely<DB>, workspaceId: string, input: TargetInput) {
  if (input.subjectKind === 'company') {
    if (input.subjectId) {
      throw new AppError('invalid_input', 'subjectId: a company target has no subject id', {
        field: 'subjectId',
      })
    }
    return ''
  }
  if (!input.subjectId) {
    throw new AppError('invalid_input', `subjectId: required for a ${input.subjectKind} target`, {
      field: 'subjectId',
    })
  }
  if (input.subjectKind === 'rep') {
    await requireMember(db, workspaceId, input.subjectId, 'subjectId')
    return input.subjectId
  }
  const team = z.uuid().safeParse(input.subjectId).success
    ? await db
        .selectFrom('teams')
        .select('id')
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', input.subjectId)
        .executeTakeFirst()
    : undefined
  if (!team) {
    throw new AppError('invalid_input', 'subjectId: no team of this workspace has this id', {
      field: 'subjectId',
    })
  }
  return team.id
}

function present<T extends { amount: number | string }>(row: T) {
  return { ...row, amount: Number(row.amount) }
}

/**
 * Targets matching the query, in period order, each with its actual so far and its attainment;
 * keyset pages of at most 500.
 */
export async function listTargets(db: Database, principal: Principal, query: TargetsQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const after = decodeCursor(query.cursor, ['startsOn', 'id'])
  let select = db.selectFrom('targets').select(columns).where('workspaceId', '=', workspaceId)
  if (query.subjectKind) select = select.where('subjectKind', '=', query.subjectKind)
  if (query.subjectId !== undefined) select = select.where('subjectId', '=', query.subjectId)
  if (query.metric) select = select.where('metric', '=', query.metric)
  if (query.periodKind) select = select.where('periodKind', '=', query.periodKind)
  if (query.periodKey) select = select.where('periodKey', '=', query.periodKey)
  if (query.on) select = select.where('startsOn', '<=', query.on).where('endsOn', '>', query.on)
  if (query.from) select = select.where('endsOn', '>', query.from)
  if (query.to) select = select.where('startsOn', '<=', query.to)
  if (after) {
    select = select.where(
      sql<boolean>`(starts_on, id) > (${String(after.startsOn)}::date, ${String(after.id)}::uuid)`,
    )
  }
  const [rows, calendar] = await Promise.all([
    select
      .orderBy('startsOn')
      .orderBy('id')
      .limit(query.limit + 1)
      .execute(),
    calendarOf(db, workspaceId),
  ])
  const page = rows.slice(0, query.limit).map(present)
  const last = page.at(-1)
  return {
    data: await withProgress(db, workspaceId, calendar.timeZone, page),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ startsOn: last.startsOn, id: last.id })
        : null,
  }
}

async function findTarget(db: Kysely<DB>, workspaceId: string, id: string, lock = false) {
  let select = db
    .selectFrom('targets')
    .select(columns)
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
  if (lock) select = select.forUpdate()
  const row = await select.executeTakeFirst()
  if (!row) throw new AppError('not_found', 'Target not found')
  return present(row)
}

export async function getTarget(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const [row, calendar] = await Promise.all([
    findTarget(db, workspaceId, id),
    calendarOf(db, workspaceId),
  ])
  const [target] = await withProgress(db, workspaceId, calendar.timeZone, [row])
  return target as NonNullable<typeof target>
}

const metricLabel: Record<TargetMetric, string> = {
  revenue: 'revenue',
  deals_won: 'deals won',
  mqls: 'MQL',
  sqls: 'SQL',
  pipeline_created: 'pipeline created',
}

/** Sets a new target; a conflict (409) names the target that already covers the period. */
export async function createTarget(db: Database, principal: Principal, input: TargetInput) {
  const { workspaceId } = requirePermission(principal, managePermission(input.metric))
  const calendar = await calendarOf(db, workspaceId)
  const period = periodDays(input.period, calendar)
  const subjectId = await checkSubject(db, workspaceId, input)
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('targets')
      .values({
        workspaceId,
        id: uuidv7(),
        subjectKind: input.subjectKind,
        subjectId,
        metric: input.metric,
        periodKind: period.kind,
        periodKey: period.key,
        startsOn: period.startsOn,
        endsOn: period.endsOn,
        amount: input.amount,
        createdBy: principal.kind === 'user' ? principal.userId : null,
      })
      .onConflict((oc) =>
        oc
          .columns(['workspaceId', 'subjectKind', 'subjectId', 'metric', 'periodKind', 'periodKey'])
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst()
    if (!row) {
      const existing = await trx
        .selectFrom('targets')
        .select(['id', 'amount'])
        .where('workspaceId', '=', workspaceId)
        .where('subjectKind', '=', input.subjectKind)
        .where('subjectId', '=', subjectId)
        .where('metric', '=', input.metric)
        .where('periodKind', '=', period.kind)
        .where('periodKey', '=', period.key)
        .executeTakeFirstOrThrow()
      throw new AppError(
        'conflict',
        `period: a ${metricLabel[input.metric]} target of ${existing.amount} for this ${input.subjectKind} in ${period.key} already exists; change that one instead`,
        { field: 'period', existingId: existing.id },
      )
    }
    await recordAudit(trx, principal, workspaceId, {
      action: 'target.create',
      targetType: 'target',
      targetId: row.id,
      details: { ...input, subjectId, period: period.key },
    })
    return row.id
  })
  return getTarget(db, principal, id)
}

export async function updateTarget(
  db: Database,
  principal: Principal,
  id: string,
  patch: TargetPatch,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  await db.transaction().execute(async (trx) => {
    const before = await findTarget(trx, workspaceId, id, true)
    requirePermission(principal, managePermission(before.metric))
    await trx
      .updateTable('targets')
      .set({ amount: patch.amount, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'target.update',
      targetType: 'target',
      targetId: id,
      details: { amount: { from: before.amount, to: patch.amount } },
    })
  })
  return getTarget(db, principal, id)
}

export async function deleteTarget(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  await db.transaction().execute(async (trx) => {
    const before = await findTarget(trx, workspaceId, id, true)
    requirePermission(principal, managePermission(before.metric))
    await trx
      .deleteFrom('targets')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'target.delete',
      targetType: 'target',
      targetId: id,
      details: before,
    })
  })
}
