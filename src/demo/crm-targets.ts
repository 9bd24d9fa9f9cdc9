/**
 * The demo world's targets and forecasts (issue 13): quotas for every rep, team and the company
 * over the whole last year and the next two months, set from each rep's trailing pace; and each
 * rep's forecast submissions, made the day before each month starts, with the habits reps have:
 * most commit near what they then win, one always over-commits (and their manager trims it),
 * one sandbags.
 */
import { type Insertable, type Kysely, sql } from 'kysely'
import { DateTime } from 'luxon'
import { type FiscalCalendar, type Period, periodsBetween } from '../domain/calendar.ts'
import { reverseWaterfall } from '../domain/forecast.ts'
import type { DB, TargetMetric, TargetPeriodKind } from '../server/db/schema.ts'
import { measureAssumptions, roundRate } from '../server/waterfall/assumptions.ts'
import { loadCalendar, planPeriodAt } from '../server/waterfall/period.ts'
import { selectCompanyRevenueTarget, upsertCompanyTargets } from '../server/waterfall/queries.ts'
import { insertInChunks } from './crm.ts'
import type { SeededRandom } from './random.ts'

interface TargetsOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
  /** Team name → member ids (its manager first). */
  teams: Record<string, string[]>
  /** The demo's sales manager, who adjusts the over-committer's forecasts and agrees the plan. */
  managerId: string
  /** The demo's marketer, who agrees this month's plan. */
  marketingId: string
  /** The rep who always over-commits. */
  overCommitterId: string
  /** The rep who sandbags. */
  sandbaggerId: string
}

type Row = Insertable<DB['targets']>

interface Monthly {
  revenue: number
  deals_won: number
  pipeline_created: number
  sqls: number
}

const emptyMonth = (): Monthly => ({ revenue: 0, deals_won: 0, pipeline_created: 0, sqls: 0 })

/** Each rep's actuals per month ('YYYY-MM'), from the world already seeded. */
async function monthlyActuals(db: Kysely<DB>, workspaceId: string, timeZone: string) {
  const rows = await sql<{ ownerId: string; month: string; metric: keyof Monthly; value: string }>`
    select owner_id, to_char(at at time zone ${timeZone}, 'YYYY-MM') as month, metric,
      sum(value)::text as value
    from (
      select d.owner_id, d.closed_at as at, 'revenue' as metric, d.amount as value
      from deals d join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
      where d.workspace_id = ${workspaceId} and s.is_won and d.closed_at is not null
      union all
      select d.owner_id, d.closed_at, 'deals_won', 1
      from deals d join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
      where d.workspace_id = ${workspaceId} and s.is_won and d.closed_at is not null
      union all
      select d.owner_id, d.created_at, 'pipeline_created', d.amount
      from deals d where d.workspace_id = ${workspaceId}
      union all
      select c.owner_id, e.entered_at, 'sqls', 1
      from lifecycle_entries e
      join contacts c on c.workspace_id = e.workspace_id and c.id = e.record_id
      where e.workspace_id = ${workspaceId} and e.entity = 'contact' and e.stage = 'sql'
    ) f
    where owner_id is not null
    group by 1, 2, 3
  `.execute(db)
  const out = new Map<string, Map<string, Monthly>>()
  for (const row of rows.rows) {
    const months = out.get(row.ownerId) ?? new Map<string, Monthly>()
    out.set(row.ownerId, months)
    const month = months.get(row.month) ?? emptyMonth()
    months.set(row.month, month)
    month[row.metric] = Number(row.value)
  }
  return out
}

const weekday = (day: Period, zone: string) => DateTime.fromJSDate(day.start, { zone }).weekday <= 5

export async function plantTargets(db: Kysely<DB>, options: TargetsOptions) {
  const { workspaceId, rng, asOf } = options
  const calendar: FiscalCalendar = await db
    .selectFrom('workspaces')
    .select(['timeZone', 'fiscalYearStartMonth'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  const zone = calendar.timeZone
  const actuals = await monthlyActuals(db, workspaceId, zone)
  const now = DateTime.fromJSDate(asOf, { zone })
  const from = now.startOf('month').minus({ months: 12 }).toJSDate()
  const to = now.startOf('month').plus({ months: 3 }).toJSDate()
  const localDay = (at: Date) => DateTime.fromJSDate(at, { zone }).toISODate() ?? ''
  const rows: Row[] = []
  const add = (
    subjectKind: Row['subjectKind'],
    subjectId: string,
    metric: TargetMetric,
    period: Period,
    amount: number,
  ) => {
    rows.push({
      workspaceId,
      id: rng.uuidv7(asOf),
      subjectKind,
      subjectId,
      metric,
      periodKind: period.kind as TargetPeriodKind,
      periodKey: period.key,
      startsOn: localDay(period.start),
      endsOn: localDay(period.end),
      amount: Math.max(0, Math.round(amount)),
      createdBy: options.managerId,
      createdAt: asOf,
      updatedAt: asOf,
    })
  }

  const months = periodsBetween('month', from, to, calendar)
  const days = periodsBetween('day', from, to, calendar).filter((d) => weekday(d, zone))
  const weeks = periodsBetween('week', from, to, calendar)
  const quarters = periodsBetween('quarter', from, to, calendar)
  const monthKey = (at: Date) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM')
  const metrics: (keyof Monthly)[] = ['revenue', 'deals_won', 'pipeline_created', 'sqls']

  // A rep's quota for a month: their pace over the six months before it, stretched 10%, set
  // in round numbers the way managers set them.
  const repMonthly = new Map<string, Map<string, Monthly>>()
  const reps = [...new Set(Object.values(options.teams).flat())]
  for (const rep of reps) {
    const history = actuals.get(rep) ?? new Map<string, Monthly>()
    const targets = new Map<string, Monthly>()
    for (const month of months) {
      const before = [1, 2, 3, 4, 5, 6].map((back) =>
        monthKey(DateTime.fromJSDate(month.start, { zone }).minus({ months: back }).toJSDate()),
      )
      const target = emptyMonth()
      for (const metric of metrics) {
        const pace = before.reduce((sum, key) => sum + (history.get(key)?.[metric] ?? 0), 0) / 6
        const stretch = 1.05 + rng.int(0, 15) / 100
        const round = metric === 'revenue' || metric === 'pipeline_created' ? 100_000 : 1
        target[metric] = Math.max(round, Math.round((pace * stretch) / round) * round)
      }
      targets.set(month.key, target)
      for (const metric of metrics) add('rep', rep, metric, month, target[metric])
    }
    repMonthly.set(rep, targets)
    // Quarters add up their months; weeks and weekdays take their weekdays' share of a month.
    for (const quarter of quarters) {
      const inside = months.filter((m) => m.start >= quarter.start && m.end <= quarter.end)
      if (inside.length !== 3) continue
      add('rep', rep, 'revenue', quarter, sum(inside.map((m) => targets.get(m.key)?.revenue ?? 0)))
    }
    const perWeekday = (at: Date, metric: keyof Monthly) => {
      const month = months.find((m) => m.start <= at && at < m.end)
      if (!month) return 0
      const weekdays = days.filter((d) => d.start >= month.start && d.end <= month.end).length
      return (targets.get(month.key)?.[metric] ?? 0) / Math.max(1, weekdays)
    }
    for (const week of weeks) {
      if (week.start < from || week.end > to) continue
      const inWeek = days.filter((d) => d.start >= week.start && d.end <= week.end)
      add('rep', rep, 'revenue', week, sum(inWeek.map((d) => perWeekday(d.start, 'revenue'))))
      add('rep', rep, 'deals_won', week, sum(inWeek.map((d) => perWeekday(d.start, 'deals_won'))))
    }
    for (const day of days) add('rep', rep, 'revenue', day, perWeekday(day.start, 'revenue'))
  }

  // Teams and the company: the sum of their reps' quotas, for months and quarters.
  const sumOf = (ids: string[], month: Period, metric: keyof Monthly) =>
    sum(ids.map((id) => repMonthly.get(id)?.get(month.key)?.[metric] ?? 0))
  const subjects: [Row['subjectKind'], string, string[]][] = [
    ...(await teamIds(db, workspaceId, options.teams)),
    ['company', '', reps],
  ]
  for (const [kind, id, members] of subjects) {
    for (const metric of metrics) {
      for (const month of months) add(kind, id, metric, month, sumOf(members, month, metric))
      for (const quarter of quarters) {
        const inside = months.filter((m) => m.start >= quarter.start && m.end <= quarter.end)
        if (inside.length !== 3) continue
        add(kind, id, metric, quarter, sum(inside.map((m) => sumOf(members, m, metric))))
      }
    }
  }
  await insertInChunks(db, 'targets', rows)
  const submissions = forecastSubmissions(options, actuals, repMonthly, months, zone)
  await insertInChunks(db, 'forecastSubmissions', submissions)
  const plans = await plantPlans(db, options)
  return { targets: rows.length, forecastSubmissions: submissions.length, plans }
}

/**
 * The plan (the reverse waterfall) of this month, agreed by both sides, whose figures are the
 * company's targets; and next month's, proposed by sales from the measured rates with its revenue
 * target stretched 10%, which marketing has not agreed to yet.
 */
async function plantPlans(db: Kysely<DB>, options: TargetsOptions) {
  const { workspaceId, asOf } = options
  const calendar = await loadCalendar(db, workspaceId)
  const measured = await measureAssumptions(db, workspaceId, calendar, asOf)
  const averageDealSize = measured.averageDealSize.value
  const sqlToWonRate = measured.sqlToWonRate.value
  const mqlToSqlRate = measured.mqlToSqlRate.value
  if (!averageDealSize || !sqlToWonRate || !mqlToSqlRate) return 0
  const thisMonth = planPeriodAt('month', asOf, calendar)
  const nextMonth = planPeriodAt('month', thisMonth.end, calendar)
  const revenueOf = async (period: typeof thisMonth) =>
    (await selectCompanyRevenueTarget(db, workspaceId, 'month', period.key)) ?? 0
  const plans = [
    { period: thisMonth, revenue: await revenueOf(thisMonth), agreed: true },
    { period: nextMonth, revenue: Math.round((await revenueOf(nextMonth)) * 1.1), agreed: false },
  ]
  for (const { period, revenue, agreed } of plans) {
    if (revenue <= 0) continue
    const rates = { sqlToWonRate: roundRate(sqlToWonRate), mqlToSqlRate: roundRate(mqlToSqlRate) }
    const needed = reverseWaterfall({ revenueTarget: revenue, averageDealSize, ...rates })
    const at = DateTime.fromJSDate(period.start).minus({ days: 3 }).toJSDate()
    await db
      .insertInto('waterfallPlans')
      .values({
        workspaceId,
        id: options.rng.uuidv7(at),
        periodKind: 'month',
        periodKey: period.key,
        startsOn: period.startsOn,
        endsOn: period.endsOn,
        revenueTarget: revenue,
        averageDealSize,
        ...rates,
        wonNeeded: needed.wonDeals,
        sqlsNeeded: needed.sqls,
        mqlsNeeded: needed.mqls,
        salesAgreedBy: options.managerId,
        salesAgreedAt: at,
        marketingAgreedBy: agreed ? options.marketingId : null,
        marketingAgreedAt: agreed ? at : null,
        createdBy: options.managerId,
        createdAt: at,
        updatedAt: at,
      })
      .execute()
    if (agreed) {
      await upsertCompanyTargets(
        db,
        workspaceId,
        {
          periodKind: 'month',
          periodKey: period.key,
          startsOn: period.startsOn,
          endsOn: period.endsOn,
        },
        { revenue, deals_won: needed.wonDeals, sqls: needed.sqls, mqls: needed.mqls },
        options.managerId,
      )
    }
  }
  return plans.length
}

async function teamIds(db: Kysely<DB>, workspaceId: string, teams: Record<string, string[]>) {
  const rows = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  // A team without members (the demo's unstaffed partner desk) has no quota yet.
  return rows
    .filter((t) => (teams[t.name] ?? []).length > 0)
    .map((t) => ['team', t.id, teams[t.name] ?? []] as [Row['subjectKind'], string, string[]])
}

function sum(values: number[]) {
  return values.reduce((a, b) => a + b, 0)
}

/**
 * Each rep's submissions: one the day before each month (the one forecast accuracy counts), and
 * for about half the months an update in its middle. Commit is what they then won, times their
 * habit: the over-committer 1.35-1.7×, the sandbagger 0.6-0.8×, the others 0.85-1.1×. For the
 * months still open, their quota's share stands in for what they will win. The manager trims the
 * over-committer's last four submissions with a note.
 */
function forecastSubmissions(
  options: TargetsOptions,
  actuals: Map<string, Map<string, Monthly>>,
  targets: Map<string, Map<string, Monthly>>,
  months: Period[],
  zone: string,
): Insertable<DB['forecastSubmissions']>[] {
  const { workspaceId, rng, asOf } = options
  const out: Insertable<DB['forecastSubmissions']>[] = []
  const localDay = (at: DateTime) => at.toISODate() ?? ''
  const open = months.filter((m) => m.start.getTime() <= asOf.getTime())
  for (const [rep, repTargets] of targets) {
    const habit =
      rep === options.overCommitterId
        ? [135, 170]
        : rep === options.sandbaggerId
          ? [60, 80]
          : [85, 110]
    const mine: Insertable<DB['forecastSubmissions']>[] = []
    for (const month of open) {
      const start = DateTime.fromJSDate(month.start, { zone })
      const won =
        month.end.getTime() <= asOf.getTime()
          ? (actuals.get(rep)?.get(month.key)?.revenue ?? 0)
          : (repTargets.get(month.key)?.revenue ?? 0) * (rng.int(80, 105) / 100)
      const commit = Math.round((won * rng.int(habit[0] ?? 100, habit[1] ?? 100)) / 100 / 100) * 100
      const base = {
        workspaceId,
        repId: rep,
        periodKind: 'month' as const,
        periodKey: month.key,
        startsOn: localDay(start),
        endsOn: localDay(DateTime.fromJSDate(month.end, { zone })),
        submittedBy: rep,
      }
      const at = start.minus({ days: 1 }).set({ hour: 16 }).toJSDate()
      const first = {
        ...base,
        id: rng.uuidv7(at),
        kind: 'submission' as const,
        commitAmount: commit,
        bestCaseAmount: Math.round((commit * rng.int(125, 140)) / 100),
        pipelineAmount: Math.round((commit * rng.int(200, 250)) / 100),
        note: null,
        submittedAt: at,
      }
      mine.push(first)
      const middle = start.plus({ days: 14 }).set({ hour: 10 })
      if (rng.next() < 0.5 && middle.toMillis() < asOf.getTime()) {
        const updated = Math.round((commit + won) / 2)
        mine.push({
          ...first,
          id: rng.uuidv7(middle.toJSDate()),
          commitAmount: updated,
          bestCaseAmount: Math.round((updated * rng.int(115, 130)) / 100),
          pipelineAmount: Math.round((updated * rng.int(170, 220)) / 100),
          note: 'Mid-month update',
          submittedAt: middle.toJSDate(),
        })
      }
    }
    if (rep === options.overCommitterId) {
      const firsts = mine.filter((s) => s.note === null).slice(-4)
      for (const submission of firsts) {
        const at = new Date(new Date(submission.submittedAt as Date).getTime() + 3_600_000)
        mine.push({
          ...submission,
          id: rng.uuidv7(at),
          kind: 'adjustment',
          adjustsId: submission.id,
          commitAmount: Math.round(Number(submission.commitAmount) * 0.75),
          note: 'Trimmed: two of these deals have no signed order form yet; moved to best case',
          submittedBy: options.managerId,
          submittedAt: at,
        })
      }
    }
    out.push(...mine)
  }
  return out
}
