/**
 * The two-way SLA report (DEFINITIONS.md "Handoff and the two-way SLA"): over the handoffs CREATED
 * in a date range of the workspace time zone, sales' side (SLA attainment, decision SLA, time to
 * first touch, unworked MQLs) per rep and per campaign, and marketing's side (MQLs delivered against
 * the month's MQL target, and their acceptance rate). Every ratio travels with its numerator and
 * denominator, and is null when nothing is counted.
 */
import { type Kysely, sql } from 'kysely'
import { DateTime } from 'luxon'
import { businessMinutesBetween } from '../../domain/business-hours.ts'
import { decisionState, firstTouchState, rejectionReasons } from '../../domain/handoff.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { mqlTargetsByMonth } from '../mql/queries.ts'
import { loadPolicyCalendars } from '../sla/resolve.ts'
import { drillLink } from './bridge-common.ts'

export interface Ratio {
  numerator: number
  denominator: number
  /** numerator ÷ denominator, null when the denominator is 0. */
  rate: number | null
}

export interface DurationStats {
  /** Handoffs with a first touch: the sample. */
  count: number
  medianMinutes: number | null
  p90Minutes: number | null
}

export interface SlaMetrics {
  handoffs: number
  open: number
  accepted: number
  rejected: number
  /** First-touched within the window ÷ (window ended or first-touched). */
  attainment: Ratio
  /** Decided within the acceptance window ÷ (window ended or decided). */
  decisionSla: Ratio
  /** accepted ÷ (accepted + rejected). */
  acceptanceRate: Ratio
  /** Per reason: rejected with it ÷ handoffs decided. Only reasons that occurred. */
  rejectionsByReason: (Ratio & { reason: string })[]
  /** Business minutes from the handoff to its first touch, on its SLA policy's calendar. */
  timeToFirstTouch: DurationStats
  /** Open, no first touch, past the first-touch window. */
  unworked: number
  /** Rejected with outcome recycle ÷ handoffs decided. */
  recycleRate: Ratio
  /** Re-MQLs (recycled contacts qualifying again) ÷ handoffs created. */
  reMqlRate: Ratio
}

/** What the report needs of one handoff; `minutesToFirstTouch` is null until it is touched. */
export interface HandoffFacts {
  status: 'open' | 'accepted' | 'rejected'
  createdAt: Date
  firstTouchDueAt: Date
  decisionDueAt: Date
  firstTouchAt: Date | null
  decidedAt: Date | null
  rejectionReason: string | null
  rejectionOutcome: 'recycle' | 'disqualify' | null
  isReMql: boolean
  minutesToFirstTouch: number | null
}

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator }
}

/** The q-quantile (0..1) of sorted values, linearly interpolated between ranks (as spreadsheets do). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const low = sorted[below] as number
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number
  return low + (high - low) * (position - below)
}

/** The SLA metrics of a set of handoffs as of `now` (clocks still running are not yet counted). */
export function slaMetrics(handoffs: readonly HandoffFacts[], now: Date): SlaMetrics {
  let met = 0
  let missed = 0
  let decidedInTime = 0
  let decidedLate = 0
  let accepted = 0
  let rejected = 0
  let recycled = 0
  let unworked = 0
  let reMql = 0
  const reasons = new Map<string, number>()
  const minutes: number[] = []
  for (const h of handoffs) {
    const firstTouch = firstTouchState(h, now)
    if (firstTouch === 'met') met++
    else if (firstTouch === 'missed') missed++
    const decision = decisionState(h, now)
    if (decision === 'met') decidedInTime++
    else if (decision === 'missed') decidedLate++
    if (h.status === 'accepted') accepted++
    if (h.status === 'rejected') {
      rejected++
      if (h.rejectionOutcome === 'recycle') recycled++
      if (h.rejectionReason)
        reasons.set(h.rejectionReason, (reasons.get(h.rejectionReason) ?? 0) + 1)
    }
    if (h.status === 'open' && !h.firstTouchAt && now.getTime() > h.firstTouchDueAt.getTime()) {
      unworked++
    }
    if (h.isReMql) reMql++
    if (h.minutesToFirstTouch !== null) minutes.push(h.minutesToFirstTouch)
  }
  minutes.sort((x, y) => x - y)
  const decided = accepted + rejected
  // Reasons in DEFINITIONS.md order, so charts and tables read the same everywhere.
  const order = (reason: string) => {
    const index = (rejectionReasons as readonly string[]).indexOf(reason)
    return index === -1 ? rejectionReasons.length : index
  }
  return {
    handoffs: handoffs.length,
    open: handoffs.length - decided,
    accepted,
    rejected,
    attainment: ratio(met, met + missed),
    decisionSla: ratio(decidedInTime, decidedInTime + decidedLate),
    acceptanceRate: ratio(accepted, decided),
    rejectionsByReason: [...reasons.entries()]
      .sort(([x], [y]) => order(x) - order(y) || x.localeCompare(y))
      .map(([reason, count]) => ({ reason, ...ratio(count, decided) })),
    timeToFirstTouch: {
      count: minutes.length,
      medianMinutes: quantile(minutes, 0.5),
      p90Minutes: quantile(minutes, 0.9),
    },
    unworked,
    recycleRate: ratio(recycled, decided),
    reMqlRate: ratio(reMql, handoffs.length),
  }
}

export interface SlaReportRange {
  from?: string | undefined
  to?: string | undefined
}

/** Longest range one report covers: three years of daily work, plus leap days. */
const maxRangeDays = 1100

/** [from, to] as dates of the workspace time zone, defaulting to the current month there. */
export function reportRange(range: SlaReportRange, timeZone: string, now: Date) {
  const today = DateTime.fromJSDate(now, { zone: timeZone })
  const from = range.from ?? today.startOf('month').toISODate()
  const to = range.to ?? today.endOf('month').toISODate()
  if (!from || !to) throw new AppError('invalid_input', 'from: could not compute the default range')
  if (to < from) {
    throw new AppError('invalid_input', `to: must be on or after from (${from}), not ${to}`, {
      field: 'to',
    })
  }
  const start = DateTime.fromISO(from, { zone: timeZone }).startOf('day')
  const end = DateTime.fromISO(to, { zone: timeZone }).plus({ days: 1 }).startOf('day')
  if (end.diff(start, 'days').days > maxRangeDays) {
    throw new AppError('invalid_input', `to: the range may cover at most ${maxRangeDays} days`, {
      field: 'to',
    })
  }
  return { from, to, start: start.toJSDate(), end: end.toJSDate() }
}

/** The months ('YYYY-MM') a date range touches, in order. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = []
  let cursor = DateTime.fromISO(from.slice(0, 7), { zone: 'utc' })
  const last = to.slice(0, 7)
  while (cursor.toFormat('yyyy-MM') <= last) {
    months.push(cursor.toFormat('yyyy-MM'))
    cursor = cursor.plus({ months: 1 })
  }
  return months
}

async function selectHandoffs(db: Kysely<DB>, workspaceId: string, tz: string, range: Range) {
  return db
    .selectFrom('handoffs as h')
    .leftJoin('users as o', 'o.id', 'h.ownerId')
    .leftJoin('campaigns as cp', (j) =>
      j.onRef('cp.workspaceId', '=', 'h.workspaceId').onRef('cp.id', '=', 'h.campaignId'),
    )
    .leftJoin('teams as tm', (j) =>
      j.onRef('tm.workspaceId', '=', 'h.workspaceId').onRef('tm.id', '=', 'h.teamId'),
    )
    .select([
      'h.ownerId',
      'o.name as ownerName',
      'h.teamId',
      'tm.name as teamName',
      'h.campaignId',
      'cp.name as campaignName',
      'h.status',
      'h.slaPolicyId',
      'h.createdAt',
      'h.firstTouchDueAt',
      'h.decisionDueAt',
      'h.firstTouchAt',
      'h.decidedAt',
      'h.rejectionReason',
      'h.rejectionOutcome',
      'h.isReMql',
      sql<string>`to_char(h.created_at at time zone ${tz}, 'YYYY-MM')`.as('month'),
    ])
    .where('h.workspaceId', '=', workspaceId)
    .where('h.createdAt', '>=', range.start)
    .where('h.createdAt', '<', range.end)
    .execute()
}

type Range = ReturnType<typeof reportRange>
type Row = Awaited<ReturnType<typeof selectHandoffs>>[number]
type Fact = HandoffFacts & Row

function groupBy<K>(rows: readonly Fact[], key: (row: Fact) => K) {
  const groups = new Map<K, Fact[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group) group.push(row)
    else groups.set(k, [row])
  }
  return groups
}

/** Drill-down links (/bridge/records, kind handoffs) to a group's unworked and missed handoffs. */
function slaLinks(range: Range, filter: { ownerId: string } | { teamId: string }) {
  return {
    unworked: drillLink('handoffs', range, { ...filter, sla: 'unworked' }),
    missed: drillLink('handoffs', range, { ...filter, sla: 'missed' }),
  }
}

/**
 * The report of GET /api/v1/reports/sla. Time to first touch is exact: business minutes on the
 * calendar of the SLA policy each handoff recorded (the workspace calendar when none), the same
 * clock its due times were set on.
 */
export async function getSlaReport(
  db: Kysely<DB>,
  principal: Principal,
  query: SlaReportRange,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const workspace = await db
    .selectFrom('workspaces')
    .select('timeZone')
    .where('id', '=', workspaceId)
    .executeTakeFirst()
  if (!workspace) throw new AppError('not_found', 'Workspace not found')
  const timeZone = workspace.timeZone
  const range = reportRange(query, timeZone, now)
  const [rows, calendarOf, targets] = await Promise.all([
    selectHandoffs(db, workspaceId, timeZone, range),
    loadPolicyCalendars(db, workspaceId),
    mqlTargetsByMonth(db, workspaceId, `${range.from.slice(0, 7)}-01`, range.to),
  ])
  const facts: Fact[] = rows.map((row) => ({
    ...row,
    minutesToFirstTouch: row.firstTouchAt
      ? businessMinutesBetween(calendarOf(row.slaPolicyId), row.createdAt, row.firstTouchAt)
      : null,
  }))

  const byOwner = [...groupBy(facts, (r) => r.ownerId).values()]
    .map((group) => {
      const first = group[0] as Fact
      const owner = first.ownerId ? { id: first.ownerId, name: first.ownerName ?? '' } : null
      return {
        owner,
        ...slaMetrics(group, now),
        links: slaLinks(range, { ownerId: first.ownerId ?? 'none' }),
      }
    })
    // Reps by name; the unassigned queue last.
    .sort((x, y) => (x.owner?.name ?? '\uffff').localeCompare(y.owner?.name ?? '\uffff'))
  const byTeam = [...groupBy(facts, (r) => r.teamId).values()]
    .map((group) => {
      const first = group[0] as Fact
      const team = first.teamId ? { id: first.teamId, name: first.teamName ?? '' } : null
      return {
        team,
        ...slaMetrics(group, now),
        links: slaLinks(range, { teamId: first.teamId ?? 'none' }),
      }
    })
    // Teams by name; handoffs without a team ("No team") last.
    .sort((x, y) => (x.team?.name ?? '\uffff').localeCompare(y.team?.name ?? '\uffff'))
  const byCampaign = [...groupBy(facts, (r) => r.campaignId).values()]
    .map((group) => {
      const first = group[0] as Fact
      const campaign = first.campaignId
        ? { id: first.campaignId, name: first.campaignName ?? '' }
        : null
      return { campaign, ...slaMetrics(group, now) }
    })
    // Campaigns by volume; handoffs without a campaign last.
    .sort(
      (x, y) =>
        Number(x.campaign === null) - Number(y.campaign === null) ||
        y.handoffs - x.handoffs ||
        (x.campaign?.name ?? '').localeCompare(y.campaign?.name ?? ''),
    )

  const targetOf = targets
  const byMonth = groupBy(facts, (r) => r.month)
  const marketing = monthsOf(range.from, range.to).map((month) => {
    const group = byMonth.get(month) ?? []
    const accepted = group.filter((h) => h.status === 'accepted').length
    const rejected = group.filter((h) => h.status === 'rejected').length
    const target = targetOf.get(month) ?? null
    return {
      month,
      delivered: group.length,
      target,
      // A month cut by the range counts only its days in range, against the whole month's target.
      targetAttainment: target === null ? null : ratio(group.length, target),
      acceptanceRate: ratio(accepted, accepted + rejected),
    }
  })

  return {
    from: range.from,
    to: range.to,
    timeZone,
    asOf: now.toISOString(),
    overall: slaMetrics(facts, now),
    byOwner,
    byTeam,
    byCampaign,
    marketing,
  }
}

export type SlaReport = Awaited<ReturnType<typeof getSlaReport>>
