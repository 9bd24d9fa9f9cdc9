import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { benchmarkMetrics } from '../../domain/benchmark.ts'
import { trendMetrics } from '../../domain/decay.ts'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams } from '../http/schemas.ts'
import { getCampaignBenchmark } from './benchmark.ts'
import { ChangesQuery, getChanges, getTrends, TrendsQuery } from './service.ts'

const Subject = z
  .object({
    kind: z.enum(['channel', 'campaign']),
    id: z.string().describe("The channel's slug or the campaign's id"),
    name: z.string(),
    channel: z.string(),
  })
  .meta({ id: 'TrendSubject' })

const Range = z
  .object({ low: z.number(), high: z.number() })
  .describe("The normal range of the latest 4 weeks' value")

const Point = z
  .object({
    week: z.string().describe('ISO week in the workspace time zone, 2026-W48'),
    value: z.number().nullable().describe('null when there is nothing to divide by'),
    numerator: z.number(),
    denominator: z.number(),
  })
  .meta({ id: 'TrendPoint' })

const unitDescription =
  'count (leads a week), rate (0-1) or money (cost per MQL in minor units of the base currency)'

const ChangeFlag = z
  .object({
    subject: Subject,
    metric: z.enum(trendMetrics),
    metricLabel: z.string(),
    unit: z.enum(['count', 'rate', 'money']).describe(unitDescription),
    status: z.enum(['decay', 'improvement']),
    words: z.string().describe('e.g. "Paid social: cost per MQL up 38% over 4 weeks, outside …"'),
    changePct: z.number().nullable(),
    current: z.number(),
    baseline: z.number().describe('The median of the 8 weeks before the latest 4'),
    range: Range,
    baselineWeeks: z.array(z.string()),
    recentWeeks: z.array(z.string()),
    series: z.array(Point).describe('The last 26 weeks, for the chart'),
    link: z.string().describe('The campaign page, or the channel on this page'),
  })
  .meta({ id: 'ChangeFlag' })

const Changes = z.object({
  asOf: z.string(),
  computedAt: z.date(),
  currency: z.string(),
  lastCompleteWeek: z.string().nullable(),
  decays: z.array(ChangeFlag),
  improvements: z.array(ChangeFlag),
  tested: z.number().describe('Series tested (subjects × metrics)'),
  notEnoughData: z.number().describe('Of them, with too little volume to say'),
  missingRates: z.array(z.string()),
})

const Trends = z.object({
  asOf: z.string(),
  currency: z.string(),
  subject: Subject,
  link: z.string(),
  weeks: z.array(z.object({ week: z.string(), startsOn: z.string() })),
  metrics: z.array(
    z.object({
      metric: z.enum(trendMetrics),
      label: z.string(),
      unit: z.enum(['count', 'rate', 'money']).describe(unitDescription),
      upIsWorse: z.boolean(),
      status: z.enum(['decay', 'improvement', 'normal', 'not_enough_data']),
      words: z.string(),
      changePct: z.number().nullable(),
      current: z.number().nullable(),
      baseline: z.number().nullable(),
      range: Range.nullable(),
      series: z.array(Point),
    }),
  ),
})

const CampaignBenchmark = z.object({
  campaign: z.object({ id: z.string(), name: z.string(), channel: z.string(), type: z.string() }),
  model: z.string().describe('The attribution model of ROI (the workspace default)'),
  currency: z.string(),
  peers: z.array(z.object({ id: z.string(), name: z.string(), startsOn: z.string().nullable() })),
  metrics: z.array(
    z.object({
      metric: z.enum(benchmarkMetrics),
      value: z.number().nullable(),
      peerMedian: z.number().nullable(),
      percentile: z
        .number()
        .nullable()
        .describe('Percent of peers with a lower value (ties half); null below 3 peers'),
      peers: z.number().describe('Peers with a value'),
      verdict: z.enum(['better', 'worse', 'typical', 'too_few_peers', 'no_value']),
    }),
  ),
})

/** The Telescope's trends, what changed and campaign benchmarks (issue 14; docs/trends.md). */
export function trendRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/telescope/changes',
      {
        schema: {
          tags: ['Telescope'],
          summary: 'What changed this week: decays and improvements',
          description:
            "Every channel's and running campaign's weekly leads, MQL rate, acceptance rate, cost per MQL and conversion to opportunity: the latest 4 complete ISO weeks (workspace time zone) against the median of the 8 before, flagged when outside the normal range (a decay when worse, else an improvement). Kept for the workspace's local day; refresh=true computes again. Every member may read it. docs/trends.md.",
          querystring: ChangesQuery,
          response: { 200: envelope(Changes), ...errorResponses },
        },
      },
      async (request) => ({ data: await getChanges(ctx.db, request.principal, request.query) }),
    )
    app.get(
      '/telescope/trends',
      {
        schema: {
          tags: ['Telescope'],
          summary: "One channel's or campaign's weekly metrics",
          description:
            'The last 52 complete weeks of the five metrics for exactly one of `channel` (slug) or `campaignId`, each with the change test of its latest 4 weeks. An unknown campaign answers 404.',
          querystring: TrendsQuery,
          response: { 200: envelope(Trends), ...errorResponses },
        },
      },
      async (request) => ({ data: await getTrends(ctx.db, request.principal, request.query) }),
    )
    app.get(
      '/campaigns/:id/benchmark',
      {
        schema: {
          tags: ['Campaigns'],
          summary: 'A campaign against similar past campaigns',
          description:
            "Cost per MQL, acceptance rate and ROI (under the workspace's default attribution model) over the campaign's life, against campaigns of the same channel and type that started before it: the peers' median, its percentile, and better / worse (beyond the middle half) or typical; fewer than 3 peers say too_few_peers.",
          params: IdParams,
          response: { 200: envelope(CampaignBenchmark), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getCampaignBenchmark(ctx.db, request.principal, request.params.id),
      }),
    )
  }
}
