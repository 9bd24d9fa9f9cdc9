import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams } from '../http/schemas.ts'
import {
  AssumptionsQuery,
  agreeToPlan,
  getAssumptions,
  getPlan,
  listPlans,
  PlanInput,
  PlansQuery,
  SideInput,
  savePlan,
  withdrawAgreement,
} from './service.ts'

const Period = z.object({
  kind: z.enum(['month', 'quarter']),
  key: z.string(),
  startsOn: z.string().describe('First local day'),
  endsOn: z.string().describe('The local day after the last (exclusive)'),
  isOver: z.boolean(),
})

const Assumptions = z
  .object({
    period: Period,
    revenueTarget: z
      .number()
      .int()
      .nullable()
      .describe("The company's revenue target of the period (minor units), if set"),
    from: z.string().describe('First day of the 12 complete months measured'),
    to: z.string().describe('Last day of them'),
    baseCurrency: z.string(),
    averageDealSize: z.object({
      value: z.number().int().nullable().describe('Revenue won ÷ deals won, minor units'),
      wonDeals: z.number().int(),
      revenue: z.number().int().nullable(),
      missingRates: z.array(z.string()),
    }),
    sqlToWonRate: z.object({
      value: z.number().nullable().describe('Deals won ÷ SQLs of the window, at most 1'),
      wonDeals: z.number().int(),
      sqls: z.number().int(),
    }),
    mqlToSqlRate: z.object({
      value: z
        .number()
        .nullable()
        .describe('Share of the MQL cohorts that reached SQL within 90 days'),
      mqls: z.number().int(),
      converted: z.number().int(),
      cohortTo: z.string().nullable().describe('Cohorts entered up to this day (90 days old)'),
    }),
    proposal: z
      .object({ wonDeals: z.number().int(), sqls: z.number().int(), mqls: z.number().int() })
      .nullable()
      .describe('The waterfall of the revenue target at the measured assumptions, when all exist'),
  })
  .meta({ id: 'WaterfallAssumptions' })

const Measure = z.object({
  needed: z.number(),
  actual: z.number().nullable().describe('null: a currency of the revenue has no exchange rate'),
  share: z.number().nullable().describe('actual ÷ needed'),
})

const Agreement = z
  .object({ userId: z.string().nullable(), name: z.string().nullable(), at: z.string() })
  .nullable()

const Plan = z
  .object({
    id: z.string(),
    periodKind: z.enum(['month', 'quarter']),
    periodKey: z.string(),
    startsOn: z.string(),
    endsOn: z.string().describe('The local day after the last (exclusive)'),
    isOver: z.boolean(),
    baseCurrency: z.string(),
    revenueTarget: z.number().int(),
    averageDealSize: z.number().int(),
    sqlToWonRate: z.number(),
    mqlToSqlRate: z.number(),
    wonNeeded: z.number().int(),
    sqlsNeeded: z.number().int(),
    mqlsNeeded: z.number().int(),
    agreements: z.object({ sales: Agreement, marketing: Agreement }),
    agreed: z.boolean().describe('Both sides agreed: the figures are the company targets'),
    createdBy: z.object({ userId: z.string(), name: z.string().nullable() }).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    progress: z.object({
      asOf: z.string(),
      elapsed: z.number().describe('Share of the period gone by, 0-1'),
      revenue: Measure,
      wonDeals: Measure,
      sqls: Measure,
      mqls: Measure,
      missingRates: z.array(z.string()),
    }),
  })
  .meta({ id: 'WaterfallPlan' })

const rules =
  'Plans of periods already over are refused (409). Changing any figure clears both agreements. Once both sides agree, the figures become the company targets of the period (revenue, deals_won, sqls, mqls); a later withdrawal leaves those targets as they are.'

export function waterfallRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/waterfall/assumptions',
      {
        schema: {
          tags: ['Targets'],
          summary: 'Measured assumptions of the reverse waterfall, with their samples',
          description:
            "From the workspace's last 12 complete months: average won deal (base currency), deals won ÷ SQLs, and the MQL→SQL rate of the MQL cohorts that have had their 90 days; with the period's company revenue target if set. docs/forecast.md explains each measure.",
          querystring: AssumptionsQuery,
          response: { 200: envelope(Assumptions), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getAssumptions(ctx.db, request.principal, request.query),
      }),
    )
    app.get(
      '/waterfall/plans',
      {
        schema: {
          tags: ['Targets'],
          summary: 'Reverse-waterfall plans, latest period first, each with its progress',
          description: 'At most one plan per period; at most 200 plans are listed.',
          querystring: PlansQuery,
          response: { 200: envelope(z.array(Plan)), ...errorResponses },
        },
      },
      async (request) => ({ data: await listPlans(ctx.db, request.principal, request.query) }),
    )
    app.post(
      '/waterfall/plans',
      {
        schema: {
          tags: ['Targets'],
          summary: "Propose or replace a period's plan",
          description: `Needs plan:agree_sales or plan:agree_marketing (sales managers, marketing, admins). Answers 201 when the plan is new, 200 when it replaced the period's plan. ${rules}`,
          body: PlanInput,
          response: { 200: envelope(Plan), 201: envelope(Plan), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { created, plan } = await savePlan(ctx.db, request.principal, request.body)
        return reply.status(created ? 201 : 200).send({ data: plan })
      },
    )
    app.get(
      '/waterfall/plans/:id',
      {
        schema: {
          tags: ['Targets'],
          summary: 'One plan with its live progress',
          params: IdParams,
          response: { 200: envelope(Plan), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getPlan(ctx.db, request.principal, request.params.id),
      }),
    )
    app.post(
      '/waterfall/plans/:id/agree',
      {
        schema: {
          tags: ['Targets'],
          summary: "Record one side's agreement to a plan",
          description: `sales needs plan:agree_sales (sales managers, admins), marketing plan:agree_marketing (marketing, admins); a person, not an API key. Agreeing twice changes nothing. ${rules}`,
          params: IdParams,
          body: SideInput,
          response: { 200: envelope(Plan), ...errorResponses },
        },
      },
      async (request) => ({
        data: await agreeToPlan(ctx.db, request.principal, request.params.id, request.body.side),
      }),
    )
    app.delete(
      '/waterfall/plans/:id/agree',
      {
        schema: {
          tags: ['Targets'],
          summary: "Withdraw one side's agreement",
          description: `The same permissions as agreeing. ${rules}`,
          params: IdParams,
          querystring: SideInput,
          response: { 200: envelope(Plan), ...errorResponses },
        },
      },
      async (request) => ({
        data: await withdrawAgreement(
          ctx.db,
          request.principal,
          request.params.id,
          request.query.side,
        ),
      }),
    )
  }
}
