import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { getLeaderView, LeaderQuery } from './service.ts'

const Rate = z.number().nullable()
const RevenuePoint = z.object({
  period: z.string().describe('YYYY-MM'),
  won: z.number().int().nullable().describe('Revenue won, base currency minor units'),
  target: z.number().int().nullable(),
  targetSource: z
    .enum(['month', 'quarter'])
    .nullable()
    .describe("month: the month's own target; quarter: its day share of the quarter's"),
  attainment: Rate,
  link: z.string(),
})
const CoveragePoint = z.object({
  period: z.string(),
  openPipeline: z.number().int().nullable(),
  openDeals: z.number().int(),
  target: z.number().int().nullable(),
  achieved: z.number().int(),
  remaining: z.number().int().nullable(),
  value: z
    .union([z.number(), z.literal('met')])
    .nullable()
    .describe('open pipeline ÷ remaining target; met when nothing remains; null without target'),
})

const LeaderView = z
  .object({
    asOf: z.string(),
    timeZone: z.string(),
    baseCurrency: z.string(),
    months: z.array(z.string()),
    revenue: z.object({
      value: RevenuePoint.optional(),
      series: z.array(RevenuePoint),
      quarters: z.array(
        z.object({
          period: z.string(),
          startsOn: z.string(),
          endsOn: z.string(),
          won: z.number().int().nullable(),
          target: z.number().int(),
          attainment: Rate,
        }),
      ),
      missingRates: z.array(z.string()),
      link: z.string(),
    }),
    coverage: z.object({
      value: CoveragePoint.optional(),
      series: z.array(CoveragePoint).describe('The current and the next month'),
      link: z.string(),
    }),
    alignment: z.object({
      value: Rate,
      period: z.string(),
      series: z.array(z.object({ period: z.string(), value: Rate })),
      link: z.string(),
    }),
    regret: z.object({
      value: Rate,
      from: z.string(),
      to: z.string(),
      won: z.number().int(),
      regretted: z.number().int(),
      series: z.array(
        z.object({
          period: z.string(),
          value: Rate,
          won: z.number().int(),
          regretted: z.number().int(),
        }),
      ),
      link: z.string(),
    }),
    winRate: z.object({
      value: Rate,
      from: z.string(),
      to: z.string(),
      won: z.number().int(),
      lost: z.number().int(),
      walkedAway: z.number().int(),
      series: z.array(
        z.object({
          period: z.string(),
          value: Rate,
          won: z.number().int(),
          lost: z.number().int(),
          walked: z.number().int(),
        }),
      ),
      link: z.string(),
    }),
    insights: z.object({
      note: z.string(),
      from: z.string(),
      to: z.string(),
      lossReasons: z.array(
        z.object({
          reason: z.string().nullable(),
          count: z.number().int(),
          share: Rate,
          goodOutcome: z.boolean(),
          link: z.string().nullable(),
        }),
      ),
      objections: z.array(
        z.object({
          tagId: z.string(),
          name: z.string(),
          count: z.number().int(),
          link: z.string(),
        }),
      ),
      series: z.array(
        z.object({ period: z.string(), losses: z.number().int(), rejected: z.number().int() }),
      ),
      link: z.string(),
    }),
  })
  .meta({ id: 'LeaderView' })

export function leaderRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/leader',
      {
        schema: {
          tags: ['Reports'],
          summary: 'The leader view: revenue vs target, coverage, alignment, regret, win rate',
          description:
            'Needs leader:read (the admin role, and anyone given it). For the last `months` months (the current one last): revenue won vs the company revenue target (a month without its own target takes its day share of a quarter target), pipeline coverage of the current and next months, the alignment index, the regret rate of mature won deals, the win rate (won ÷ (won + lost), poor_fit_walked_away not a loss), and the top loss reasons and objections of the last 90 days (insights are not records yet). Each part links to the page behind it.',
          querystring: LeaderQuery,
          response: { 200: envelope(LeaderView), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getLeaderView(ctx.db, request.principal, request.query),
      }),
    )
  }
}
