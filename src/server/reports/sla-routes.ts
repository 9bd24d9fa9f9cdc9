import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { IsoDate } from '../records/fields.ts'
import { getSlaReport } from './sla.ts'

const Ratio = z
  .object({
    numerator: z.number().int(),
    denominator: z.number().int(),
    rate: z.number().nullable().describe('numerator ÷ denominator; null when the denominator is 0'),
  })
  .meta({ id: 'Ratio' })

const SlaMetrics = z
  .object({
    handoffs: z.number().int(),
    open: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    attainment: Ratio.describe(
      'SLA attainment: first-touched within the window ÷ handoffs whose window ended or that were first-touched',
    ),
    decisionSla: Ratio.describe(
      'Decided within the acceptance window ÷ handoffs whose window ended or that were decided',
    ),
    acceptanceRate: Ratio.describe('accepted ÷ (accepted + rejected)'),
    rejectionsByReason: z.array(Ratio.extend({ reason: z.string() })),
    timeToFirstTouch: z.object({
      count: z.number().int(),
      medianMinutes: z.number().nullable(),
      p90Minutes: z.number().nullable(),
    }),
    unworked: z.number().int().describe('Open, untouched, past the first-touch window'),
    recycleRate: Ratio.describe('Rejected and recycled ÷ handoffs decided'),
    reMqlRate: Ratio.describe('Re-MQLs ÷ handoffs created'),
  })
  .meta({ id: 'SlaMetrics' })

const Ref = z.object({ id: z.string(), name: z.string() })

const SlaLinks = z
  .object({
    unworked: z.string().describe('Drill-down to the group’s unworked handoffs (/bridge/records)'),
    missed: z
      .string()
      .describe('Drill-down to the group’s handoffs that missed the first-touch window'),
  })
  .meta({ id: 'SlaLinks' })

export const SlaReport = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    asOf: z.string(),
    overall: SlaMetrics,
    byOwner: z.array(
      SlaMetrics.extend({ owner: Ref.nullable().describe('null: unassigned'), links: SlaLinks }),
    ),
    byTeam: z.array(
      SlaMetrics.extend({
        team: Ref.nullable().describe('The handoff’s team; null: no team'),
        links: SlaLinks,
      }),
    ),
    byCampaign: z.array(SlaMetrics.extend({ campaign: Ref.nullable() })),
    marketing: z.array(
      z.object({
        month: z.string().describe('YYYY-MM'),
        delivered: z.number().int().describe('MQLs delivered: handoffs created that month'),
        target: z.number().int().nullable().describe("The month's MQL target; null when unset"),
        targetAttainment: Ratio.nullable(),
        acceptanceRate: Ratio,
      }),
    ),
  })
  .meta({ id: 'SlaReport' })

const SlaReportQuery = z.object({
  from: IsoDate.optional().describe('First day (workspace time zone); default the current month'),
  to: IsoDate.optional().describe('Last day, inclusive'),
})

export function slaReportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/sla',
      {
        schema: {
          tags: ['Reports'],
          summary: "The two-way SLA: sales' speed and decisions, marketing's MQLs against target",
          description:
            'Over handoffs created in [from, to]. Time to first touch is exact, in business minutes of each handoff’s SLA calendar.',
          querystring: SlaReportQuery,
          response: { 200: envelope(SlaReport), ...errorResponses },
        },
      },
      async (request) => ({ data: await getSlaReport(ctx.db, request.principal, request.query) }),
    )
  }
}
