import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { TagRefSchema } from '../feedback/routes.ts'
import { envelope, errorResponses, Id, IdParams, listEnvelope } from '../http/schemas.ts'
import { ListQuery } from '../records/list.ts'
import { addMoveToTrashRoute } from '../trash/routes.ts'
import { DealInput, DealPatch } from './input.ts'
import { deleteDeal, getDeal, listDeals } from './service.ts'
import { SummaryQuery, summarizeDeals } from './summary.ts'
import { bulkUpdateDeals, createDeal, updateDeal } from './write.ts'

const Ref = z.object({ id: z.string(), name: z.string() })
const CustomValues = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.array(z.string()), z.null()]),
)
const Money = z.object({ currency: z.string(), amount: z.number() })

export const DealLineFitSchema = z
  .object({
    productId: z.string(),
    productName: z.string(),
    fit: z.number().describe('0-100; 50 when the product has no ideal customer profile'),
    reasons: z
      .array(z.string())
      .describe(
        'plain words for each criterion not matching or unknown, e.g. "employees 12 outside 200-5000"',
      ),
  })
  .meta({ id: 'DealLineFit' })

const FitOverride = z
  .object({
    by: z.string().nullable().describe('the user who overrode (null for an API key or the CLI)'),
    byName: z.string().nullable(),
    reason: z.string(),
    at: z.string(),
  })
  .meta({ id: 'FitOverride' })

export const Deal = z
  .object({
    id: z.string(),
    name: z.string(),
    accountId: z.string().nullable(),
    account: Ref.nullable(),
    pipelineId: z.string(),
    pipeline: Ref,
    stageId: z.string(),
    stage: z.object({
      id: z.string(),
      name: z.string(),
      position: z.number(),
      winProbability: z.number(),
      isWon: z.boolean(),
      isLost: z.boolean(),
      isProposalOrLater: z.boolean(),
    }),
    amount: z.number().describe('minor units (cents) of currency'),
    currency: z.string(),
    closeDate: z.string().nullable(),
    closedAt: z.string().nullable(),
    ownerId: z.string().nullable(),
    owner: Ref.nullable(),
    forecastCategory: z.string(),
    lossReason: z.string().nullable(),
    lossCompetitor: z.string().nullable(),
    lossNotes: z.string().nullable(),
    marketingCouldHelp: z.string().nullable(),
    needs: z.array(z.string()),
    sourceCampaignId: z.string().nullable(),
    productFit: z
      .number()
      .nullable()
      .describe(
        "the lowest line's product fit 0-100 (DEFINITIONS); null when the deal has no lines",
      ),
    poorFit: z
      .boolean()
      .describe("productFit below the workspace's productFitThreshold (computed when read)"),
    fitDetails: z.array(DealLineFitSchema).describe("each line's fit and reasons"),
    fitOverride: FitOverride.nullable().describe(
      "a sales manager's override of the poor-fit guard, or null",
    ),
    churnedOn: z.string().nullable().describe('YYYY-MM-DD'),
    refundedOn: z.string().nullable().describe('YYYY-MM-DD'),
    downgradedOn: z.string().nullable().describe('YYYY-MM-DD'),
    tags: z.array(TagRefSchema).describe('objections and competitors mentioned'),
    custom: CustomValues,
    externalSource: z.string().nullable(),
    externalId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .meta({ id: 'Deal' })

export const DealDetail = Deal.extend({
  stageHistory: z.array(
    z.object({
      id: z.string(),
      fromStage: Ref.nullable(),
      toStage: Ref,
      changedAt: z.string(),
      changedBy: Ref.nullable(),
    }),
  ),
  contacts: z.array(
    z.object({
      contactId: z.string(),
      name: z.string().nullable(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      email: z.string().nullable(),
      role: z.string().nullable(),
      isPrimary: z.boolean(),
    }),
  ),
  lineItems: z.array(
    z.object({
      id: z.string(),
      productId: z.string(),
      productName: z.string(),
      quantity: z.number(),
      unitPrice: z.number(),
      amount: z.number().describe('quantity × unitPrice, rounded to minor units'),
    }),
  ),
}).meta({ id: 'DealDetail' })

const DealSummary = z
  .object({
    data: z.array(
      z.object({
        key: z
          .string()
          .nullable()
          .describe(
            'id of the stage, owner, team, product or pipeline; YYYY-MM for month; null for none',
          ),
        label: z.string(),
        count: z.number(),
        amounts: z.array(Money).describe('sum per currency, in minor units'),
        amountInBase: z.number().nullable().describe('null when a needed exchange rate is missing'),
        baseCurrency: z.string(),
      }),
    ),
    missingRates: z.array(z.string()).describe('currencies without an exchange rate to the base'),
  })
  .meta({ id: 'DealSummary' })

const listDescription =
  'q: case-insensitive substring of the name. filter: URL-encoded JSON of the filter language over name, amount, currency, closeDate, closedAt, ownerId, pipelineId, stageId, forecastCategory, lossReason, lossCompetitor, marketingCouldHelp, accountId, account.name, account.industry, account.employees, account.country, account.region, needs (contains), productFit, churnedOn, refundedOn, downgradedOn, sourceCampaignId, externalSource, externalId, createdAt, updatedAt, custom.<key>. sort: updatedAt (default), createdAt, closeDate, amount, name; prefix - for descending.'

export function dealRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/deals',
      {
        schema: {
          tags: ['Deals'],
          summary: 'List deals',
          description: listDescription,
          querystring: ListQuery,
          response: { 200: listEnvelope(Deal), ...errorResponses },
        },
      },
      async (request) => listDeals(ctx.db, request.principal, request.query),
    )
    app.get(
      '/deals/summary',
      {
        schema: {
          tags: ['Deals'],
          summary:
            'Deal count and amounts per stage, owner, team, product, pipeline or close month',
          description:
            'q and filter as in the deal list. Amounts are summed per currency and converted to the base currency with the exchange rates; product sums line items (quantity × unit price); team counts a deal in each team of its owner; month is the close month (YYYY-MM).',
          querystring: SummaryQuery,
          response: { 200: DealSummary, ...errorResponses },
        },
      },
      async (request) => summarizeDeals(ctx.db, request.principal, request.query),
    )
    app.post(
      '/deals',
      {
        schema: {
          tags: ['Deals'],
          summary: 'Create a deal',
          description:
            "Without pipelineId and stageId the deal goes to the default pipeline's first open stage. A lost stage needs lossReason and marketingCouldHelp." +
            " A deal flagged poor fit (productFit below the workspace's threshold) without a fit override cannot enter a proposal-or-later or won stage: 409 conflict with details.reason poor_fit, and nothing changes (lost stages are always allowed).",
          body: DealInput,
          response: { 201: envelope(DealDetail), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send({ data: await createDeal(ctx.db, request.principal, request.body) }),
    )
    app.patch(
      '/deals/bulk',
      {
        schema: {
          tags: ['Deals'],
          summary: 'Apply one change to up to 200 deals (all or nothing)',
          description:
            'A move of a poor-fit deal without a fit override into a proposal-or-later or won stage refuses the whole change: 409 conflict with details.reason poor_fit and details.dealId.',
          body: z.object({ ids: z.array(Id).min(1).max(200), patch: DealPatch }),
          response: { 200: envelope(z.object({ updated: z.number() })), ...errorResponses },
        },
      },
      async (request) => ({
        data: await bulkUpdateDeals(
          ctx.db,
          request.principal,
          request.body.ids,
          request.body.patch,
        ),
      }),
    )
    app.get(
      '/deals/:id',
      {
        schema: {
          tags: ['Deals'],
          summary: 'One deal with its stage history, contacts and line items',
          params: IdParams,
          response: { 200: envelope(DealDetail), ...errorResponses },
        },
      },
      async (request) => ({ data: await getDeal(ctx.db, request.principal, request.params.id) }),
    )
    app.patch(
      '/deals/:id',
      {
        schema: {
          tags: ['Deals'],
          summary: 'Change a deal or move it to another stage',
          description:
            "contacts and lineItems, when given, replace the whole list. A move into a lost stage needs lossReason and marketingCouldHelp. A deal flagged poor fit (productFit below the workspace's threshold) without a fit override cannot enter a proposal-or-later or won stage: 409 conflict with details.reason poor_fit, and nothing changes (lost stages are always allowed).",
          params: IdParams,
          body: DealPatch,
          response: { 200: envelope(DealDetail), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateDeal(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    addMoveToTrashRoute(app, ctx, { path: '/deals/:id', tag: 'Deals', noun: 'a deal' }, deleteDeal)
  }
}
