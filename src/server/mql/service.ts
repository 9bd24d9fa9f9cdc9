import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { loadCurrentModel, loadEligibility } from '../predictive/train.ts'
import { changes } from '../records/fields.ts'
import {
  addMonths,
  currentMonth,
  firstDay,
  monthIndex,
  monthOfDate,
  monthPattern,
  monthsBetween,
} from './months.ts'
import {
  deleteMqlTargetRow,
  lockMqlRules,
  lockMqlTarget,
  selectMqlTargets,
  selectWorkspaceTimeZone,
  upsertMqlTarget,
} from './queries.ts'
import { loadMqlRules, type MqlRules } from './rules.ts'

const Threshold = z.number().int().min(0).max(100)
export const MqlRulesPatch = z.object({
  fitMin: Threshold.optional().describe(
    'fit score at or above which (with engagement) a lead is MQL',
  ),
  engagementMin: Threshold.optional().describe(
    'engagement score at or above which (with fit) a lead is MQL',
  ),
  predictiveInCharge: z
    .boolean()
    .optional()
    .describe('let the predictive score decide instead of fit and engagement'),
  predictiveMin: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('probability 0-1, kept to 3 decimals'),
  highIntentForms: z.boolean().optional().describe('a high-intent form submission makes an MQL'),
})
export type MqlRulesPatch = z.infer<typeof MqlRulesPatch>

export const Month = z
  .string()
  .regex(monthPattern, 'must be a month as YYYY-MM, e.g. 2026-03')
  .describe('YYYY-MM')
export const MonthParams = z.object({ month: Month })
export const MqlTargetsQuery = z.object({
  from: Month.optional().describe('first month, default 6 months before the current one'),
  to: Month.optional().describe('last month, default 5 months after the current one'),
})
export type MqlTargetsQuery = z.infer<typeof MqlTargetsQuery>
export const MqlTargetInput = z.object({
  target: z.number().int().min(0).max(10_000_000).describe('MQLs marketing commits to deliver'),
})
export type MqlTargetInput = z.infer<typeof MqlTargetInput>

// Longest range one GET answers: five years of months is plenty for a table or a chart.
const maxMonths = 60

function presentRules(rules: MqlRules) {
  return { ...rules, updatedAt: rules.updatedAt ? rules.updatedAt.toISOString() : null }
}

/** The workspace's MQL rules (the defaults until someone changes them); any member may read them. */
export async function getMqlRules(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  return presentRules(await loadMqlRules(db, workspaceId))
}

/**
 * DEFINITIONS.md ("MQL by score", "Predictive score"): only an admin may put the predictive model in
 * charge, and only once a model is trained and while the workspace has at least 1,000 leads and
 * 120 conversions in the last 200 days.
 */
async function checkModelMayDecide(db: Database, principal: Principal, workspaceId: string) {
  if (principal.role !== 'admin') {
    throw new AppError(
      'forbidden',
      'predictiveInCharge: only an admin may put the predictive model in charge of MQLs',
      { field: 'predictiveInCharge' },
    )
  }
  const [model, eligibility] = await Promise.all([
    loadCurrentModel(db, workspaceId),
    loadEligibility(db, workspaceId),
  ])
  if (!model) {
    throw new AppError(
      'conflict',
      'predictiveInCharge: no predictive model has been trained yet for this workspace, so the fit and engagement rules decide',
      { field: 'predictiveInCharge' },
    )
  }
  if (!eligibility.eligible) {
    throw new AppError(
      'conflict',
      `predictiveInCharge: the model may decide only with at least ${eligibility.minLeads} leads and ${eligibility.minConversions} conversions in the last 200 days; this workspace has ${eligibility.leads} and ${eligibility.conversions}, so the fit and engagement rules decide`,
      { field: 'predictiveInCharge' },
    )
  }
}

/** Changes the MQL rules; the predictive model can only be put in charge under the rules above. */
export async function updateMqlRules(db: Database, principal: Principal, patch: MqlRulesPatch) {
  const { workspaceId } = requirePermission(principal, 'mql:manage')
  if (patch.predictiveInCharge === true) await checkModelMayDecide(db, principal, workspaceId)
  const fields = {
    ...patch,
    ...(patch.predictiveMin === undefined
      ? {}
      : { predictiveMin: Math.round(patch.predictiveMin * 1000) / 1000 }),
  }
  await db.transaction().execute(async (trx) => {
    const row = await lockMqlRules(trx, workspaceId)
    const before = { ...row, predictiveMin: Number(row.predictiveMin) }
    const changed = changes(before, fields)
    if (Object.keys(changed).length === 0) return
    await trx
      .updateTable('mqlRules')
      .set({ ...fields, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'mql_rules.update',
      targetType: 'mql_rules',
      targetId: null,
      details: changed,
    })
  })
  return presentRules(await loadMqlRules(db, workspaceId))
}

async function monthRange(db: Database, workspaceId: string, query: MqlTargetsQuery) {
  const now = currentMonth(await selectWorkspaceTimeZone(db, workspaceId))
  const from = query.from ?? (query.to ? addMonths(query.to, -11) : addMonths(now, -6))
  const to = query.to ?? (query.from ? addMonths(query.from, 11) : addMonths(now, 5))
  if (monthIndex(to) < monthIndex(from)) {
    throw new AppError('invalid_input', `to: ${to} is before from (${from})`, { field: 'to' })
  }
  if (monthIndex(to) - monthIndex(from) + 1 > maxMonths) {
    throw new AppError('invalid_input', `to: at most ${maxMonths} months from ${from}`, {
      field: 'to',
    })
  }
  return { from, to }
}

/**
 * Every month of the range with its MQL target, or null where marketing set none. Without from
 * and to: the 6 months before the current one, the current one and the 5 after (12 in all).
 */
export async function listMqlTargets(db: Database, principal: Principal, query: MqlTargetsQuery) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  const { from, to } = await monthRange(db, workspaceId, query)
  const rows = await selectMqlTargets(db, workspaceId, firstDay(from), firstDay(to))
  const byMonth = new Map(rows.map((r) => [monthOfDate(r.month), r.target]))
  return monthsBetween(from, to).map((month) => ({ month, target: byMonth.get(month) ?? null }))
}

/** Sets the number of MQLs marketing commits to deliver in a month. */
export async function setMqlTarget(
  db: Database,
  principal: Principal,
  month: string,
  input: MqlTargetInput,
) {
  const { workspaceId } = requirePermission(principal, 'mql:manage')
  return db.transaction().execute(async (trx) => {
    const before = await lockMqlTarget(trx, workspaceId, firstDay(month))
    const row = await upsertMqlTarget(trx, workspaceId, firstDay(month), input.target)
    await recordAudit(trx, principal, workspaceId, {
      action: 'mql_target.set',
      targetType: 'mql_target',
      targetId: null,
      details: { month, target: { from: before?.target ?? null, to: input.target } },
    })
    return { month, target: row.target }
  })
}

/** Removes a month's MQL target (the month then has none); not_found when it had none. */
export async function deleteMqlTarget(db: Database, principal: Principal, month: string) {
  const { workspaceId } = requirePermission(principal, 'mql:manage')
  await db.transaction().execute(async (trx) => {
    const row = await deleteMqlTargetRow(trx, workspaceId, firstDay(month))
    if (!row) throw new AppError('not_found', `No MQL target is set for ${month}`)
    await recordAudit(trx, principal, workspaceId, {
      action: 'mql_target.delete',
      targetType: 'mql_target',
      targetId: null,
      details: { month, target: row.target },
    })
  })
}
