import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { IsoDate } from '../records/fields.ts'
import { getRegretReport, regretGroupings } from './regret.ts'

const RegretRow = z
  .object({
    group: z
      .object({
        key: z.string().describe("The group's id; 'none' for deals without one"),
        label: z.string(),
      })
      .nullable()
      .describe('null: every deal (the overall row)'),
    won: z.number().int().describe('Mature won deals closed in the range'),
    regretted: z
      .number()
      .int()
      .describe('Of those, the ones churned, refunded, downgraded or won poor fit (each once)'),
    rate: z.number().nullable().describe('regretted ÷ won; null when won is 0'),
    churned: z
      .number()
      .int()
      .describe("Churned within 180 days of closing (the deal's or its account's date)"),
    refunded: z.number().int().describe('Refunded within 180 days of closing'),
    downgraded: z.number().int().describe('Downgraded within 180 days of closing'),
    poorFit: z.number().int().describe('Won with a fit below the current product-fit threshold'),
    link: z.string().describe('Drill-down to the deals counted in won'),
    regrettedLink: z.string().describe('Drill-down to the deals counted in regretted'),
  })
  .meta({ id: 'RegretRow' })

const RegretReport = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    asOf: z.string(),
    matureBefore: z
      .string()
      .describe(
        'The last mature closing day (today − 180 days): deals closed on or before it count',
      ),
    clamped: z.boolean().describe('The asked `to` was after matureBefore and was moved back to it'),
    windowDays: z
      .number()
      .int()
      .describe('Days after closing that a churn, refund or downgrade counts'),
    productFitThreshold: z.number().int().describe('Won fit below this is a poor-fit win'),
    groupBy: z.enum(regretGroupings).nullable(),
    overall: RegretRow,
    rows: z
      .array(RegretRow)
      .describe('Per group (by won deals, none last); [overall] when not grouped'),
  })
  .meta({ id: 'RegretReport' })

const RegretQuery = z.object({
  from: IsoDate.optional().describe(
    'First closing day (workspace time zone); default the first of the month 11 months before `to`',
  ),
  to: IsoDate.optional().describe(
    'Last closing day, inclusive; default and at most today − 180 days (a later one is clamped: only mature deals count)',
  ),
  groupBy: z
    .enum(regretGroupings, { error: () => `must be one of ${regretGroupings.join(', ')}` })
    .optional()
    .describe(
      "rep (the deal's owner), team (the owner's teams), campaign (source campaign) or product (each product of the deal's lines); omitted: one row",
    ),
})

export function regretRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/regret',
      {
        schema: {
          tags: ['Reports'],
          summary: 'Regret rate: won deals that churned, were refunded, downgraded or fit poorly',
          description:
            'Among won deals closed in [from, to] at least 180 days ago (mature), the share that churned, were refunded or downgraded within 180 days of closing (the deal’s or its account’s date), or were won while flagged poor fit (won fit < the current product-fit threshold). Per rep, team, campaign or product; every number links to its deals.',
          querystring: RegretQuery,
          response: { 200: envelope(RegretReport), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getRegretReport(ctx.db, request.principal, request.query),
      }),
    )
  }
}
