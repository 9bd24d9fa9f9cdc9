import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, Id, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import { ListQuery } from '../records/list.ts'
import { addMoveToTrashRoute } from '../trash/routes.ts'
import {
  addCampaignCost,
  CostInput,
  CostQuery,
  deleteCampaignCost,
  listCampaignCosts,
} from './costs.ts'
import {
  CampaignInput,
  CampaignPatch,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  updateCampaign,
} from './service.ts'

export const Campaign = z
  .object({
    id: z.string(),
    name: z.string(),
    channel: z.string(),
    type: z.string(),
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    budget: z.number().nullable().describe('minor units of currency'),
    currency: z.string(),
    utmCampaigns: z.array(z.string()),
    goalLeads: z.number().nullable(),
    goalMqls: z.number().nullable(),
    goalPipeline: z.number().nullable().describe('minor units of currency'),
    ownerId: z.string().nullable(),
    owner: z.object({ id: z.string(), name: z.string() }).nullable(),
    externalSource: z.string().nullable(),
    externalId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Campaign' })

const CampaignDetail = Campaign.extend({
  totalCost: z
    .array(z.object({ currency: z.string(), amount: z.number() }))
    .describe('sum of the cost entries per currency, in minor units (not converted)'),
}).meta({ id: 'CampaignDetail' })

const Cost = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    incurredOn: z.string(),
    amount: z.number(),
    currency: z.string(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'CampaignCost' })

const listDescription =
  'q: case-insensitive substring of the name. filter: URL-encoded JSON of the filter language over name, channel, type, startsOn, endsOn, budget, currency, utmCampaigns, goalLeads, goalMqls, goalPipeline, ownerId, externalSource, externalId, createdAt, updatedAt. sort: updatedAt, createdAt, name, startsOn, endsOn, budget; prefix - for descending (default -updatedAt).'

export function campaignRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/campaigns',
      {
        schema: {
          tags: ['Campaigns'],
          summary: 'List campaigns',
          description: listDescription,
          querystring: ListQuery,
          response: { 200: listEnvelope(Campaign), ...errorResponses },
        },
      },
      async (request) => listCampaigns(ctx.db, request.principal, request.query),
    )
    app.post(
      '/campaigns',
      {
        schema: {
          tags: ['Campaigns'],
          summary: 'Create a campaign',
          body: CampaignInput,
          response: { 201: envelope(CampaignDetail), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createCampaign(ctx.db, request.principal, request.body) }),
    )
    app.get(
      '/campaigns/:id',
      {
        schema: {
          tags: ['Campaigns'],
          summary: 'One campaign with its total cost per currency',
          params: IdParams,
          response: { 200: envelope(CampaignDetail), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getCampaign(ctx.db, request.principal, request.params.id),
      }),
    )
    app.patch(
      '/campaigns/:id',
      {
        schema: {
          tags: ['Campaigns'],
          summary: 'Change a campaign',
          params: IdParams,
          body: CampaignPatch,
          response: { 200: envelope(CampaignDetail), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateCampaign(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    addMoveToTrashRoute(
      app,
      ctx,
      { path: '/campaigns/:id', tag: 'Campaigns', noun: 'a campaign' },
      deleteCampaign,
    )
    app.get(
      '/campaigns/:id/costs',
      {
        schema: {
          tags: ['Campaigns'],
          summary: "A campaign's dated cost entries",
          description:
            'sort: incurredOn, createdAt; prefix - for descending (default -incurredOn).',
          params: IdParams,
          querystring: CostQuery,
          response: { 200: listEnvelope(Cost), ...errorResponses },
        },
      },
      async (request) =>
        listCampaignCosts(ctx.db, request.principal, request.params.id, request.query),
    )
    app.post(
      '/campaigns/:id/costs',
      {
        schema: {
          tags: ['Campaigns'],
          summary: 'Add a dated cost to a campaign',
          params: IdParams,
          body: CostInput,
          response: { 201: envelope(Cost), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send({
          data: await addCampaignCost(ctx.db, request.principal, request.params.id, request.body),
        }),
    )
    app.delete(
      '/campaigns/:id/costs/:costId',
      {
        schema: {
          tags: ['Campaigns'],
          summary: 'Remove a cost entry',
          params: z.object({ id: Id, costId: Id }),
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteCampaignCost(
          ctx.db,
          request.principal,
          request.params.id,
          request.params.costId,
        )
        return reply.status(204).send(null)
      },
    )
  }
}
