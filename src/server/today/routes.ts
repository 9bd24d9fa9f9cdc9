import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { Handoff } from '../handoffs/routes.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { getTeamToday, getToday, TeamTodayQuery, TodayQuery, targetMetrics } from './service.ts'

const Ref = z.object({ id: z.string(), name: z.string() })
const PeriodKind = z.enum(['day', 'week', 'month', 'quarter'])

const TargetProgress = z
  .object({
    id: z.string(),
    metric: z.enum(targetMetrics),
    periodKind: PeriodKind,
    periodKey: z.string(),
    startsOn: z.string(),
    endsOn: z.string().describe('The day after the period'),
    amount: z.number().describe('The target: minor units of the base currency for money metrics'),
    actual: z.number().nullable().describe('null when an exchange rate is missing'),
    attainment: z.number().nullable().describe('actual ÷ amount; null when the amount is 0'),
  })
  .meta({ id: 'TodayTargetProgress' })

const TaskCounts = z.object({
  overdue: z.number().int().describe('Open tasks due before now'),
  dueLaterToday: z.number().int().describe('Open tasks due from now to the end of today'),
  progress: z
    .object({ done: z.number().int(), total: z.number().int() })
    .describe("Today's tasks (due today in the workspace time zone): done of all"),
})

const Week = z.object({
  key: z.string(),
  startsOn: z.string(),
  endsOn: z.string().describe('The Monday after the week'),
})

const Today = z
  .object({
    rep: z.object({ id: z.string(), name: z.string(), role: z.string() }),
    today: z.string().describe("The rep's local date (workspace time zone)"),
    timeZone: z.string(),
    now: z.string(),
    week: Week,
    tasks: TaskCounts.extend({
      items: z
        .array(
          z.object({
            id: z.string(),
            subject: z.string(),
            dueAt: z.string(),
            isOverdue: z.boolean(),
            contact: Ref.nullable(),
            account: Ref.nullable(),
            deal: Ref.nullable(),
          }),
        )
        .describe(
          'Open tasks due up to the end of today, the earliest (most overdue) first; at most 50',
        ),
    }),
    handoffs: z.object({
      open: z.number().int(),
      breached: z
        .number()
        .int()
        .describe('Open handoffs with a missed first-touch or decision clock'),
      items: z.array(Handoff).describe('Open handoffs owned by the rep, the most urgent first'),
    }),
    hotLeads: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          email: z.string().nullable(),
          title: z.string().nullable(),
          lifecycleStage: z.string().nullable(),
          leadStatus: z.string().nullable(),
          account: Ref.nullable(),
          fit: z.number().int(),
          engagement: z.number().int(),
        }),
      )
      .describe(
        "The rep's contacts not yet customers (nor disqualified) with the highest engagement score, then fit; at most 10",
      ),
    closingThisWeek: z.object({
      baseCurrency: z.string(),
      totalInBase: z.number().nullable().describe('null when an exchange rate is missing'),
      items: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          amount: z.number(),
          currency: z.string(),
          closeDate: z.string(),
          forecastCategory: z.string(),
          stage: Ref,
          account: Ref.nullable(),
        }),
      ),
    }),
    poorFit: z.object({
      threshold: z.number().int(),
      items: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          amount: z.number(),
          currency: z.string(),
          closeDate: z.string().nullable(),
          productFit: z.number().int(),
          reasons: z.array(z.string()),
          stage: Ref.extend({ isProposalOrLater: z.boolean() }),
          account: Ref.nullable(),
        }),
      ),
    }),
    targets: z
      .array(TargetProgress)
      .describe("The rep's targets of today, this week and this month, every metric"),
  })
  .meta({ id: 'Today' })

const TeamToday = z
  .object({
    team: z.object({ id: z.string(), name: z.string(), manager: Ref.nullable() }),
    today: z.string(),
    timeZone: z.string(),
    week: Week,
    reps: z.array(
      z.object({
        rep: Ref,
        tasks: TaskCounts,
        openHandoffs: z.number().int(),
        breachedHandoffs: z.number().int(),
        closingThisWeek: z.number().int().describe('Open deals with a close date this week'),
        poorFitDeals: z.number().int(),
        monthTargets: z.array(TargetProgress),
      }),
    ),
    leaderboard: z.object({
      metric: z.enum(targetMetrics),
      period: Week.extend({ kind: PeriodKind }),
      rows: z.array(
        z.object({
          rank: z.number().int().nullable().describe('null without a target for the period'),
          rep: Ref,
          amount: z.number().nullable(),
          actual: z.number().nullable(),
          attainment: z.number().nullable(),
        }),
      ),
    }),
  })
  .meta({ id: 'TeamToday' })

export function todayRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/today',
      {
        schema: {
          tags: ['Today'],
          summary: "A rep's day: tasks, handoffs, hot leads, deals closing, poor fit, targets",
          description:
            "The Today page (Microscope) in one answer. Days and weeks are the workspace time zone's (ISO weeks). Another rep's Today needs the today:team permission (sales managers, admins) or managing a team the rep is in.",
          querystring: TodayQuery,
          response: { 200: envelope(Today), ...errorResponses },
        },
      },
      async (request) => ({ data: await getToday(ctx.db, request.principal, request.query) }),
    )
    app.get(
      '/today/team',
      {
        schema: {
          tags: ['Today'],
          summary: "A team's day per rep, and its leaderboard by target attainment",
          description:
            "For sales managers and admins (any team) and a team's manager (their team): per rep the counts of the Today page and this month's target attainment, and the reps ranked by attainment of one metric's target in the current period (default: revenue, month). Reps without a target rank last.",
          querystring: TeamTodayQuery,
          response: { 200: envelope(TeamToday), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getTeamToday(ctx.db, request.principal, request.query),
      }),
    )
  }
}
