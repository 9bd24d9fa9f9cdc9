import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { BridgeRangeQuery, groupByParam } from './bridge-common.ts'
import { getVoiceOfSales } from './voice-of-sales.ts'

const Link = z.string().describe('Drill-down to the records counted (/bridge/records?…)')
const Share = z.number().nullable()

const VoiceGroup = z
  .object({
    key: z
      .string()
      .describe("Campaign id, channel or segment key; 'none' when the record has none"),
    label: z.string().describe('Campaign name, channel, or segment name'),
  })
  .nullable()
  .describe('The row’s group; null when the report is not grouped')
  .meta({ id: 'VoiceGroup' })

const VoiceRejection = z
  .object({
    group: VoiceGroup,
    reason: z.string().describe('Rejection reason (DEFINITIONS "Reasons for rejecting a lead")'),
    count: z.number().int().describe('Handoffs created in the range and rejected with the reason'),
    decided: z.number().int().describe('Handoffs created in the range and decided, in the group'),
    share: Share.describe('count ÷ decided (rejection rate by reason); null when nothing decided'),
    link: Link,
  })
  .meta({ id: 'VoiceRejection' })

const VoiceLoss = z
  .object({
    group: VoiceGroup,
    reason: z.string().nullable().describe('Loss reason; null for losses recorded without one'),
    count: z.number().int().describe('Deals closed in the range in a lost stage with the reason'),
    share: Share.describe('count ÷ losses in the group'),
    goodOutcome: z
      .boolean()
      .describe('poor_fit_walked_away: we chose not to sell, a good outcome (DEFINITIONS)'),
    link: Link.nullable(),
  })
  .meta({ id: 'VoiceLoss' })

const VoiceCouldHelp = z
  .object({
    group: VoiceGroup,
    losses: z.number().int(),
    yes: z.number().int(),
    no: z.number().int(),
    unsure: z.number().int(),
    unanswered: z.number().int().describe('Losses recorded without the answer'),
    links: z.object({ yes: Link, no: Link, unsure: Link }),
  })
  .describe('“Could marketing have helped?” answers of the losses, per group')
  .meta({ id: 'VoiceCouldHelp' })

const VoiceCompetitor = z
  .object({
    name: z.string().describe('Most common spelling (names merged case-insensitively)'),
    losses: z.number().int().describe('Deals lost to this competitor (reason competitor)'),
    mentions: z
      .number()
      .int()
      .describe('Competitor tags on activities and handoffs created, and deals closed, in range'),
    link: Link.describe('Drill-down to the deals lost to this competitor'),
  })
  .meta({ id: 'VoiceCompetitor' })

const VoiceObjection = z
  .object({
    tag: z.object({ id: z.string(), name: z.string() }),
    count: z.number().int().describe('Records tagged: activities + handoffs + deals'),
    activities: z.number().int().describe('Activities created in the range'),
    handoffs: z.number().int().describe('Handoffs created in the range'),
    deals: z.number().int().describe('Deals closed in the range'),
    link: Link.describe('Drill-down to the tagged handoffs, or deals when they are more'),
    links: z.object({ handoffs: Link, deals: Link }),
  })
  .meta({ id: 'VoiceObjection' })

const VoiceQuality = z
  .object({
    group: VoiceGroup,
    rated: z.number().int().describe('Handoffs created in the range with a quality rating'),
    average: z.number().nullable().describe('Mean rating 1-5; null when none rated'),
    distribution: z.object({
      1: z.number().int(),
      2: z.number().int(),
      3: z.number().int(),
      4: z.number().int(),
      5: z.number().int(),
    }),
    unrated: z.number().int(),
    link: Link.describe('Drill-down to the rated handoffs'),
    unratedLink: Link,
  })
  .meta({ id: 'VoiceQuality' })

const VoiceTrend = z
  .object({
    month: z.string().describe('YYYY-MM, workspace time zone'),
    decided: z.number().int().describe('Handoffs created that month and decided'),
    rejected: z.number().int(),
    rejectionRate: Share.describe('rejected ÷ decided'),
    losses: z.number().int().describe('Deals closed that month in a lost stage'),
    topReason: z.string().nullable().describe('The month’s most frequent rejection reason'),
    links: z.object({ decided: Link, rejected: Link, losses: Link, topReason: Link.nullable() }),
  })
  .meta({ id: 'VoiceTrend' })

export const VoiceOfSalesReport = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    groupBy: z.enum(['campaign', 'channel', 'segment']).nullable(),
    rejections: z.array(VoiceRejection),
    losses: z.array(VoiceLoss),
    marketingCouldHelp: z.array(VoiceCouldHelp),
    competitors: z.array(VoiceCompetitor),
    objections: z.array(VoiceObjection).describe('The ten objection tags on the most records'),
    quality: z.array(VoiceQuality),
    trends: z.array(VoiceTrend).describe('Every month of the range, empty ones included'),
  })
  .meta({ id: 'VoiceOfSalesReport' })

const VoiceQuery = BridgeRangeQuery.extend({
  groupBy: groupByParam(['campaign', 'channel', 'segment']),
})

export function voiceOfSalesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/voice-of-sales',
      {
        schema: {
          tags: ['Reports'],
          summary: 'Voice of sales: rejections, losses, competitors, objections, handoff quality',
          description:
            'For marketing, over handoffs created and deals closed in [from, to] (workspace time zone), grouped by the handoff’s campaign and the deal’s source campaign, by channel or by segment. Every count links to its records.',
          querystring: VoiceQuery,
          response: { 200: envelope(VoiceOfSalesReport), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getVoiceOfSales(ctx.db, request.principal, request.query),
      }),
    )
  }
}
