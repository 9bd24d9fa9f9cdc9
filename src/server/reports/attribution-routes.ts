import { stringify } from 'csv-stringify/sync'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { attributionModels, conversionKinds } from '../../domain/attribution/types.ts'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, Id } from '../http/schemas.ts'
import { attributionGroupings, getAttributionReport } from './attribution.ts'
import { getAttributionJourney, listAttributionCredits } from './attribution-credits.ts'
import { BridgeRangeQuery } from './bridge-common.ts'

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: () => `must be one of ${values.join(', ')}` }).describe(what)

const Model = oneOf(
  attributionModels,
  'Attribution model (DEFINITIONS); default: the workspace default',
)
const Conversion = oneOf(conversionKinds, 'Conversion kind; default won')

const Money = z.number().int().describe('Minor units of the base currency')
const Pair = z.tuple([z.number(), z.number()])

const AttributionRow = z
  .object({
    key: z
      .string()
      .describe("Channel, campaign id ('none': touches without a campaign) or YYYY-MM"),
    label: z.string(),
    channel: z.string().optional(),
    campaign: z.string().nullable().optional(),
    month: z.string().optional(),
    conversions: z.number().describe('Credited conversions of `conversion` under `model`'),
    pipeline: Money.describe('opportunity_created value credited under `model`'),
    revenue: Money.describe('won value credited under `model`'),
    cost: Money.describe('Campaign costs incurred in the range'),
    roi: z
      .number()
      .nullable()
      .describe('(revenue − cost) ÷ cost under `model`; null when cost is 0'),
    costPerMql: Money.nullable(),
    costPerSql: Money.nullable(),
    costPerWon: Money.nullable(),
    sourced: z
      .object({ pipeline: Money, revenue: Money, deals: z.number().int() })
      .describe("Deals whose first touch (or lead-creation touch, per settings) is the group's"),
    influenced: z
      .object({ pipeline: Money, revenue: Money, deals: z.number().int() })
      .describe('Deals with any touch of the group before their creation, counted in full'),
    link: z.string().describe('Web drill-down to the deals or contacts credited'),
  })
  .meta({ id: 'AttributionRow' })

const Amounts = z.object({ conversions: z.number(), revenue: Money })

export const AttributionReport = z
  .object({
    from: z.string(),
    to: z.string(),
    model: z.enum(attributionModels),
    defaultModel: z.enum(attributionModels),
    conversion: z.enum(conversionKinds),
    groupBy: z.enum(attributionGroupings),
    baseCurrency: z.string(),
    missingRates: z.array(z.string()).describe('Cost currencies without a rate (not counted)'),
    computedAt: z.string().nullable().describe('When the credits were computed; null: never'),
    rows: z.array(AttributionRow),
    totals: z.object({
      conversions: z.number(),
      pipeline: Money,
      revenue: Money,
      cost: Money,
      roi: z.number().nullable(),
    }),
    noTouch: Amounts.describe('Conversions with no touch in the lookback window'),
    noTouchLink: z.string(),
    pending: Amounts.describe("Open deals' CW share (full_path only)"),
    comparison: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        models: z.array(
          z.object({
            model: z.enum(attributionModels),
            conversions: z.number(),
            pipeline: Money,
            revenue: Money,
          }),
        ),
        spread: z
          .object({ conversions: Pair, pipeline: Pair, revenue: Pair })
          .describe('[min, max] over the models: the uncertainty of the number'),
      }),
    ),
    trends: z.object({
      channels: z.array(z.string()),
      months: z.array(
        z.object({
          month: z.string(),
          conversions: z.record(z.string(), z.number()),
          pipeline: z.record(z.string(), z.number()),
          revenue: z.record(z.string(), z.number()),
        }),
      ),
    }),
  })
  .meta({ id: 'AttributionReport' })

const ReportQuery = BridgeRangeQuery.extend({
  model: Model.optional(),
  conversion: Conversion.optional(),
  groupBy: oneOf(
    attributionGroupings,
    'Rows per channel, campaign or month; default campaign',
  ).optional(),
})

const CreditsQuery = BridgeRangeQuery.extend({
  model: Model.optional(),
  conversion: Conversion.optional(),
  campaign: z.string().optional().describe("A campaign id, or 'none'"),
  channel: z.string().max(100).optional(),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
    .optional(),
  kind: z.enum(['touch', 'pending', 'no_touch']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
})

const CreditedSubject = z
  .object({
    subjectType: z.enum(['deal', 'contact']),
    id: z.string(),
    name: z.string(),
    convertedAt: z.string(),
    credit: z.number().describe("The group's share of the conversion (0-1)"),
    revenue: Money.describe('Value credited to the group'),
    amount: Money.describe("The conversion's whole value"),
    touches: z
      .number()
      .int()
      .nullable()
      .describe("The group's credited touches; null under a model without per-touch credits"),
    link: z.string(),
  })
  .meta({ id: 'AttributionCreditedSubject' })

const Journey = z
  .object({
    subjectType: z.enum(['deal', 'contact']),
    id: z.string(),
    name: z.string(),
    conversion: z.enum(conversionKinds),
    convertedAt: z.string(),
    model: z.string().nullable(),
    perTouch: z
      .boolean()
      .describe(
        'Whether touches carry their credit (only under the model whose credits are stored)',
      ),
    lookbackDays: z.number().int().describe('The window: touches this many days before at most'),
    kind: z.enum(['touch', 'pending', 'no_touch']),
    touches: z
      .array(
        z.object({
          touchpointId: z.string(),
          at: z.string(),
          channel: z.string(),
          campaign: z.object({ id: z.string(), name: z.string() }).nullable(),
          credit: z
            .number()
            .nullable()
            .describe('0 when the model passes over the touch; null when perTouch is false'),
          revenue: Money.nullable(),
        }),
      )
      .describe('Every creditable touch in the window up to the conversion, in time order'),
    shares: z
      .array(
        z.object({
          channel: z.string(),
          campaign: z.object({ id: z.string(), name: z.string() }).nullable(),
          credit: z.number(),
          revenue: Money,
        }),
      )
      .nullable()
      .describe("The model's credit per channel and campaign when perTouch is false"),
    pending: z.number().describe("An open deal's share still pending (full path)"),
  })
  .meta({ id: 'AttributionJourney' })

const csvColumns = [
  'key',
  'label',
  'conversions',
  'pipeline',
  'revenue',
  'cost',
  'roi',
  'costPerMql',
  'costPerSql',
  'costPerWon',
  'sourcedPipeline',
  'sourcedRevenue',
  'sourcedDeals',
  'influencedPipeline',
  'influencedRevenue',
  'influencedDeals',
] as const

const tags = ['Reports']

/** Attribution and ROI (issue 12): the report, its CSV, its drill-down and a conversion's journey. */
export function attributionReportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/attribution',
      {
        schema: {
          tags,
          summary: 'Attribution and ROI per channel, campaign or month, under every model',
          description:
            'From the stored rollups (whole months by conversion month, UTC): credited conversions, pipeline and revenue under `model`, cost and ROI, sourced and influenced pipeline, every model side by side with the spread, channel trends. docs/attribution-reports.md.',
          querystring: ReportQuery,
          response: { 200: envelope(AttributionReport), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getAttributionReport(ctx.db, request.principal, request.query),
      }),
    )
    app.get(
      '/reports/attribution/export',
      {
        config: { workspaceFromQuery: true },
        schema: {
          tags,
          summary: 'The attribution report as CSV',
          description: `Columns: ${csvColumns.join(', ')}; money in minor units of the base currency. A signed-in browser may name the workspace in \`workspaceId\`.`,
          querystring: ReportQuery.extend({
            workspaceId: Id.optional().describe('cookie sessions only: like X-Workspace-Id'),
          }),
          produces: ['text/csv'],
          response: {
            200: z.unknown().meta({ type: 'string', description: 'CSV' }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const report = await getAttributionReport(ctx.db, request.principal, request.query)
        const body = stringify(
          report.rows.map((row) => [
            row.key,
            row.label,
            row.conversions,
            row.pipeline,
            row.revenue,
            row.cost,
            row.roi ?? '',
            row.costPerMql ?? '',
            row.costPerSql ?? '',
            row.costPerWon ?? '',
            row.sourced.pipeline,
            row.sourced.revenue,
            row.sourced.deals,
            row.influenced.pipeline,
            row.influenced.revenue,
            row.influenced.deals,
          ]),
          { header: true, columns: [...csvColumns] },
        )
        const name = `attribution-${report.model}-${report.conversion}-${report.groupBy}-${report.from}-${report.to}.csv`
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .send(body)
      },
    )
    app.get(
      '/reports/attribution/credits',
      {
        schema: {
          tags,
          summary: 'The deals or contacts credited for one group of the attribution report',
          description:
            "Lists the deals (opportunity_created, won) or contacts behind one number of the attribution report under `model` (default: the model whose per-touch credits are stored, the default when attribution last ran). Under another model the credits come from each subject's share per channel and campaign, so `touches` is null and meta.perTouch false. Filter by campaign, channel, month (YYYY-MM) or kind (no_touch lists conversions without a touch).",
          querystring: CreditsQuery,
          response: {
            200: z.object({
              data: z.array(CreditedSubject),
              meta: z.object({
                model: z.string().nullable().describe('The model credited; null before any run'),
                perTouch: z
                  .boolean()
                  .describe(
                    "Whether this model's credits per touch are stored (journeys show them)",
                  ),
                conversion: z.enum(conversionKinds),
                from: z.string(),
                to: z.string(),
                total: z.number().int(),
                limit: z.number().int(),
                offset: z.number().int(),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listAttributionCredits(ctx.db, request.principal, request.query),
    )
    app.get(
      '/attribution/journeys/:subjectId',
      {
        schema: {
          tags: ['Attribution'],
          summary: "A deal's or contact's journey to one conversion, with each touch's credit",
          params: z.object({ subjectId: Id }),
          querystring: z.object({ conversion: Conversion.optional(), model: Model.optional() }),
          response: { 200: envelope(Journey), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getAttributionJourney(
          ctx.db,
          request.principal,
          request.params.subjectId,
          request.query.conversion,
          request.query.model,
        ),
      }),
    )
  }
}
