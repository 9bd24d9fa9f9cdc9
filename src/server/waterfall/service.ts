/**
 * The reverse-waterfall planner (issue 13; DEFINITIONS.md "Forecasting and targets"): a revenue
 * target for a month or fiscal quarter turned into the won deals, SQLs and MQLs it needs, from
 * measured (and editable) assumptions; sales' and marketing's leads each agree to it, and once
 * both have, its figures become the company's targets of the period (revenue, deals_won, sqls,
 * mqls), so marketing's MQL target is the one the plan proposed. Progress is tracked live with the
 * actuals of src/server/targets/progress.ts.
 *
 * Rules: any figure changed clears both agreements; plans of periods already over cannot be saved,
 * agreed or withdrawn (409); a withdrawal leaves the targets already written as they are (they are
 * the last agreed ones) until a plan is agreed again.
 */
import { z } from 'zod'
import { reverseWaterfall } from '../../domain/forecast.ts'
import { recordAudit } from '../audit/service.ts'
import { can } from '../auth/permissions.ts'
import { inWorkspace, type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { measureAssumptions, roundRate } from './assumptions.ts'
import {
  loadCalendar,
  type PlanPeriod,
  type PlanPeriodKind,
  planPeriod,
  planPeriodAt,
  planPeriodKinds,
  type WorkspaceCalendar,
} from './period.ts'
import { presentPlans } from './present.ts'
import {
  insertPlan,
  lockPlan,
  lockPlanByPeriod,
  type PlanFigures,
  selectCompanyRevenueTarget,
  selectPlans,
  setAgreement,
  updatePlanFigures,
  upsertCompanyTargets,
} from './queries.ts'

export const sides = ['sales', 'marketing'] as const
export type Side = (typeof sides)[number]
const agreePermission = { sales: 'plan:agree_sales', marketing: 'plan:agree_marketing' } as const

const PeriodKind = z.enum(planPeriodKinds, { error: () => 'must be month or quarter' })
const PeriodKey = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .describe("The period's key: '2026-11' (month) or 'FY2027-Q1' (fiscal quarter)")

export const AssumptionsQuery = z.object({
  periodKind: PeriodKind.default('month'),
  periodKey: PeriodKey.optional().describe('Default: the current period of that kind'),
})
export type AssumptionsQuery = z.infer<typeof AssumptionsQuery>

const Rate = (name: string) =>
  z
    .number({ error: () => 'must be a number more than 0, at most 1' })
    .gt(0, { error: () => 'must be more than 0, at most 1' })
    .lte(1, { error: () => 'must be more than 0, at most 1' })
    .describe(`${name}, 0-1 (stored to 6 decimals)`)

const Money = (name: string) =>
  z
    .number({ error: () => 'must be a whole number of minor units, more than 0' })
    .int({ error: () => 'must be a whole number of minor units, more than 0' })
    .positive({ error: () => 'must be a whole number of minor units, more than 0' })
    .max(Number.MAX_SAFE_INTEGER)
    .describe(`${name}, in minor units of the base currency`)

export const PlanInput = z.object({
  periodKind: PeriodKind,
  periodKey: PeriodKey,
  revenueTarget: Money('The revenue target'),
  averageDealSize: Money('The average won deal'),
  sqlToWonRate: Rate('Won deals per SQL'),
  mqlToSqlRate: Rate('Share of MQLs reaching SQL'),
})
export type PlanInput = z.infer<typeof PlanInput>

export const PlansQuery = z.object({
  periodKind: PeriodKind.optional(),
  periodKey: PeriodKey.optional(),
})
export type PlansQuery = z.infer<typeof PlansQuery>

export const SideInput = z.object({
  side: z.enum(sides, { error: () => 'must be sales or marketing' }),
})

/** GET /api/v1/waterfall/assumptions: measured assumptions and the period's revenue target. */
export async function getAssumptions(
  db: Database,
  principal: Principal,
  query: AssumptionsQuery,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const calendar = await loadCalendar(db, workspaceId)
  const period = query.periodKey
    ? planPeriod(query.periodKind, query.periodKey, calendar)
    : planPeriodAt(query.periodKind, now, calendar)
  const [measured, revenueTarget] = await Promise.all([
    measureAssumptions(db, workspaceId, calendar, now),
    selectCompanyRevenueTarget(db, workspaceId, period.kind, period.key),
  ])
  const a = {
    averageDealSize: measured.averageDealSize.value,
    sqlToWonRate: measured.sqlToWonRate.value,
    mqlToSqlRate: measured.mqlToSqlRate.value,
  }
  const proposal =
    revenueTarget && a.averageDealSize && a.sqlToWonRate && a.mqlToSqlRate
      ? reverseWaterfall({
          revenueTarget,
          averageDealSize: a.averageDealSize,
          sqlToWonRate: a.sqlToWonRate,
          mqlToSqlRate: a.mqlToSqlRate,
        })
      : null
  return {
    period: presentPeriod(period, now),
    revenueTarget,
    ...measured,
    proposal,
  }
}

function presentPeriod(period: PlanPeriod, now: Date) {
  return {
    kind: period.kind,
    key: period.key,
    startsOn: period.startsOn,
    endsOn: period.endsOn,
    isOver: period.end.getTime() <= now.getTime(),
  }
}

function refuseEnded(period: { periodKey: string; endsOn: string; end: Date }, now: Date) {
  if (period.end.getTime() <= now.getTime()) {
    throw new AppError(
      'conflict',
      `periodKey: ${period.periodKey} is over (it ended before ${period.endsOn}); plan a current or future period`,
      { field: 'periodKey' },
    )
  }
}

/** Who may propose or edit a plan: either side's lead (sales managers, marketing, admins). */
function requirePlanner(principal: Principal) {
  const actor = inWorkspace(principal)
  if (!can(actor.role, 'plan:agree_sales') && !can(actor.role, 'plan:agree_marketing')) {
    throw new AppError(
      'forbidden',
      `Your role (${actor.role}) may not propose a plan (plan:agree_sales or plan:agree_marketing)`,
    )
  }
  return actor
}

const userIdOf = (principal: Principal) => (principal.kind === 'user' ? principal.userId : null)

/** The figures of a plan from its assumptions, or 400 naming what cannot work. */
function figuresOf(input: PlanInput): PlanFigures {
  const sqlToWonRate = roundRate(input.sqlToWonRate)
  const mqlToSqlRate = roundRate(input.mqlToSqlRate)
  const needed = reverseWaterfall({ ...input, sqlToWonRate, mqlToSqlRate })
  if (needed.mqls > 2_147_483_647) {
    throw new AppError(
      'invalid_input',
      `revenueTarget: these assumptions need ${needed.mqls} MQLs, more than a plan can hold`,
      { field: 'revenueTarget' },
    )
  }
  return {
    revenueTarget: input.revenueTarget,
    averageDealSize: input.averageDealSize,
    sqlToWonRate,
    mqlToSqlRate,
    wonNeeded: needed.wonDeals,
    sqlsNeeded: needed.sqls,
    mqlsNeeded: needed.mqls,
  }
}

const sameFigures = (
  row: Omit<PlanFigures, 'sqlToWonRate' | 'mqlToSqlRate'> & {
    sqlToWonRate: string | number
    mqlToSqlRate: string | number
  },
  figures: PlanFigures,
) =>
  Number(row.revenueTarget) === figures.revenueTarget &&
  Number(row.averageDealSize) === figures.averageDealSize &&
  Number(row.sqlToWonRate) === figures.sqlToWonRate &&
  Number(row.mqlToSqlRate) === figures.mqlToSqlRate

/**
 * POST /api/v1/waterfall/plans: creates the period's plan, or replaces its figures (which clears
 * both agreements; the same figures again change nothing).
 */
export async function savePlan(
  db: Database,
  principal: Principal,
  input: PlanInput,
  now = new Date(),
) {
  const { workspaceId } = requirePlanner(principal)
  const calendar = await loadCalendar(db, workspaceId)
  const period = planPeriod(input.periodKind, input.periodKey, calendar)
  refuseEnded({ periodKey: period.key, endsOn: period.endsOn, end: period.end }, now)
  const figures = figuresOf(input)
  const { id, created } = await db.transaction().execute(async (trx) => {
    const before = await lockPlanByPeriod(trx, workspaceId, period.kind, period.key)
    if (before && sameFigures(before, figures)) return { id: before.id, created: false }
    let id: string
    if (before) {
      await updatePlanFigures(trx, workspaceId, before.id, figures)
      id = before.id
    } else id = await insertPlan(trx, workspaceId, period, figures, userIdOf(principal))
    await recordAudit(trx, principal, workspaceId, {
      action: before ? 'waterfall_plan.update' : 'waterfall_plan.create',
      targetType: 'waterfall_plan',
      targetId: id,
      details: {
        period: period.key,
        ...figures,
        ...(before
          ? {
              clearedAgreements: {
                sales: before.salesAgreedAt !== null,
                marketing: before.marketingAgreedAt !== null,
              },
            }
          : {}),
      },
    })
    return { id, created: !before }
  })
  return { created, plan: await getPlanOf(db, workspaceId, calendar, id, now) }
}

/** GET /api/v1/waterfall/plans: the plans (optionally of one period kind or key), latest first. */
export async function listPlans(
  db: Database,
  principal: Principal,
  query: PlansQuery,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const calendar = await loadCalendar(db, workspaceId)
  if (query.periodKey && query.periodKind) planPeriod(query.periodKind, query.periodKey, calendar)
  let select = selectPlans(db, workspaceId)
  if (query.periodKind) select = select.where('p.periodKind', '=', query.periodKind)
  if (query.periodKey) select = select.where('p.periodKey', '=', query.periodKey)
  const rows = await select
    .orderBy('p.startsOn', 'desc')
    .orderBy('p.periodKind')
    .limit(200)
    .execute()
  return presentPlans(db, workspaceId, calendar, rows, now)
}

/** GET /api/v1/waterfall/plans/{id}: one plan with its live progress. */
export async function getPlan(db: Database, principal: Principal, id: string, now = new Date()) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const calendar = await loadCalendar(db, workspaceId)
  return getPlanOf(db, workspaceId, calendar, id, now)
}

async function getPlanOf(
  db: Database,
  workspaceId: string,
  calendar: WorkspaceCalendar,
  id: string,
  now: Date,
) {
  const row = await selectPlans(db, workspaceId).where('p.id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', 'No such plan')
  const [plan] = await presentPlans(db, workspaceId, calendar, [row], now)
  return plan as NonNullable<typeof plan>
}

/**
 * POST /api/v1/waterfall/plans/{id}/agree: one side's lead agrees (sales: plan:agree_sales,
 * marketing: plan:agree_marketing). When both have, the plan's figures become the company's
 * targets of its period.
 */
export async function agreeToPlan(
  db: Database,
  principal: Principal,
  id: string,
  side: Side,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, agreePermission[side])
  const userId = userIdOf(principal)
  if (userId === null) {
    throw new AppError('forbidden', 'Only a signed-in person can agree to a plan, not a key')
  }
  const calendar = await loadCalendar(db, workspaceId)
  await db.transaction().execute(async (trx) => {
    const plan = await lockPlan(trx, workspaceId, id)
    if (!plan) throw new AppError('not_found', 'No such plan')
    refuseEnded(periodOfRow(plan, calendar), now)
    const already = side === 'sales' ? plan.salesAgreedAt : plan.marketingAgreedAt
    if (already) return
    await setAgreement(trx, workspaceId, id, side, { userId, at: now })
    const other = side === 'sales' ? plan.marketingAgreedAt : plan.salesAgreedAt
    const agreed = other !== null
    if (agreed) {
      await upsertCompanyTargets(
        trx,
        workspaceId,
        plan,
        {
          revenue: Number(plan.revenueTarget),
          deals_won: plan.wonNeeded,
          sqls: plan.sqlsNeeded,
          mqls: plan.mqlsNeeded,
        },
        userId,
      )
    }
    await recordAudit(trx, principal, workspaceId, {
      action: 'waterfall_plan.agree',
      targetType: 'waterfall_plan',
      targetId: id,
      details: { side, period: plan.periodKey, targetsWritten: agreed },
    })
  })
  return getPlanOf(db, workspaceId, calendar, id, now)
}

/** DELETE /api/v1/waterfall/plans/{id}/agree?side=: a side withdraws its agreement. */
export async function withdrawAgreement(
  db: Database,
  principal: Principal,
  id: string,
  side: Side,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, agreePermission[side])
  const calendar = await loadCalendar(db, workspaceId)
  await db.transaction().execute(async (trx) => {
    const plan = await lockPlan(trx, workspaceId, id)
    if (!plan) throw new AppError('not_found', 'No such plan')
    refuseEnded(periodOfRow(plan, calendar), now)
    const agreedAt = side === 'sales' ? plan.salesAgreedAt : plan.marketingAgreedAt
    if (!agreedAt) return
    await setAgreement(trx, workspaceId, id, side, null)
    await recordAudit(trx, principal, workspaceId, {
      action: 'waterfall_plan.withdraw',
      targetType: 'waterfall_plan',
      targetId: id,
      details: { side, period: plan.periodKey },
    })
  })
  return getPlanOf(db, workspaceId, calendar, id, now)
}

function periodOfRow(
  plan: { periodKind: PlanPeriodKind; periodKey: string },
  calendar: WorkspaceCalendar,
) {
  const period = planPeriod(plan.periodKind, plan.periodKey, calendar)
  return { periodKey: plan.periodKey, endsOn: period.endsOn, end: period.end }
}
