/**
 * Forecast submissions and adjustments (issue 13; DEFINITIONS.md "Forecasting and targets"): a rep
 * submits commit, best case and pipeline for an open month or fiscal quarter; a sales manager of
 * the rep's team (or an admin) adjusts a submission with a required note. Nothing is ever updated:
 * every submission and adjustment is a new row, so the history of a period is kept whole.
 *
 * Figures are minor units of the workspace's base currency. commit is what the rep commits to win
 * in the period (what is already won included), bestCase what they could win if the upside lands,
 * so bestCase ≥ commit is required; pipeline (the rest of their open pipeline for the period) is
 * free.
 */
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { can } from '../auth/permissions.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor } from '../http/pagination.ts'
import { forecastCalendar, forecastPeriod, forecastPeriodKinds, requireOpen } from './period.ts'
import {
  findMember,
  findSubmission,
  insertSubmission,
  type SubmissionRow,
  selectManagedReps,
  selectSubmissionPage,
} from './submissions-queries.ts'

/** The most a figure may be: 10^15 minor units (ten trillion in a two-decimal currency). */
const maxAmount = 1e15
const Amount = z
  .number({ error: 'must be a whole number of minor units' })
  .int('must be a whole number of minor units')
  .min(0, 'must be 0 or more')
  .max(maxAmount, `must be at most ${maxAmount}`)
const Note = z.string().trim().max(2000)

export const SubmissionInput = z.object({
  periodKind: z.enum(forecastPeriodKinds, { error: () => 'must be month or quarter' }),
  periodKey: z.string().trim().min(1).max(20),
  commit: Amount.describe('Minor units of the base currency, won in the period included'),
  bestCase: Amount.describe('Minor units; at least commit'),
  pipeline: Amount.describe('Minor units: the rest of the open pipeline for the period'),
  note: Note.optional(),
  repId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("Whose forecast; default the caller's own. Another rep's needs forecast:manage"),
})
export type SubmissionInput = z.infer<typeof SubmissionInput>

export const AdjustmentInput = z.object({
  commit: Amount.optional().describe("Default the adjusted submission's"),
  bestCase: Amount.optional().describe("Default the adjusted submission's"),
  pipeline: Amount.optional().describe("Default the adjusted submission's"),
  note: Note.min(1, 'a note saying why is required'),
})
export type AdjustmentInput = z.infer<typeof AdjustmentInput>

export const SubmissionQuery = z.object({
  periodKind: z.enum(forecastPeriodKinds, { error: () => 'must be month or quarter' }).optional(),
  periodKey: z.string().trim().min(1).max(20).optional(),
  repId: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
})
export type SubmissionQuery = z.infer<typeof SubmissionQuery>

export function presentSubmission(row: SubmissionRow, currency: string) {
  return {
    id: row.id,
    kind: row.kind,
    adjustsId: row.adjustsId,
    rep: { id: row.repId, name: row.repName ?? '' },
    periodKind: row.periodKind,
    periodKey: row.periodKey,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    commit: row.commitAmount,
    bestCase: row.bestCaseAmount,
    pipeline: row.pipelineAmount,
    currency,
    note: row.note,
    submittedBy: row.submittedBy ? { id: row.submittedBy, name: row.submittedByName ?? '' } : null,
    submittedAt: row.submittedAt.toISOString(),
  }
}
export type Submission = ReturnType<typeof presentSubmission>

const sellingRoles = new Set(['sales', 'sales_manager', 'admin'])

function checkFigures(figures: { commit: number; bestCase: number }) {
  if (figures.bestCase < figures.commit) {
    throw new AppError(
      'invalid_input',
      `bestCase: must be at least commit (${figures.commit}): best case is commit plus the upside`,
      { field: 'bestCase' },
    )
  }
}

/**
 * Whether the actor may act on `repId`'s forecast as a manager: an admin on anyone's, a holder of
 * forecast:manage on the reps of the teams they manage (teams.manager_id).
 */
export async function canManageRep(
  db: Database,
  actor: { role: string; workspaceId: string; userId: string | null },
  repId: string,
) {
  if (!can(actor.role as 'admin', 'forecast:manage')) return false
  if (actor.role === 'admin') return true
  if (!actor.userId) return false
  return (await selectManagedReps(db, actor.workspaceId, actor.userId)).has(repId)
}

const userIdOf = (principal: Principal) => (principal.kind === 'user' ? principal.userId : null)

async function requireRep(db: Database, workspaceId: string, repId: string, field: string) {
  const member = await findMember(db, workspaceId, repId)
  if (!member) {
    throw new AppError('invalid_input', `${field}: no member of this workspace has this id`, {
      field,
    })
  }
  if (!sellingRoles.has(member.role)) {
    throw new AppError(
      'invalid_input',
      `${field}: ${member.name} is ${member.role}; forecasts are submitted for sales, sales managers and admins`,
      { field },
    )
  }
  return member
}

/** POST /forecast/submissions: a rep's forecast for an open period, kept as a new row. */
export async function submitForecast(
  db: Database,
  principal: Principal,
  input: SubmissionInput,
  now = new Date(),
) {
  const actor = requirePermission(principal, 'forecast:submit')
  const { workspaceId } = actor
  const self = userIdOf(principal)
  const repId = input.repId ?? self
  if (!repId) {
    throw new AppError('invalid_input', 'repId: required when not signed in as a person', {
      field: 'repId',
    })
  }
  const calendar = await forecastCalendar(db, workspaceId)
  const period = forecastPeriod(input.periodKind, input.periodKey, calendar)
  await requireRep(db, workspaceId, repId, 'repId')
  if (repId !== self && !(await canManageRep(db, { ...actor, userId: self }, repId))) {
    throw new AppError(
      'forbidden',
      "repId: you may submit only your own forecast (or, as their manager, a rep's of your team)",
    )
  }
  requireOpen(period, calendar.timeZone, now)
  checkFigures(input)
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    await insertSubmission(trx, {
      workspaceId,
      id,
      repId,
      periodKind: period.kind,
      periodKey: period.key,
      startsOn: period.startsOn,
      endsOn: period.endsOn,
      kind: 'submission',
      adjustsId: null,
      commitAmount: input.commit,
      bestCaseAmount: input.bestCase,
      pipelineAmount: input.pipeline,
      note: input.note ? input.note : null,
      submittedBy: self,
      submittedAt: now,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'forecast.submit',
      targetType: 'forecast_submission',
      targetId: id,
      details: {
        repId,
        period: period.key,
        commit: input.commit,
        bestCase: input.bestCase,
        pipeline: input.pipeline,
      },
    })
  })
  const row = await findSubmission(db, workspaceId, id)
  return presentSubmission(row as SubmissionRow, calendar.baseCurrency)
}

/**
 * POST /forecast/submissions/{id}/adjust: a manager's adjustment of a rep's submission, with a
 * note. Adjusting an adjustment adjusts the submission it adjusted.
 */
export async function adjustForecast(
  db: Database,
  principal: Principal,
  id: string,
  input: AdjustmentInput,
  now = new Date(),
) {
  const actor = requirePermission(principal, 'forecast:manage')
  const { workspaceId } = actor
  const target = await findSubmission(db, workspaceId, id)
  if (!target) throw new AppError('not_found', 'Forecast submission not found')
  const self = userIdOf(principal)
  if (!(await canManageRep(db, { ...actor, userId: self }, target.repId))) {
    throw new AppError(
      'forbidden',
      `You manage no team of ${target.repName ?? 'this rep'}: only their team's manager or an admin may adjust their forecast`,
    )
  }
  const calendar = await forecastCalendar(db, workspaceId)
  // The stored period: its local days in the workspace zone (the zone may have changed since).
  const period = forecastPeriod(target.periodKind, target.periodKey, calendar)
  requireOpen(period, calendar.timeZone, now)
  const figures = {
    commit: input.commit ?? target.commitAmount,
    bestCase: input.bestCase ?? target.bestCaseAmount,
    pipeline: input.pipeline ?? target.pipelineAmount,
  }
  checkFigures(figures)
  const adjustsId = target.kind === 'adjustment' ? (target.adjustsId ?? target.id) : target.id
  const newId = uuidv7()
  await db.transaction().execute(async (trx) => {
    await insertSubmission(trx, {
      workspaceId,
      id: newId,
      repId: target.repId,
      periodKind: target.periodKind,
      periodKey: target.periodKey,
      startsOn: target.startsOn,
      endsOn: target.endsOn,
      kind: 'adjustment',
      adjustsId,
      commitAmount: figures.commit,
      bestCaseAmount: figures.bestCase,
      pipelineAmount: figures.pipeline,
      note: input.note,
      submittedBy: self,
      submittedAt: now,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'forecast.adjust',
      targetType: 'forecast_submission',
      targetId: newId,
      details: { adjustsId, repId: target.repId, period: target.periodKey, ...figures },
    })
  })
  const row = await findSubmission(db, workspaceId, newId)
  return presentSubmission(row as SubmissionRow, calendar.baseCurrency)
}

/** GET /forecast/submissions: the history of submissions and adjustments, newest first. */
export async function listSubmissions(db: Database, principal: Principal, query: SubmissionQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const calendar = await forecastCalendar(db, workspaceId)
  if (query.periodKey !== undefined) {
    if (query.periodKind === undefined) {
      throw new AppError('invalid_input', 'periodKind: required with periodKey', {
        field: 'periodKind',
      })
    }
    forecastPeriod(query.periodKind, query.periodKey, calendar)
  }
  if (query.repId !== undefined && !(await findMember(db, workspaceId, query.repId))) {
    throw new AppError('not_found', 'repId: no member of this workspace has this id', {
      field: 'repId',
    })
  }
  const cursor = decodeCursor(query.cursor, ['submittedAt', 'id'])
  const after = cursor
    ? { submittedAt: new Date(String(cursor.submittedAt)), id: String(cursor.id) }
    : undefined
  if (
    after &&
    (Number.isNaN(after.submittedAt.getTime()) || !z.uuid().safeParse(after.id).success)
  ) {
    throw new AppError('invalid_input', 'The cursor is not valid', { field: 'cursor' })
  }
  const filter = {
    ...(query.periodKind ? { periodKind: query.periodKind } : {}),
    ...(query.periodKey ? { periodKey: query.periodKey } : {}),
    ...(query.repId ? { repId: query.repId } : {}),
  }
  const rows = await selectSubmissionPage(db, workspaceId, filter, after, query.limit)
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    data: page.map((row) => presentSubmission(row, calendar.baseCurrency)),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ submittedAt: last.submittedAt.toISOString(), id: last.id })
        : null,
  }
}
