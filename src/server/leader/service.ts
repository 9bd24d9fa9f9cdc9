/**
 * The leader view (issue 13): on one page, for the last N months (12 by default, the current one
 * last) of the workspace zone, each measure's current value, its trend and the page behind it:
 * - revenue won vs the company's revenue target: the month's target, or else its day share of a
 *   quarter target (src/domain/calendar.ts dayShare); quarter targets also shown whole;
 * - pipeline coverage (src/domain/forecast.ts) of the current and next months: open deals closing
 *   in the month ÷ what remains of its target (no history of the pipeline is kept, so no trend);
 * - the alignment index (src/server/reports/alignment.ts);
 * - regret rate of mature won deals by closing month (src/server/reports/regret.ts);
 * - win rate = won ÷ (won + lost), lost not counting `poor_fit_walked_away` (DEFINITIONS.md);
 * - "top insights": insights are not records yet, so the top loss reasons and objections of the
 *   last 90 days from voice of sales, said as such.
 * Every part runs in parallel.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { dayShare, periodByKey } from '../../domain/calendar.ts'
import { pipelineCoverage } from '../../domain/forecast.ts'
import { sumInBase } from '../../domain/money.ts'
import { regretCounts, regretOf } from '../../domain/regret.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { loadRates } from '../exchange-rates/service.ts'
import { computeAlignment } from '../reports/alignment.ts'
import { drillLink } from '../reports/bridge-common.ts'
import { regretRange, selectWonDeals } from '../reports/regret.ts'
import { getVoiceOfSales } from '../reports/voice-of-sales.ts'
import { loadScoringSettings } from '../scoring/settings.ts'
import { actualsOf } from '../targets/progress.ts'
import { loadCalendar, type WorkspaceCalendar } from '../waterfall/period.ts'
import { selectClosedByMonth, selectOpenPipeline, selectRevenueTargets } from './queries.ts'

export const LeaderQuery = z.object({
  months: z.coerce
    .number({ error: () => 'must be a whole number from 3 to 24' })
    .int({ error: () => 'must be a whole number from 3 to 24' })
    .min(3, { error: () => 'must be a whole number from 3 to 24' })
    .max(24, { error: () => 'must be a whole number from 3 to 24' })
    .default(12)
    .describe('Months of trend, the current one included (3-24, default 12)'),
})
export type LeaderQuery = z.infer<typeof LeaderQuery>

/** Days of voice of sales the "top insights" cover. */
const insightDays = 90

interface Month {
  key: string
  start: DateTime
  end: DateTime
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b)

/** GET /api/v1/leader: needs leader:read (the admin role, and anyone given it). */
export async function getLeaderView(
  db: Kysely<DB>,
  principal: Principal,
  query: LeaderQuery,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'leader:read')
  const calendar = await loadCalendar(db, workspaceId)
  const zone = calendar.timeZone
  const current = DateTime.fromJSDate(now, { zone }).startOf('month')
  const months: Month[] = Array.from({ length: query.months + 1 }, (_, i) => {
    const start = current.minus({ months: query.months - 1 - i })
    return { key: start.toFormat('yyyy-MM'), start, end: start.plus({ months: 1 }) }
  })
  // The last one is the next month (coverage only).
  const shown = months.slice(0, -1)
  const today = DateTime.fromJSDate(now, { zone }).toISODate() as string
  const first = (months[0] as Month).start.toISODate() as string

  const [revenue, alignment, regret, winRate, insights] = await Promise.all([
    revenueAndCoverage(db, workspaceId, calendar, months),
    computeAlignment(db, workspaceId, { from: first, to: today }, now),
    regretTrend(db, workspaceId, zone, now),
    winRateTrend(db, workspaceId, zone, shown),
    topInsights(db, principal, today, now),
  ])
  return {
    asOf: now.toISOString(),
    timeZone: zone,
    baseCurrency: calendar.baseCurrency,
    months: shown.map((m) => m.key),
    revenue: revenue.revenue,
    coverage: revenue.coverage,
    alignment: {
      value: alignment.index,
      period: alignment.indexPeriod,
      series: alignment.series,
      link: '/bridge',
    },
    regret,
    winRate,
    insights,
  }
}

async function revenueAndCoverage(
  db: Kysely<DB>,
  workspaceId: string,
  calendar: WorkspaceCalendar,
  months: Month[],
) {
  const zone = calendar.timeZone
  const from = (months[0] as Month).start.toISODate() as string
  const to = (months.at(-1) as Month).end.toISODate() as string
  const [targets, open, rates] = await Promise.all([
    selectRevenueTargets(db, workspaceId, from, to),
    selectOpenPipeline(db, workspaceId, (months.at(-2) as Month).start.toISODate() as string, to),
    loadRates(db, workspaceId),
  ])
  const quarters = targets.filter((t) => t.periodKind === 'quarter')
  const windows = [
    ...months.map((m) => ({
      id: crypto.randomUUID(),
      startsOn: m.start.toISODate() as string,
      endsOn: m.end.toISODate() as string,
    })),
    ...quarters.map((q) => ({ id: crypto.randomUUID(), startsOn: q.startsOn, endsOn: q.endsOn })),
  ].map((w) => ({
    ...w,
    subjectKind: 'company' as const,
    subjectId: '',
    metric: 'revenue' as const,
  }))
  const actuals = await actualsOf(db, workspaceId, zone, windows)
  const missing = new Set<string>()
  const wonOf = (i: number) => {
    const actual = actuals.get((windows[i] as { id: string }).id)
    for (const currency of actual?.missingRates ?? []) missing.add(currency)
    return actual?.actual ?? null
  }

  const targetOf = (m: Month) => {
    const own = targets.find((t) => t.periodKind === 'month' && t.periodKey === m.key)
    if (own) return { target: Number(own.amount), targetSource: 'month' as const }
    const startsOn = m.start.toISODate() as string
    const quarter = quarters.find((q) => q.startsOn <= startsOn && q.endsOn > startsOn)
    if (!quarter) return { target: null, targetSource: null }
    const period = periodByKey(quarter.periodKey, calendar)
    const share = dayShare(period, m.start.toJSDate(), m.end.toJSDate(), calendar)
    return { target: Math.round(Number(quarter.amount) * share), targetSource: 'quarter' as const }
  }
  const points = months.map((m, i) => {
    const won = wonOf(i)
    const { target, targetSource } = targetOf(m)
    return {
      period: m.key,
      won,
      target,
      targetSource,
      attainment: won === null || !target ? null : won / target,
      link: drillLink(
        'deals',
        {
          from: m.start.toISODate() as string,
          to: m.end.minus({ days: 1 }).toISODate() as string,
        },
        { outcome: 'won' },
      ),
    }
  })
  const coverage = points.slice(-2).map((point) => {
    const rows = open.filter((r) => r.month === point.period)
    const sum = sumInBase(rows, rates.baseCurrency, rates.rates)
    for (const currency of sum.missing) missing.add(currency)
    const achieved = point.won ?? 0
    const value =
      point.target === null || sum.amountInBase === null
        ? null
        : pipelineCoverage(sum.amountInBase, point.target, achieved)
    return {
      period: point.period,
      openPipeline: sum.amountInBase,
      openDeals: rows.reduce((n, r) => n + r.deals, 0),
      target: point.target,
      achieved,
      remaining: point.target === null ? null : Math.max(0, point.target - achieved),
      value,
    }
  })
  const shown = points.slice(0, -1)
  return {
    revenue: {
      value: shown.at(-1),
      series: shown,
      quarters: quarters.map((q, i) => {
        const won = wonOf(months.length + i)
        const target = Number(q.amount)
        return {
          period: q.periodKey,
          startsOn: q.startsOn,
          endsOn: q.endsOn,
          won,
          target,
          attainment: won === null || target === 0 ? null : won / target,
        }
      }),
      missingRates: [...missing].sort(),
      link: shown.at(-1)?.link ?? '/bridge/records?kind=deals&outcome=won',
    },
    coverage: { value: coverage[0], series: coverage, link: '/microscope/pipeline' },
  }
}

/** Regret of mature won deals (closed ≥ 180 days ago) by closing month, and over them all. */
async function regretTrend(db: Kysely<DB>, workspaceId: string, zone: string, now: Date) {
  const range = regretRange({}, zone, now)
  const [{ productFitThreshold }, deals] = await Promise.all([
    loadScoringSettings(db, workspaceId),
    selectWonDeals(db, workspaceId, range),
  ])
  const outcomes = deals.map((deal) => ({
    month: deal.closedOn.slice(0, 7),
    outcome: regretOf(deal, productFitThreshold),
  }))
  const overall = regretCounts(outcomes.map((o) => o.outcome))
  const monthKeys: string[] = []
  for (
    let m = DateTime.fromISO(range.from, { zone: 'utc' }).startOf('month');
    m.toFormat('yyyy-MM') <= range.to.slice(0, 7);
    m = m.plus({ months: 1 })
  ) {
    monthKeys.push(m.toFormat('yyyy-MM'))
  }
  return {
    value: overall.rate,
    from: range.from,
    to: range.to,
    won: overall.won,
    regretted: overall.regretted,
    series: monthKeys.map((month) => {
      const counts = regretCounts(outcomes.filter((o) => o.month === month).map((o) => o.outcome))
      return { period: month, value: counts.rate, won: counts.won, regretted: counts.regretted }
    }),
    link: '/reports/regret',
  }
}

async function winRateTrend(db: Kysely<DB>, workspaceId: string, zone: string, months: Month[]) {
  const first = months[0] as Month
  const last = months.at(-1) as Month
  const byMonth = await selectClosedByMonth(
    db,
    workspaceId,
    zone,
    first.start.toJSDate(),
    last.end.toJSDate(),
  )
  const series = months.map((m) => {
    const c = byMonth.get(m.key) ?? { won: 0, lost: 0, walked: 0 }
    return { period: m.key, value: ratio(c.won, c.won + c.lost), ...c }
  })
  const won = series.reduce((n, p) => n + p.won, 0)
  const lost = series.reduce((n, p) => n + p.lost, 0)
  const walked = series.reduce((n, p) => n + p.walked, 0)
  const range = {
    from: first.start.toISODate() as string,
    to: last.end.minus({ days: 1 }).toISODate() as string,
  }
  return {
    value: ratio(won, won + lost),
    from: range.from,
    to: range.to,
    won,
    lost,
    walkedAway: walked,
    series,
    link: drillLink('deals', range, {}),
  }
}

async function topInsights(db: Kysely<DB>, principal: Principal, today: string, now: Date) {
  const from = DateTime.fromISO(today)
    .minus({ days: insightDays - 1 })
    .toISODate() as string
  const voice = await getVoiceOfSales(db, principal, { from, to: today }, now)
  return {
    note: 'Insights are not records in Tandem yet: until they are, these are the loss reasons and objections sales recorded most in the last 90 days (voice of sales).',
    from,
    to: today,
    lossReasons: voice.losses.slice(0, 5).map((l) => ({
      reason: l.reason,
      count: l.count,
      share: l.share,
      goodOutcome: l.goodOutcome,
      link: l.link,
    })),
    objections: voice.objections.slice(0, 5).map((o) => ({
      tagId: o.tag.id,
      name: o.tag.name,
      count: o.count,
      link: o.link,
    })),
    series: voice.trends.map((m) => ({ period: m.month, losses: m.losses, rejected: m.rejected })),
    link: `/bridge/voice-of-sales?from=${from}&to=${today}`,
  }
}
