/**
 * The alignment index report (DEFINITIONS.md "Alignment index", issue 8): per month of the range
 * (workspace time zone) the parts that have data, the index as their mean, the index of the last
 * complete month with its parts and their trends, and the three biggest current problems. Every
 * figure is aggregated in PostgreSQL by month; only a few rows per month come back.
 *
 * Choices (documented here and in `detail`):
 * - A month cut by the range (its first or last) counts only its days in the range, and its links
 *   cover exactly those days. The index month, when it falls before the range (a range inside one
 *   month), counts whole.
 * - sla_attainment, acceptance_rate and marketing_commitment count handoffs created in the month,
 *   as the SLA report does. feedback_coverage counts the handoffs created in the month that are
 *   decided now (so its link, kind=handoffs&status=decided, shows exactly them) and deals closed
 *   lost in the month.
 * - mql_to_sql: the cohort of a month is the contacts entering mql in it (each once, at its first
 *   entry of the month, as the drill-down counts them); a conversion is an sql entry within 90
 *   days. A cohort younger than 90 days counts its conversions so far (its detail says so).
 *   Trailing months are computed the same way, even before `from`.
 * - forecast_accuracy (issue 13): 1 − WAPE of the reps' commit submissions of each month that has
 *   ended, whole (a month the range cuts too), each rep's last submission made before the month
 *   started against the revenue they won in it (src/server/forecast/accuracy.ts). Its link lists
 *   the won deals (the actuals), its second link opens the month's forecast call.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import { DateTime } from 'luxon'
import {
  type AlignmentPartKey,
  alignmentIndex,
  alignmentParts,
  type MarketingTargetFact,
  mqlToSqlX,
  type ProblemFact,
  partDefinition,
  partValue,
  rankProblems,
} from '../../domain/alignment.ts'
import { submissionAccuracy } from '../../domain/forecast.ts'
import { minorUnitDigits } from '../../domain/money.ts'
import type { DB } from '../db/schema.ts'
import { accuracyPairs } from '../forecast/accuracy.ts'
import { forecastCalendar, forecastPeriod } from '../forecast/period.ts'
import { mqlTargetsByMonth } from '../mql/queries.ts'
import type { AlignmentPart, AlignmentPoint, AlignmentReport } from './alignment-types.ts'
import { type BridgeRange, bridgeRange, drillLink, workspaceTimeZone } from './bridge-common.ts'
import { monthsOf } from './sla.ts'

/** Months of trailing MQL→SQL rates a month is compared with. */
const trailingMonths = 6
/** Days a cohort has to convert (DEFINITIONS.md MQL→SQL rate). */
const conversionDays = 90
/** The window of "recent" problem facts: the last 90 days up to today. */
const recentDays = 90

interface MonthWindow {
  month: string
  /** ISO dates of the days counted (links use them). */
  from: string
  to: string
}

const n = (value: unknown) => Number(value ?? 0)

function monthStart(month: string, timeZone: string) {
  return DateTime.fromISO(`${month}-01`, { zone: timeZone }).startOf('day')
}

function shiftMonth(month: string, by: number) {
  return DateTime.fromISO(`${month}-01`, { zone: 'utc' }).plus({ months: by }).toFormat('yyyy-MM')
}

function monthLabel(month: string) {
  return DateTime.fromISO(`${month}-01`, { zone: 'utc' }).toFormat('LLLL yyyy', { locale: 'en' })
}

/** The last complete month: `to`'s month when `to` is its last day, else the month before. */
export function lastCompleteMonth(to: string): string {
  const day = DateTime.fromISO(to, { zone: 'utc' })
  const month = day.toFormat('yyyy-MM')
  return day.endOf('month').toISODate() === to ? month : shiftMonth(month, -1)
}

/** Months `from`…`to`, each cut to the range, plus the index month (whole) when before it. */
function monthWindows(range: BridgeRange, indexMonth: string): MonthWindow[] {
  const windows = monthsOf(range.from, range.to).map((month) => {
    const first = `${month}-01`
    const last = DateTime.fromISO(first, { zone: 'utc' }).endOf('month').toISODate() ?? first
    return {
      month,
      from: [first, range.from].sort()[1] ?? first,
      to: [last, range.to].sort()[0] ?? last,
    }
  })
  const firstMonth = range.from.slice(0, 7)
  if (indexMonth < firstMonth) {
    const first = `${indexMonth}-01`
    const last = DateTime.fromISO(first, { zone: 'utc' }).endOf('month').toISODate() ?? first
    windows.unshift({ month: indexMonth, from: first, to: last })
  }
  return windows
}

/**
 * `column` within the range, or within [extraStart, extraEnd) (months counted before the range:
 * the index month, or the trailing months of the MQL→SQL cohorts).
 */
function inWindows(
  column: RawBuilder<unknown>,
  range: BridgeRange,
  extra: { start: Date; end: Date } | null,
) {
  const inRange = sql`(${column} >= ${range.start} and ${column} < ${range.end})`
  if (!extra || extra.start >= extra.end) return inRange
  return sql`(${inRange} or (${column} >= ${extra.start} and ${column} < ${extra.end}))`
}

/** Counted in SQL as src/domain/handoff.ts firstTouchState: met, missed (running/closed: neither). */
const metSql = sql`h.first_touch_at is not null and h.first_touch_at <= h.first_touch_due_at`
const missedSql = (now: Date) =>
  sql`(h.first_touch_at is not null and h.first_touch_at > h.first_touch_due_at)
    or (h.first_touch_at is null and h.first_touch_due_at < ${now}
      and (h.decided_at is null or h.decided_at > h.first_touch_due_at))`

async function handoffMonths(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  extra: { start: Date; end: Date } | null,
  now: Date,
) {
  const tz = range.timeZone
  const result = await sql<{
    month: string
    created: string
    accepted: string
    rejected: string
    rated: string
    met: string
    missed: string
  }>`
    select to_char(h.created_at at time zone ${tz}, 'YYYY-MM') as month,
      count(*) as created,
      count(*) filter (where h.status = 'accepted') as accepted,
      count(*) filter (where h.status = 'rejected') as rejected,
      count(*) filter (where h.status <> 'open' and h.quality is not null) as rated,
      count(*) filter (where ${metSql}) as met,
      count(*) filter (where ${missedSql(now)}) as missed
    from handoffs h
    where h.workspace_id = ${workspaceId}
      and ${inWindows(sql.ref('h.created_at'), range, extra)}
    group by 1`.execute(db)
  return new Map(
    result.rows.map((r) => [
      r.month,
      {
        created: n(r.created),
        accepted: n(r.accepted),
        rejected: n(r.rejected),
        rated: n(r.rated),
        met: n(r.met),
        missed: n(r.missed),
      },
    ]),
  )
}

async function lossMonths(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  extra: { start: Date; end: Date } | null,
) {
  const result = await sql<{ month: string; lost: string; known: string }>`
    select to_char(d.closed_at at time zone ${range.timeZone}, 'YYYY-MM') as month,
      count(*) as lost,
      count(*) filter (where d.marketing_could_help in ('yes', 'no')) as known
    from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null and s.is_lost
      and d.closed_at is not null
      and ${inWindows(sql.ref('d.closed_at'), range, extra)}
    group by 1`.execute(db)
  return new Map(result.rows.map((r) => [r.month, { lost: n(r.lost), known: n(r.known) }]))
}

async function mqlCohorts(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  extra: { start: Date; end: Date },
) {
  // As the drill-down's contacts cohort (records-filters.ts contactCohort): per month, each
  // contact once, at its first mql entry of the month; converted when it entered sql within 90
  // days. Set-based (hash joins on the contact), not a probe per cohort member.
  const result = await mqlCohortQuery(workspaceId, range, extra).execute(db)
  return new Map(
    result.rows.map((r) => [r.month, { entered: n(r.entered), converted: n(r.converted) }]),
  )
}

/** The MQL cohorts of the range and of `extra`, per month. */
function mqlCohortQuery(
  workspaceId: string,
  range: BridgeRange,
  extra: { start: Date; end: Date },
) {
  return sql<{ month: string; entered: string; converted: string }>`
    with k as (
      select to_char(e.entered_at at time zone ${range.timeZone}, 'YYYY-MM') as month,
        e.record_id, min(e.entered_at) as entered_at
      from lifecycle_entries e
      where e.workspace_id = ${workspaceId} and e.entity = 'contact' and e.stage = 'mql'
        and ${inWindows(sql.ref('e.entered_at'), range, extra)}
      group by 1, 2
    ), s as (
      select e.record_id, e.entered_at
      from lifecycle_entries e
      where e.workspace_id = ${workspaceId} and e.entity = 'contact' and e.stage = 'sql'
        and e.entered_at >= ${extra.start}
        and e.entered_at <= ${range.end}::timestamptz + make_interval(days => ${conversionDays})
    ), deleted as (
      select c.id from contacts c
      where c.workspace_id = ${workspaceId} and c.deleted_at is not null
    ), member as (
      select k.month, k.record_id, count(s.record_id) > 0 as converted
      from k
      left join s on s.record_id = k.record_id and s.entered_at >= k.entered_at
        and s.entered_at <= k.entered_at + make_interval(days => ${conversionDays})
      where not exists (select 1 from deleted d where d.id = k.record_id)
      group by 1, 2
    )
    select month, count(*) as entered, count(*) filter (where converted) as converted
    from member
    group by 1`
}

function targetMonths(db: Kysely<DB>, workspaceId: string, months: string[]) {
  if (months.length === 0) return Promise.resolve(new Map<string, number>())
  return mqlTargetsByMonth(db, workspaceId, `${months[0]}-01`, `${months.at(-1)}-01`)
}

/** 1 − WAPE of commit submissions per month that has ended (only months with actuals). */
async function forecastMonths(db: Kysely<DB>, workspaceId: string, months: string[], now: Date) {
  const calendar = await forecastCalendar(db, workspaceId)
  const periods = months
    .map((month) => forecastPeriod('month', month, calendar))
    .filter((period) => period.end.getTime() <= now.getTime())
  const { pairs } = await accuracyPairs(db, workspaceId, calendar, periods)
  const out = new Map<string, { x: number; error: number; actual: number; reps: number }>()
  for (const period of periods) {
    const of = pairs.filter((p) => p.periodKey === period.key)
    const { commit } = submissionAccuracy(of)
    if (commit.accuracy === null) continue
    out.set(period.key, {
      x: commit.accuracy,
      error: commit.error,
      actual: commit.actual,
      reps: commit.periods,
    })
  }
  return { months: out, baseCurrency: calendar.baseCurrency }
}

function money(minor: number, currency: string) {
  const digits = minorUnitDigits(currency)
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  }).format(minor / 10 ** digits)
}

interface PartFigures {
  key: AlignmentPartKey
  x: number
  numerator: number
  denominator: number
  detail: string
  link: string
  shortfallLink: string | null
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`

// ---------------------------------------------------------------------------------------------
// Problems: campaigns over the range (a programme's leads are judged over all its recent months:
// a campaign that ended weeks ago still explains this quarter's rejections), reps over the last 90
// days, open MQLs now, marketing's target and feedback in the index month.

async function problemFacts(
  db: Kysely<DB>,
  workspaceId: string,
  timeZone: string,
  now: Date,
  range: BridgeRange,
): Promise<ProblemFact[]> {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day')
  const recent = {
    from: today.minus({ days: recentDays - 1 }).toISODate() ?? '',
    to: today.toISODate() ?? '',
  }
  const start = today.minus({ days: recentDays - 1 }).toJSDate()
  const end = today.plus({ days: 1 }).toJSDate()

  const [campaigns, reps, unworked] = await Promise.all([
    sql<{ campaignId: string; name: string; decided: string; reason: string; rejected: string }>`
      with decided as (
        select h.campaign_id, count(*) as decided
        from handoffs h
        where h.workspace_id = ${workspaceId} and h.campaign_id is not null
          and h.status <> 'open' and h.created_at >= ${range.start} and h.created_at < ${range.end}
        group by 1
      ), reasons as (
        select h.campaign_id, h.rejection_reason as reason, count(*) as rejected
        from handoffs h
        where h.workspace_id = ${workspaceId} and h.campaign_id is not null
          and h.status = 'rejected' and h.rejection_reason is not null
          and h.created_at >= ${range.start} and h.created_at < ${range.end}
        group by 1, 2
      )
      select distinct on (r.campaign_id) r.campaign_id, cp.name, d.decided, r.reason, r.rejected
      from reasons r
      join decided d on d.campaign_id = r.campaign_id
      join campaigns cp on cp.workspace_id = ${workspaceId} and cp.id = r.campaign_id
      order by r.campaign_id, r.rejected desc, r.reason`.execute(db),
    sql<{ ownerId: string; name: string; met: string; missed: string }>`
      select h.owner_id, u.name,
        count(*) filter (where ${metSql}) as met,
        count(*) filter (where ${missedSql(now)}) as missed
      from handoffs h
      join users u on u.id = h.owner_id
      where h.workspace_id = ${workspaceId} and h.owner_id is not null
        and h.created_at >= ${start} and h.created_at < ${end}
      group by 1, 2`.execute(db),
    sql<{
      ownerId: string | null
      name: string | null
      unworked: string
      waiting: string
      oldest: Date
    }>`
      select h.owner_id, u.name,
        count(*) filter (where h.first_touch_at is null and h.first_touch_due_at < ${now}) as unworked,
        count(*) as waiting,
        min(h.created_at) as oldest
      from handoffs h
      left join users u on u.id = h.owner_id
      where h.workspace_id = ${workspaceId} and h.status = 'open'
      group by 1, 2`.execute(db),
  ])

  const facts: ProblemFact[] = []
  for (const c of campaigns.rows) {
    facts.push({
      kind: 'campaign_rejections',
      campaignId: c.campaignId,
      campaignName: c.name,
      decided: n(c.decided),
      reason: c.reason,
      rejectedWithReason: n(c.rejected),
      link: drillLink('handoffs', range, {
        campaignId: c.campaignId,
        status: 'rejected',
        reason: c.reason,
      }),
    })
  }

  const totalMet = reps.rows.reduce((sum, r) => sum + n(r.met), 0)
  const totalCounted = reps.rows.reduce((sum, r) => sum + n(r.met) + n(r.missed), 0)
  for (const r of reps.rows) {
    const met = n(r.met)
    const counted = met + n(r.missed)
    facts.push({
      kind: 'rep_attainment',
      ownerId: r.ownerId,
      ownerName: r.name,
      met,
      counted,
      othersMet: totalMet - met,
      othersCounted: totalCounted - counted,
      link: drillLink('handoffs', recent, { ownerId: r.ownerId, sla: 'missed' }),
    })
  }

  for (const r of unworked.rows) {
    // The drill-down lists handoffs created in [from, to]: from the oldest open one to today.
    const oldest = DateTime.fromJSDate(new Date(r.oldest), { zone: timeZone }).toISODate() ?? ''
    // (at most the 1,100 days a range may cover).
    const earliest = today.minus({ days: 1099 }).toISODate() ?? ''
    const from = [earliest, oldest].sort()[1] ?? earliest
    const since = { from, to: recent.to }
    if (r.ownerId === null) {
      facts.push({
        kind: 'unassigned',
        waiting: n(r.waiting),
        link: drillLink('handoffs', since, { ownerId: 'none', status: 'open' }),
      })
    } else {
      facts.push({
        kind: 'rep_unworked',
        ownerId: r.ownerId,
        ownerName: r.name ?? '',
        unworked: n(r.unworked),
        link: drillLink('handoffs', since, { ownerId: r.ownerId, sla: 'unworked' }),
      })
    }
  }

  return facts
}

// ---------------------------------------------------------------------------------------------

/**
 * The alignment report of GET /api/v1/reports/alignment (and the weekly digest). No permission
 * check here: the route checks records:read.
 */
export async function computeAlignment(
  db: Kysely<DB>,
  workspaceId: string,
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): Promise<AlignmentReport> {
  const timeZone = await workspaceTimeZone(db, workspaceId)
  const range = bridgeRange(query, timeZone, now)
  const indexMonth = lastCompleteMonth(range.to)
  const windows = monthWindows(range, indexMonth)
  const firstMonth = (windows[0] as MonthWindow).month
  const rangeFirstMonth = range.from.slice(0, 7)
  const rangeFirstStart = monthStart(rangeFirstMonth, timeZone).toJSDate()

  // Before the range: the index month (handoffs, deals), and 6 trailing months (cohorts).
  const extraHandoffs =
    firstMonth < rangeFirstMonth
      ? { start: monthStart(firstMonth, timeZone).toJSDate(), end: rangeFirstStart }
      : null
  const trailingStart = shiftMonth(firstMonth, -trailingMonths)
  const extraCohorts = {
    start: monthStart(trailingStart, timeZone).toJSDate(),
    end: rangeFirstStart,
  }

  // The problems' own queries run alongside the months'.
  const [handoffs, losses, cohorts, targets, facts, forecasts] = await Promise.all([
    handoffMonths(db, workspaceId, range, extraHandoffs, now),
    lossMonths(db, workspaceId, range, extraHandoffs),
    mqlCohorts(db, workspaceId, range, extraCohorts),
    targetMonths(
      db,
      workspaceId,
      windows.map((w) => w.month),
    ),
    problemFacts(db, workspaceId, timeZone, now, range),
    forecastMonths(
      db,
      workspaceId,
      windows.map((w) => w.month),
      now,
    ),
  ])

  const rateOf = (month: string) => {
    const c = cohorts.get(month)
    return c && c.entered > 0 ? c.converted / c.entered : null
  }

  const figuresOf = (w: MonthWindow): Map<AlignmentPartKey, PartFigures> => {
    const figures = new Map<AlignmentPartKey, PartFigures>()
    const link = (kind: 'handoffs' | 'deals' | 'contacts', filters: Record<string, string>) =>
      drillLink(kind, w, { ...filters, month: w.month })
    const h = handoffs.get(w.month)
    const counted = h ? h.met + h.missed : 0
    if (h && counted > 0) {
      figures.set('sla_attainment', {
        key: 'sla_attainment',
        x: h.met / counted,
        numerator: h.met,
        denominator: counted,
        detail: `${h.met} of ${counted} handoffs first-touched within the SLA window`,
        link: link('handoffs', {}),
        shortfallLink: link('handoffs', { sla: 'missed' }),
      })
    }
    const decided = h ? h.accepted + h.rejected : 0
    if (h && decided > 0) {
      figures.set('acceptance_rate', {
        key: 'acceptance_rate',
        x: h.accepted / decided,
        numerator: h.accepted,
        denominator: decided,
        detail: `${h.accepted} of ${decided} decided handoffs accepted`,
        link: link('handoffs', { status: 'decided' }),
        shortfallLink: link('handoffs', { status: 'rejected' }),
      })
    }
    const rate = rateOf(w.month)
    const trailing = Array.from({ length: trailingMonths }, (_, i) =>
      rateOf(shiftMonth(w.month, -(i + 1))),
    )
    const x = mqlToSqlX(rate, trailing)
    const cohort = cohorts.get(w.month)
    if (x !== null && cohort && rate !== null) {
      const base = rate / x
      const young =
        monthStart(w.month, timeZone).plus({ months: 1, days: conversionDays }).toJSDate() > now
      figures.set('mql_to_sql', {
        key: 'mql_to_sql',
        x,
        numerator: cohort.converted,
        denominator: cohort.entered,
        detail:
          `${cohort.converted} of ${cohort.entered} new MQLs reached SQL within 90 days (${pct(rate)}), ` +
          `against a median of ${pct(base)} over the 6 months before` +
          (young
            ? '; the cohort is younger than 90 days, so these are its conversions so far'
            : ''),
        link: link('contacts', { stage: 'mql' }),
        shortfallLink: link('contacts', { stage: 'mql', notReached: 'sql' }),
      })
    }
    const loss = losses.get(w.month)
    const feedbackTotal = decided + (loss?.lost ?? 0)
    if (feedbackTotal > 0) {
      const rated = h?.rated ?? 0
      const known = loss?.known ?? 0
      figures.set('feedback_coverage', {
        key: 'feedback_coverage',
        x: (rated + known) / feedbackTotal,
        numerator: rated + known,
        denominator: feedbackTotal,
        detail:
          `${rated + known} of ${feedbackTotal} with feedback: ${rated} of ${decided} decided handoffs rated, ` +
          `${known} of ${loss?.lost ?? 0} lost deals saying whether marketing could have helped`,
        link:
          decided > 0
            ? link('handoffs', { status: 'decided' })
            : link('deals', { outcome: 'lost' }),
        shortfallLink:
          decided > 0
            ? link('handoffs', { status: 'decided', rated: 'no' })
            : link('deals', { outcome: 'lost', marketingCouldHelp: 'unsure' }),
      })
    }
    const target = targets.get(w.month)
    if (target !== undefined && target > 0) {
      const delivered = h?.created ?? 0
      figures.set('marketing_commitment', {
        key: 'marketing_commitment',
        x: delivered / target,
        numerator: delivered,
        denominator: target,
        detail: `${delivered} MQLs delivered against a target of ${target}`,
        link: link('handoffs', {}),
        shortfallLink: null,
      })
    }
    const forecast = forecasts.months.get(w.month)
    if (forecast) {
      const whole = {
        from: `${w.month}-01`,
        to: DateTime.fromISO(`${w.month}-01`, { zone: 'utc' }).endOf('month').toISODate() ?? '',
      }
      const currency = forecasts.baseCurrency
      figures.set('forecast_accuracy', {
        key: 'forecast_accuracy',
        x: forecast.x,
        numerator: forecast.error,
        denominator: forecast.actual,
        detail:
          `${forecast.reps} ${forecast.reps === 1 ? "rep's commit" : "reps' commits"} off by ` +
          `${money(forecast.error, currency)} in all against ${money(forecast.actual, currency)} won ` +
          `(WAPE ${pct(forecast.error / forecast.actual)}; each rep's last submission before the month began)`,
        link: drillLink('deals', whole, { outcome: 'won', month: w.month }),
        shortfallLink: `/microscope/forecast?periodKind=month&periodKey=${w.month}`,
      })
    }
    return figures
  }

  const byMonth = new Map(windows.map((w) => [w.month, figuresOf(w)]))
  const indexOf = (month: string) =>
    alignmentIndex([...(byMonth.get(month)?.values() ?? [])].map((f) => partValue(f.x)))
  const rangeMonths = monthsOf(range.from, range.to)
  const indexFigures = byMonth.get(indexMonth) ?? new Map<AlignmentPartKey, PartFigures>()

  const parts: AlignmentPart[] = [...indexFigures.values()]
    .map((f): AlignmentPart => {
      const definition = partDefinition(f.key)
      const trend: AlignmentPoint[] = rangeMonths.map((month) => {
        const figure = byMonth.get(month)?.get(f.key)
        return { period: month, value: figure ? partValue(figure.x) : null }
      })
      return {
        key: f.key,
        label: definition.label,
        meaning: definition.meaning,
        owner: definition.owner,
        value: partValue(f.x),
        x: f.x,
        numerator: f.numerator,
        denominator: f.denominator,
        detail: f.detail,
        trend,
        link: f.link,
        shortfallLink: f.shortfallLink,
      }
    })
    .sort((a, b) => partOrder(a.key) - partOrder(b.key))

  const indexLabel = monthLabel(indexMonth)
  const commitment = indexFigures.get('marketing_commitment')
  if (commitment) {
    const fact: MarketingTargetFact = {
      kind: 'marketing_target',
      periodLabel: indexLabel,
      delivered: commitment.numerator,
      target: commitment.denominator,
      link: commitment.link,
    }
    facts.push(fact)
  }
  const feedback = indexFigures.get('feedback_coverage')
  if (feedback) {
    facts.push({
      kind: 'feedback',
      periodLabel: indexLabel,
      covered: feedback.numerator,
      total: feedback.denominator,
      link: feedback.shortfallLink ?? feedback.link,
    })
  }
  const problems = rankProblems(facts, 3)

  return {
    from: range.from,
    to: range.to,
    period: 'month',
    timeZone,
    index: indexOf(indexMonth),
    indexPeriod: indexMonth,
    parts,
    series: rangeMonths.map((month) => ({ period: month, value: indexOf(month) })),
    problems: problems.map((p) => p.text),
    problemDetails: problems.map(({ text, owner, severity, link }) => ({
      text,
      owner,
      severity,
      link,
    })),
  }
}

const partOrder = (key: AlignmentPartKey) => alignmentParts.findIndex((p) => p.key === key)
