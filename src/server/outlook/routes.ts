import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requirePermission } from '../auth/principal.ts'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { getOutlook, maxHorizon } from './service.ts'

const Money = 'base-currency minor units for money series, a count otherwise'

const OutlookPoint = z
  .object({
    month: z.string().describe('YYYY-MM, a month of the workspace calendar'),
    value: z.number().describe(`The point forecast (${Money})`),
    lower80: z.number(),
    upper80: z.number().describe('The 80% prediction interval'),
    lower95: z.number(),
    upper95: z.number().describe('The 95% prediction interval'),
  })
  .meta({ id: 'OutlookPoint' })

const OutlookSeries = z
  .object({
    metric: z.enum(['leads', 'mqls', 'pipeline_created', 'revenue']),
    label: z.string(),
    unit: z.enum(['count', 'money']),
    model: z
      .string()
      .nullable()
      .describe('The ETS model chosen, e.g. ETS(M,Ad,M) (error, trend, season); null: too short'),
    season: z.number().int().describe('The season used, in months (1: no seasonality)'),
    notes: z.array(z.string()).describe('Fallbacks taken, in words'),
    backtest: z
      .object({
        holdout: z.number().int().describe('Months held out at the end of the history'),
        mape: z.number().nullable().describe('Mean absolute percentage error on them, in %'),
        rmse: z.number().describe('Root mean squared error on them'),
      })
      .nullable()
      .describe('null when the history is under 18 months'),
    history: z
      .array(z.object({ month: z.string(), value: z.number() }))
      .describe('Complete months, from the first with activity'),
    forecast: z.array(OutlookPoint).describe('From the current month on'),
    targets: z
      .array(z.object({ month: z.string(), amount: z.number() }))
      .describe("The company's monthly targets of the metric (none for leads)"),
  })
  .meta({ id: 'OutlookSeries' })

const Outlook = z
  .object({
    asOf: z.string().describe('The local day it was computed for'),
    computedAt: z.string(),
    currency: z.string().describe('The base currency of money series'),
    lastCompleteMonth: z.string(),
    horizon: z.number().int(),
    series: z.array(OutlookSeries),
  })
  .meta({ id: 'Outlook' })

const OutlookQuery = z.object({
  horizon: z.coerce
    .number()
    .int()
    .min(12)
    .max(maxHorizon)
    .default(maxHorizon)
    .describe('Months ahead, 12-24'),
  refresh: z
    .enum(['true', 'false'])
    .default('false')
    .describe('`true` computes it again now instead of reading the day’s stored outlook'),
})

export function outlookRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/telescope/outlook',
      {
        schema: {
          tags: ['Telescope'],
          summary: 'The two-year outlook: monthly leads, MQLs, pipeline and revenue forecast',
          description:
            'Exponential smoothing with trend and seasonality (ETS, chosen by AICc), 80% and 95% prediction intervals, the backtest error on the last 12 months held out (6 when the history is shorter than three years), and the company’s monthly targets. Computed for the workspace once a local day (or on refresh) and kept. docs/long-range-forecast.md.',
          querystring: OutlookQuery,
          response: { 200: envelope(Outlook), ...errorResponses },
        },
      },
      async (request) => {
        const { workspaceId } = requirePermission(request.principal, 'records:read')
        return {
          data: await getOutlook(ctx.db, workspaceId, {
            horizon: request.query.horizon,
            refresh: request.query.refresh === 'true',
          }),
        }
      },
    )
  }
}
