import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { requirePermission } from '../auth/principal.ts'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { computeAlignment } from './alignment.ts'
import { BridgeRangeQuery } from './bridge-common.ts'

const partKeys = [
  'sla_attainment',
  'acceptance_rate',
  'mql_to_sql',
  'feedback_coverage',
  'marketing_commitment',
  'insight_loop',
  'content_coverage',
  'forecast_accuracy',
] as const

const Owner = z.enum(['sales', 'marketing', 'both']).meta({ id: 'AlignmentOwner' })

const AlignmentPoint = z
  .object({
    period: z.string().describe('YYYY-MM'),
    value: z.number().nullable().describe('0-100; null when there was no data that month'),
  })
  .meta({ id: 'AlignmentPoint' })

const AlignmentPart = z
  .object({
    key: z.enum(partKeys),
    label: z.string(),
    meaning: z.string().describe('What x is, in plain words'),
    owner: Owner,
    value: z.number().describe('100 × clamp(x, 0, 1) in the index period, one decimal'),
    x: z.number().describe('The raw x, unclamped (mql_to_sql may exceed 1)'),
    numerator: z.number(),
    denominator: z.number(),
    detail: z.string().describe('e.g. "412 of 530 handoffs first-touched within the SLA window"'),
    trend: z.array(AlignmentPoint).describe('The part per month of the range'),
    link: z.string().describe('Drill-down to the records counted: /bridge/records?…'),
    shortfallLink: z
      .string()
      .nullable()
      .describe('Drill-down to the records that fall short (missed, rejected, unrated…)'),
  })
  .meta({ id: 'AlignmentPart' })

const AlignmentProblem = z
  .object({
    text: z.string(),
    owner: Owner,
    severity: z.number().describe('Bigger is worse; problems come sorted by it'),
    link: z.string(),
  })
  .meta({ id: 'AlignmentProblem' })

export const AlignmentReport = z
  .object({
    from: z.string(),
    to: z.string(),
    period: z.literal('month'),
    timeZone: z.string(),
    index: z
      .number()
      .nullable()
      .describe('0-100: the mean of the parts with data in indexPeriod; null without data'),
    indexPeriod: z
      .string()
      .describe(
        "YYYY-MM: the last complete month (the month before to's, unless to is its last day)",
      ),
    parts: z
      .array(AlignmentPart)
      .describe('Parts with data in indexPeriod; the others are omitted'),
    series: z.array(AlignmentPoint).describe('The index per month of the range'),
    problems: z.array(z.string()).describe('The three biggest current problems, in plain words'),
    problemDetails: z.array(AlignmentProblem),
  })
  .meta({ id: 'AlignmentReport' })

const AlignmentQuery = BridgeRangeQuery.extend({
  period: z
    .enum(['month'], { error: () => 'must be month (the only period for now)' })
    .optional()
    .describe('The period of the index and its series; only month for now'),
})

export function alignmentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/alignment',
      {
        schema: {
          tags: ['Reports'],
          summary: 'The alignment index: how well marketing and sales keep their promises',
          description:
            'Per month of [from, to] (workspace time zone) the parts of the alignment index that have data (DEFINITIONS.md), the index of the last complete month, its trend, and the three biggest current problems.',
          querystring: AlignmentQuery,
          response: { 200: envelope(AlignmentReport), ...errorResponses },
        },
      },
      async (request) => {
        const { workspaceId } = requirePermission(request.principal, 'records:read')
        return { data: await computeAlignment(ctx.db, workspaceId, request.query, new Date()) }
      },
    )
  }
}
