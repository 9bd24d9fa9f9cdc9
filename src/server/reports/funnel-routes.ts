import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { BridgeRangeQuery, groupByParam } from './bridge-common.ts'
import { getFunnelReport } from './funnel.ts'

const Stage = z.string().describe('A lifecycle stage (DEFINITIONS.md "Lifecycle")')

const FunnelRow = z
  .object({
    group: z
      .object({
        key: z.string().describe("The group's id or value; 'none' for records without one"),
        label: z.string(),
      })
      .nullable()
      .describe('null: every contact (no groupBy)'),
    fromStage: Stage,
    toStage: Stage.describe('The next stage'),
    entered: z.number().int().describe('Contacts whose first entry into fromStage is in the range'),
    converted: z
      .number()
      .int()
      .describe('Of those, the ones that entered toStage within 90 days of entering fromStage'),
    rate: z.number().nullable().describe('converted ÷ entered; null when entered is 0'),
    medianDays: z
      .number()
      .nullable()
      .describe('Median days from fromStage to toStage among the converted'),
    p90Days: z.number().nullable().describe('90th percentile of the same days'),
    enteredLink: z.string().describe('Drill-down to the contacts counted in entered'),
    convertedLink: z.string().describe('Drill-down to the contacts counted in converted'),
  })
  .meta({ id: 'FunnelRow' })

const FunnelCohort = z
  .object({
    month: z.string().describe('Entry month into fromStage, YYYY-MM of the workspace time zone'),
    fromStage: Stage,
    toStage: Stage,
    entered: z.number().int(),
    converted: z.number().int(),
    rate: z.number().nullable(),
    complete: z
      .boolean()
      .describe("False while the month's last entrants have not had their 90 days yet"),
    enteredLink: z.string(),
    convertedLink: z.string(),
  })
  .meta({ id: 'FunnelCohort' })

export const FunnelReport = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    asOf: z.string(),
    groupBy: z.enum(['campaign', 'channel', 'segment', 'team']).nullable(),
    conversionWindowDays: z.number().int(),
    stages: z.array(Stage).describe('The funnel stages in order'),
    overall: z.array(FunnelRow).describe('One row per stage pair, every contact'),
    rows: z
      .array(FunnelRow)
      .describe('Per group × stage pair (groups by volume, none last); `overall` when not grouped'),
    cohorts: z.array(FunnelCohort).describe('Per entry month of the range × stage pair'),
  })
  .meta({ id: 'FunnelReport' })

const FunnelQuery = BridgeRangeQuery.extend({
  groupBy: groupByParam(['campaign', 'channel', 'segment', 'team']),
})

export function funnelRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/funnel',
      {
        schema: {
          tags: ['Reports'],
          summary: 'The funnel: stage-to-stage conversion within 90 days and time between stages',
          description:
            'Cohorts are contacts whose first entry into a stage falls in [from, to] (workspace time zone); converted = entered the next stage within 90 days. Skipped stages count as passed in 0 days. Grouped by the contact’s lead-creation campaign or channel, its account’s segment or its owner’s team.',
          querystring: FunnelQuery,
          response: { 200: envelope(FunnelReport), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getFunnelReport(ctx.db, request.principal, request.query),
      }),
    )
  }
}
