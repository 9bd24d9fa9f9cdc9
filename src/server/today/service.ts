/**
 * The Today page (issue 13; docs/forecast.md "Today"): one rep's day in one answer (tasks, open
 * handoffs with their SLA clocks, hot leads, deals closing this week, poor-fit warnings, progress
 * against today's, this week's and this month's targets), and a manager's view of a team with a
 * leaderboard by target attainment. Every query is bounded by the reps asked about and runs in
 * parallel.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { type FiscalCalendar, type PeriodKind, periodOf } from '../../domain/calendar.ts'
import { sumInBase } from '../../domain/money.ts'
import { can } from '../auth/permissions.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB, TargetMetric } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { loadRates } from '../exchange-rates/service.ts'
import { listHandoffs } from '../handoffs/service.ts'
import { loadScoringSettings } from '../scoring/settings.ts'
import { targetProgress, withProgress } from '../targets/progress.ts'
import {
  findManagedTeam,
  findMember,
  findTeam,
  isTeamManagerOf,
  selectDealsClosing,
  selectHandoffCounts,
  selectHotLeads,
  selectOpenTasks,
  selectPoorFitDeals,
  selectRepTargets,
  selectTaskCounts,
  selectTeamReps,
  type TaskCounts,
} from './queries.ts'

/** At most this many tasks, handoffs and hot leads are listed; the counts are complete. */
export const taskLimit = 50
export const handoffLimit = 50
export const hotLeadLimit = 10

export const targetMetrics = ['revenue', 'deals_won', 'mqls', 'sqls', 'pipeline_created'] as const

export const TodayQuery = z.object({
  userId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "The rep whose Today to show; default the signed-in person. Another rep's needs today:team or managing a team they are in.",
    ),
})
export type TodayQuery = z.infer<typeof TodayQuery>

export const TeamTodayQuery = z.object({
  teamId: z
    .uuid()
    .optional()
    .describe('Default: the first team (by name) the signed-in person manages'),
  period: z
    .enum(['day', 'week', 'month', 'quarter'])
    .default('month')
    .describe("The leaderboard's period: the current one of this kind"),
  metric: z.enum(targetMetrics).default('revenue').describe("The leaderboard's target metric"),
})
export type TeamTodayQuery = z.infer<typeof TeamTodayQuery>

interface Clock {
  calendar: FiscalCalendar
  now: Date
  today: string
  todayStart: Date
  todayEnd: Date
  week: { key: string; startsOn: string; endsOn: string }
}

async function loadClock(db: Kysely<DB>, workspaceId: string, now = new Date()): Promise<Clock> {
  const workspace = await db
    .selectFrom('workspaces')
    .select(['timeZone', 'fiscalYearStartMonth'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  const calendar = {
    timeZone: workspace.timeZone,
    fiscalYearStartMonth: workspace.fiscalYearStartMonth,
  }
  const day = periodOf('day', now, calendar)
  const week = periodOf('week', now, calendar)
  return {
    calendar,
    now,
    today: day.key,
    todayStart: day.start,
    todayEnd: day.end,
    week: {
      key: week.key,
      startsOn: localDate(week.start, calendar.timeZone),
      endsOn: localDate(week.end, calendar.timeZone),
    },
  }
}

function localDate(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate() as string
}

function personName(c: {
  firstName: string | null
  lastName: string | null
  email: string | null
}) {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || 'Unnamed'
}

const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null)

function isManagerRole(actor: { role: Parameters<typeof can>[0] }) {
  return can(actor.role, 'today:team')
}

/**
 * Whose Today the principal may read: their own; anyone's with today:team; a member of a team they
 * manage. 403 before 404 for a plain rep, so nobody learns who else is a member.
 */
async function resolveRep(db: Kysely<DB>, principal: Principal, userId: string | undefined) {
  const actor = requirePermission(principal, 'records:read')
  const self = principal.kind === 'user' ? principal.userId : null
  const repId = userId ?? self
  if (repId === null) {
    throw new AppError('invalid_input', 'userId: an API key has no Today of its own; name a user', {
      field: 'userId',
    })
  }
  if (repId !== self && !isManagerRole(actor)) {
    const manages = self !== null && (await isTeamManagerOf(db, actor.workspaceId, self, repId))
    if (!manages) {
      throw new AppError(
        'forbidden',
        `userId: only sales managers, admins and the rep's team manager may see another rep's Today`,
        { field: 'userId' },
      )
    }
  }
  const rep = await findMember(db, actor.workspaceId, repId)
  if (!rep) throw new AppError('not_found', 'userId: no such member of this workspace')
  return { actor, rep }
}

function presentTaskCounts(counts: TaskCounts | undefined) {
  return {
    overdue: counts?.overdue ?? 0,
    dueLaterToday: counts?.dueLaterToday ?? 0,
    progress: { done: counts?.todayDone ?? 0, total: counts?.todayTotal ?? 0 },
  }
}

function presentTarget(t: {
  id: string
  metric: TargetMetric
  periodKind: string
  periodKey: string
  startsOn: string
  endsOn: string
  amount: number
  actual: number | null
  attainment: number | null
}) {
  return {
    id: t.id,
    metric: t.metric,
    periodKind: t.periodKind as PeriodKind,
    periodKey: t.periodKey,
    startsOn: t.startsOn,
    endsOn: t.endsOn,
    amount: Number(t.amount),
    actual: t.actual,
    attainment: t.attainment,
  }
}

const periodOrder: Record<string, number> = { day: 0, week: 1, month: 2, quarter: 3 }

/** GET /api/v1/today: one rep's day. */
export async function getToday(db: Kysely<DB>, principal: Principal, query: TodayQuery) {
  const { rep, actor } = await resolveRep(db, principal, query.userId)
  const { workspaceId } = actor
  const clock = await loadClock(db, workspaceId)
  const reps = [rep.id]
  const [tasks, counts, handoffs, leads, closing, poorFit, rates, targets] = await Promise.all([
    selectOpenTasks(db, workspaceId, rep.id, clock.todayEnd, taskLimit),
    selectTaskCounts(db, workspaceId, reps, clock),
    listHandoffs(db, principal, {
      status: 'open',
      ownerId: rep.id,
      sort: 'due',
      limit: handoffLimit,
    }),
    selectHotLeads(db, workspaceId, rep.id, hotLeadLimit),
    selectDealsClosing(db, workspaceId, reps, clock.week.startsOn, clock.week.endsOn),
    loadScoringSettings(db, workspaceId).then(async (s) => ({
      threshold: s.productFitThreshold,
      deals: await selectPoorFitDeals(db, workspaceId, reps, s.productFitThreshold),
    })),
    loadRates(db, workspaceId),
    targetProgress(db, workspaceId, {
      subjectKind: 'rep',
      subjectId: rep.id,
      periodKinds: ['day', 'week', 'month'],
      on: clock.today,
    }),
  ])
  const taskCounts = presentTaskCounts(counts[0])
  const closingTotal = sumInBase(
    closing.map((d) => ({ amount: Number(d.amount), currency: d.currency })),
    rates.baseCurrency,
    rates.rates,
  )
  const handoffItems = handoffs.data
  return {
    rep: { id: rep.id, name: rep.name, role: rep.role },
    today: clock.today,
    timeZone: clock.calendar.timeZone,
    now: clock.now.toISOString(),
    week: clock.week,
    tasks: {
      ...taskCounts,
      items: tasks.map((t) => ({
        id: t.id,
        subject: t.subject,
        dueAt: (t.dueAt as Date).toISOString(),
        isOverdue: (t.dueAt as Date).getTime() < clock.now.getTime(),
        contact: t.contactId ? { id: t.contactId, name: personName(t) } : null,
        account: ref(t.accountId, t.accountName),
        deal: ref(t.dealId, t.dealName),
      })),
    },
    handoffs: {
      open: handoffItems.length,
      breached: handoffItems.filter(
        (h) => h.sla.firstTouch === 'missed' || h.sla.decision === 'missed',
      ).length,
      items: handoffItems,
    },
    hotLeads: leads.map((c) => ({
      id: c.id,
      name: personName(c),
      email: c.email,
      title: c.title,
      lifecycleStage: c.lifecycleStage,
      leadStatus: c.leadStatus,
      account: ref(c.accountId, c.accountName),
      fit: c.fit,
      engagement: c.engagement,
    })),
    closingThisWeek: {
      baseCurrency: rates.baseCurrency,
      totalInBase: closingTotal.amountInBase,
      items: closing.map((d) => ({
        id: d.id,
        name: d.name,
        amount: Number(d.amount),
        currency: d.currency,
        closeDate: d.closeDate as string,
        forecastCategory: d.forecastCategory,
        stage: { id: d.stageId, name: d.stageName },
        account: ref(d.accountId, d.accountName),
      })),
    },
    poorFit: {
      threshold: poorFit.threshold,
      items: poorFit.deals.map((d) => ({
        id: d.id,
        name: d.name,
        amount: Number(d.amount),
        currency: d.currency,
        closeDate: d.closeDate,
        productFit: d.productFit as number,
        reasons: d.fitDetails.flatMap((line) =>
          line.reasons.map((reason) => `${line.productName}: ${reason}`),
        ),
        stage: { id: d.stageId, name: d.stageName, isProposalOrLater: d.isProposalOrLater },
        account: ref(d.accountId, d.accountName),
      })),
    },
    targets: targets
      .map(presentTarget)
      .sort(
        (a, b) =>
          (periodOrder[a.periodKind] ?? 0) - (periodOrder[b.periodKind] ?? 0) ||
          a.metric.localeCompare(b.metric),
      ),
  }
}

export type TodayView = Awaited<ReturnType<typeof getToday>>

/** Who may see a team: today:team, or its manager. */
async function resolveTeam(db: Kysely<DB>, principal: Principal, teamId: string | undefined) {
  const actor = requirePermission(principal, 'records:read')
  const self = principal.kind === 'user' ? principal.userId : null
  let id = teamId
  if (id === undefined) {
    const managed = self === null ? undefined : await findManagedTeam(db, actor.workspaceId, self)
    if (!managed) {
      throw new AppError('invalid_input', 'teamId: required (you manage no team)', {
        field: 'teamId',
      })
    }
    id = managed.id
  }
  const team = await findTeam(db, actor.workspaceId, id)
  if (!team) throw new AppError('not_found', 'teamId: no such team')
  if (!isManagerRole(actor) && (self === null || team.managerId !== self)) {
    throw new AppError(
      'forbidden',
      "teamId: only sales managers, admins and the team's manager may see a team's Today",
      { field: 'teamId' },
    )
  }
  return { actor, team }
}

/** GET /api/v1/today/team: each rep's day in numbers, and the leaderboard. */
export async function getTeamToday(db: Kysely<DB>, principal: Principal, query: TeamTodayQuery) {
  const { actor, team } = await resolveTeam(db, principal, query.teamId)
  const { workspaceId } = actor
  const [clock, reps] = await Promise.all([
    loadClock(db, workspaceId),
    selectTeamReps(db, workspaceId, team.id),
  ])
  const ids = reps.map((r) => r.id)
  const period = periodOf(query.period, clock.now, clock.calendar)
  const emptyTargets = Promise.resolve([])
  const [tasks, handoffs, closing, poorFit, monthTargets, boardTargets] = await Promise.all([
    selectTaskCounts(db, workspaceId, ids, clock),
    selectHandoffCounts(db, workspaceId, ids, clock.now),
    selectDealsClosing(db, workspaceId, ids, clock.week.startsOn, clock.week.endsOn),
    loadScoringSettings(db, workspaceId).then((s) =>
      selectPoorFitDeals(db, workspaceId, ids, s.productFitThreshold),
    ),
    ids.length === 0
      ? emptyTargets
      : selectRepTargets(db, workspaceId, ids, { periodKinds: ['month'], on: clock.today }).then(
          (rows) => withProgress(db, workspaceId, clock.calendar.timeZone, rows),
        ),
    ids.length === 0
      ? emptyTargets
      : selectRepTargets(db, workspaceId, ids, {
          periodKinds: [query.period],
          on: clock.today,
          metric: query.metric,
        }).then((rows) => withProgress(db, workspaceId, clock.calendar.timeZone, rows)),
  ])
  const countOf = <T extends { ownerId: string | null }>(rows: readonly T[], id: string) =>
    rows.filter((r) => r.ownerId === id)
  const rows = reps.map((rep) => {
    const handoff = handoffs.find((h) => h.ownerId === rep.id)
    const month = monthTargets.filter((t) => t.subjectId === rep.id).map(presentTarget)
    const closingDeals = countOf(closing, rep.id)
    return {
      rep: { id: rep.id, name: rep.name },
      tasks: presentTaskCounts(tasks.find((t) => t.ownerId === rep.id)),
      openHandoffs: handoff?.open ?? 0,
      breachedHandoffs: handoff?.breached ?? 0,
      closingThisWeek: closingDeals.length,
      poorFitDeals: countOf(poorFit, rep.id).length,
      monthTargets: month,
    }
  })
  const leaderboard = reps
    .map((rep) => {
      const target = boardTargets.find((t) => t.subjectId === rep.id)
      return {
        rep: { id: rep.id, name: rep.name },
        amount: target ? Number(target.amount) : null,
        actual: target ? target.actual : null,
        attainment: target ? target.attainment : null,
      }
    })
    .sort(
      (a, b) =>
        (b.attainment ?? -1) - (a.attainment ?? -1) ||
        (b.actual ?? -1) - (a.actual ?? -1) ||
        a.rep.name.localeCompare(b.rep.name),
    )
    .map((row, index) => ({ rank: row.attainment === null ? null : index + 1, ...row }))
  return {
    team: {
      id: team.id,
      name: team.name,
      manager: ref(team.managerId, team.managerName),
    },
    today: clock.today,
    timeZone: clock.calendar.timeZone,
    week: clock.week,
    reps: rows,
    leaderboard: {
      metric: query.metric,
      period: {
        kind: query.period,
        key: period.key,
        startsOn: localDate(period.start, clock.calendar.timeZone),
        endsOn: localDate(period.end, clock.calendar.timeZone),
      },
      rows: leaderboard,
    },
  }
}
