/**
 * The forecast call (issue 13, GET /api/v1/forecast/call): for one month or fiscal quarter, each
 * rep's latest submission and latest manager adjustment (the effective figure is the adjustment
 * when it is newer), the deals behind every number (open deals closing in the period by forecast
 * category, deals won in it), weighted pipeline by learned stage probabilities, won so far, the
 * revenue target, pipeline coverage and forecast accuracy over the last closed periods; rolled up
 * by team and for the company.
 *
 * Choices (docs/forecast.md):
 * - Amounts are converted to the base currency; a deal in a currency without a rate is listed
 *   (amountInBase null) but left out of the sums, and its currency named in missingRates.
 * - A team's reps are its members at the call's moment by team_member_history: now for an open
 *   period, the period's last instant for a closed one (a rep moved mid-period counts in the team
 *   they were in then). The company counts every deal, a rep's or no one's.
 * - Targets are the revenue targets set for exactly this period (rep, team, company); none: null,
 *   and coverage null.
 * - Accuracy: the last 6 closed months (4 closed quarters) up to the period; a team's and the
 *   company's pool their reps' periods into one WAPE.
 */
import { z } from 'zod'
import {
  effectiveForecast,
  type ForecastCategory,
  pipelineCoverage,
  type SubmittedFigures,
  submissionAccuracy,
} from '../../domain/forecast.ts'
import { sumInBase } from '../../domain/money.ts'
import { can } from '../auth/permissions.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { loadRates } from '../exchange-rates/service.ts'
import { Id } from '../http/schemas.ts'
import { accuracyPairs, type RepPeriodPair } from './accuracy.ts'
import {
  findTeamRow,
  selectMembers,
  selectPeriodDeals,
  selectRevenueTargets,
  selectTeamsAt,
} from './call-queries.ts'
import {
  type ForecastPeriod,
  forecastCalendar,
  forecastPeriod,
  forecastPeriodAt,
  forecastPeriodKinds,
  isClosed,
  previousPeriod,
} from './period.ts'
import { learnStageProbabilities } from './probabilities.ts'
import { presentSubmission } from './submissions.ts'
import { selectManagedReps, selectPeriodSubmissions } from './submissions-queries.ts'

export const CallQuery = z.object({
  periodKind: z
    .enum(forecastPeriodKinds, { error: () => 'must be month or quarter' })
    .default('month'),
  periodKey: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .optional()
    .describe('2026-11 or FY2027-Q1; default the current period'),
  teamId: Id.optional().describe("Only this team's reps (and its roll-up)"),
})
export type CallQuery = z.infer<typeof CallQuery>

/** Closed periods forecast accuracy looks back over. */
export const accuracyPeriodCount = { month: 6, quarter: 4 } as const

export const callBuckets = ['commit', 'best_case', 'pipeline', 'closed_won'] as const
export type CallBucket = (typeof callBuckets)[number]

export interface DealLine {
  id: string
  name: string
  ownerId: string | null
  ownerName: string | null
  amount: number
  currency: string
  amountInBase: number | null
  stageName: string
  /** The learned win probability of the deal's stage (1 once won). */
  probability: number
  /** amountInBase × probability for open deals; null for won ones or without a rate. */
  weighted: number | null
  bucket: CallBucket
  closeDate: string | null
  closedAt: string | null
}

const sellingRoles = new Set(['sales', 'sales_manager'])

function figuresOf(deals: readonly DealLine[], target: number | null, pairs: RepPeriodPair[]) {
  const categories = Object.fromEntries(
    callBuckets.map((bucket) => [bucket, { amount: 0, count: 0 }]),
  ) as Record<CallBucket, { amount: number; count: number }>
  let weighted = 0
  for (const deal of deals) {
    const bucket = categories[deal.bucket]
    bucket.count += 1
    bucket.amount += deal.amountInBase ?? 0
    weighted += deal.weighted ?? 0
  }
  const openPipeline =
    categories.commit.amount + categories.best_case.amount + categories.pipeline.amount
  const won = categories.closed_won.amount
  return {
    categories,
    openPipeline,
    weighted: Math.round(weighted),
    won,
    target,
    coverage: target === null ? null : pipelineCoverage(openPipeline, target, won),
    accuracy: submissionAccuracy(pairs),
  }
}

const sumFigures = (list: readonly (SubmittedFigures | undefined)[]) => {
  const present = list.filter((f): f is SubmittedFigures => f !== undefined)
  if (present.length === 0) return null
  return {
    commit: present.reduce((sum, f) => sum + f.commit, 0),
    bestCase: present.reduce((sum, f) => sum + f.bestCase, 0),
    pipeline: present.reduce((sum, f) => sum + f.pipeline, 0),
    reps: present.length,
  }
}

/** The last `count` closed periods of the period's kind, up to the period itself, oldest first. */
function accuracyPeriods(
  period: ForecastPeriod,
  calendar: Parameters<typeof previousPeriod>[1],
  now: Date,
) {
  let last = isClosed(period, now)
    ? period
    : previousPeriod(forecastPeriodAt(period.kind, now, calendar), calendar)
  const out: ForecastPeriod[] = []
  for (let i = 0; i < accuracyPeriodCount[period.kind]; i++) {
    out.unshift(last)
    last = previousPeriod(last, calendar)
  }
  return out
}

/** GET /api/v1/forecast/call: everything a manager runs the forecast call from. */
export async function forecastCall(
  db: Database,
  principal: Principal,
  query: CallQuery,
  now = new Date(),
) {
  const actor = requirePermission(principal, 'records:read')
  const { workspaceId } = actor
  const selfId = principal.kind === 'user' ? principal.userId : null
  const calendar = await forecastCalendar(db, workspaceId)
  const period = query.periodKey
    ? forecastPeriod(query.periodKind, query.periodKey, calendar)
    : forecastPeriodAt(query.periodKind, now, calendar)
  const team = query.teamId ? await findTeamRow(db, workspaceId, query.teamId) : undefined
  if (query.teamId && !team) {
    throw new AppError('not_found', 'teamId: no such team', { field: 'teamId' })
  }
  const closed = isClosed(period, now)
  const asOf = closed ? new Date(period.end.getTime() - 1) : now
  const pastPeriods = accuracyPeriods(period, calendar, now)
  const isManager = can(actor.role, 'forecast:manage')

  const [dealRows, submissionRows, members, teamsAt, targets, learned, money, accuracy, managed] =
    await Promise.all([
      selectPeriodDeals(db, workspaceId, period),
      selectPeriodSubmissions(db, workspaceId, period.kind, period.key),
      selectMembers(db, workspaceId),
      selectTeamsAt(db, workspaceId, asOf),
      selectRevenueTargets(db, workspaceId, period.kind, period.key),
      learnStageProbabilities(db, workspaceId),
      loadRates(db, workspaceId),
      accuracyPairs(db, workspaceId, calendar, pastPeriods),
      isManager && actor.role !== 'admin' && selfId
        ? selectManagedReps(db, workspaceId, selfId)
        : Promise.resolve(new Set<string>()),
    ])
  const { baseCurrency, rates } = money
  const missing = new Set(accuracy.missingRates)
  const probabilityOf = new Map(learned.map((s) => [s.stageId, s.probability]))

  const deals: DealLine[] = dealRows.map((row) => {
    const sum = sumInBase([{ currency: row.currency, amount: row.amount }], baseCurrency, rates)
    for (const currency of sum.missing) missing.add(currency)
    const probability = row.isWon ? 1 : (probabilityOf.get(row.stageId) ?? 0)
    const category = row.forecastCategory as ForecastCategory
    // An open deal never carries closed_won (src/server/deals/stage-rules.ts); counted as commit.
    const bucket: CallBucket = row.isWon
      ? 'closed_won'
      : category === 'closed_won' || category === 'omitted'
        ? 'commit'
        : category
    return {
      id: row.id,
      name: row.name,
      ownerId: row.ownerId,
      ownerName: row.ownerName,
      amount: row.amount,
      currency: row.currency,
      amountInBase: sum.amountInBase,
      stageName: row.stageName,
      probability,
      weighted: row.isWon || sum.amountInBase === null ? null : sum.amountInBase * probability,
      bucket,
      closeDate: row.closeDate,
      closedAt: row.closedAt ? row.closedAt.toISOString() : null,
    }
  })

  // Reps: sellers, deal owners, submitters and team members (at the call's moment).
  const names = new Map<string, string>()
  for (const m of members) names.set(m.userId, m.name)
  const repIds = new Set<string>()
  for (const m of members) if (sellingRoles.has(m.role)) repIds.add(m.userId)
  for (const d of deals) {
    if (d.ownerId) {
      repIds.add(d.ownerId)
      if (!names.has(d.ownerId)) names.set(d.ownerId, d.ownerName ?? '')
    }
  }
  for (const s of submissionRows) {
    repIds.add(s.repId)
    if (!names.has(s.repId)) names.set(s.repId, s.repName ?? '')
  }
  const teams = new Map<string, { id: string; name: string; repIds: Set<string> }>()
  const teamsOfRep = new Map<string, { id: string; name: string }[]>()
  for (const row of teamsAt) {
    repIds.add(row.userId)
    const entry = teams.get(row.teamId) ?? {
      id: row.teamId,
      name: row.teamName,
      repIds: new Set<string>(),
    }
    entry.repIds.add(row.userId)
    teams.set(row.teamId, entry)
    teamsOfRep.set(row.userId, [
      ...(teamsOfRep.get(row.userId) ?? []),
      { id: row.teamId, name: row.teamName },
    ])
  }

  const targetOf = (kind: 'company' | 'team' | 'rep', id: string) =>
    targets.find((t) => t.subjectKind === kind && t.subjectId === id)?.amount ?? null
  const present = (row: (typeof submissionRows)[number]) => presentSubmission(row, baseCurrency)
  const figuresOfRow = (row: (typeof submissionRows)[number]) => ({
    commit: row.commitAmount,
    bestCase: row.bestCaseAmount,
    pipeline: row.pipelineAmount,
    submittedAt: row.submittedAt,
  })

  const repRows = [...repIds].map((repId) => {
    const own = submissionRows.filter((s) => s.repId === repId)
    const lastSubmission = own.filter((s) => s.kind === 'submission').at(-1)
    const lastAdjustment = own.filter((s) => s.kind === 'adjustment').at(-1)
    const effective = effectiveForecast(
      lastSubmission && figuresOfRow(lastSubmission),
      lastAdjustment && figuresOfRow(lastAdjustment),
    )
    return {
      rep: { id: repId, name: names.get(repId) ?? '' },
      teams: (teamsOfRep.get(repId) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
      submission: lastSubmission ? present(lastSubmission) : null,
      adjustment: lastAdjustment ? present(lastAdjustment) : null,
      effective: effective
        ? {
            commit: effective.commit,
            bestCase: effective.bestCase,
            pipeline: effective.pipeline,
            source: effective.source,
          }
        : null,
      canSubmit: !closed && repId === selfId && can(actor.role, 'forecast:submit'),
      canAdjust:
        !closed &&
        lastSubmission !== undefined &&
        isManager &&
        (actor.role === 'admin' || managed.has(repId)),
      ...figuresOf(
        deals.filter((d) => d.ownerId === repId),
        targetOf('rep', repId),
        accuracy.pairs.filter((p) => p.repId === repId),
      ),
    }
  })
  repRows.sort((a, b) => a.rep.name.localeCompare(b.rep.name) || a.rep.id.localeCompare(b.rep.id))

  const rollup = (ids: ReadonlySet<string> | null, target: number | null) => {
    const rows = ids ? repRows.filter((r) => ids.has(r.rep.id)) : repRows
    return {
      repIds: rows.map((r) => r.rep.id),
      submitted: sumFigures(rows.map((r) => r.submission ?? undefined)),
      effective: sumFigures(rows.map((r) => r.effective ?? undefined)),
      ...figuresOf(
        ids ? deals.filter((d) => d.ownerId !== null && ids.has(d.ownerId)) : deals,
        target,
        ids ? accuracy.pairs.filter((p) => ids.has(p.repId)) : accuracy.pairs,
      ),
    }
  }
  const teamRows = [...teams.values()]
    .filter((t) => !query.teamId || t.id === query.teamId)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({ team: { id: t.id, name: t.name }, ...rollup(t.repIds, targetOf('team', t.id)) }))
  const shownReps = query.teamId
    ? repRows.filter((r) => teams.get(query.teamId as string)?.repIds.has(r.rep.id))
    : repRows

  return {
    period: {
      kind: period.kind,
      key: period.key,
      startsOn: period.startsOn,
      endsOn: period.endsOn,
      closed,
      timeZone: calendar.timeZone,
    },
    team: team ?? null,
    baseCurrency,
    missingRates: [...missing].sort(),
    accuracyPeriods: pastPeriods.map((p) => p.key),
    canSubmit: !closed && selfId !== null && can(actor.role, 'forecast:submit'),
    reps: shownReps,
    teams: teamRows,
    company: rollup(null, targetOf('company', '')),
    deals,
  }
}
