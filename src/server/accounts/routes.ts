import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, Id, IdParams, listEnvelope } from '../http/schemas.ts'
import { ListQuery } from '../records/list.ts'
import { addMoveToTrashRoute } from '../trash/routes.ts'
import {
  AccountInput,
  AccountPatch,
  bulkUpdateAccounts,
  createAccount,
  deleteAccount,
  getAccount,
  listAccounts,
  updateAccount,
} from './service.ts'

const Person = z.object({ id: z.string(), name: z.string() }).nullable()
const CustomValues = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.array(z.string()), z.null()]),
)

export const Account = z
  .object({
    id: z.string(),
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    employees: z.number().nullable(),
    annualRevenue: z.number().nullable().describe('minor units (cents) of annualRevenueCurrency'),
    annualRevenueCurrency: z.string().nullable(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    tier: z.string().nullable(),
    owner: Person,
    ownerId: z.string().nullable(),
    lifecycleStage: z.string().nullable(),
    churnedOn: z.string().nullable().describe('YYYY-MM-DD: when the customer churned'),
    refundedOn: z.string().nullable().describe('YYYY-MM-DD: when the customer was refunded'),
    downgradedOn: z.string().nullable().describe('YYYY-MM-DD: when the customer downgraded'),
    custom: CustomValues,
    externalSource: z.string().nullable(),
    externalId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .meta({ id: 'Account' })

const AccountDetail = Account.extend({
  counts: z.object({ contacts: z.number(), deals: z.number() }),
  stageHistory: z.array(
    z.object({ stage: z.string(), enteredAt: z.string(), isReentry: z.boolean() }),
  ),
}).meta({ id: 'AccountDetail' })

const listDescription =
  'q: case-insensitive substring of name or domain. filter: URL-encoded JSON of the filter language, e.g. {"all":[{"field":"employees","op":"gte","value":200}]}; custom fields as custom.<key>. sort: updatedAt, createdAt, name, employees, annualRevenue; prefix - for descending.'

export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/accounts',
      {
        schema: {
          tags: ['Accounts'],
          summary: 'List accounts',
          description: listDescription,
          querystring: ListQuery,
          response: { 200: listEnvelope(Account), ...errorResponses },
        },
      },
      async (request) => listAccounts(ctx.db, request.principal, request.query),
    )
    app.post(
      '/accounts',
      {
        schema: {
          tags: ['Accounts'],
          summary: 'Create an account',
          body: AccountInput,
          response: { 201: envelope(AccountDetail), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createAccount(ctx.db, request.principal, request.body) }),
    )
    app.patch(
      '/accounts/bulk',
      {
        schema: {
          tags: ['Accounts'],
          summary: 'Apply one change to up to 200 accounts (all or nothing)',
          body: z.object({ ids: z.array(Id).min(1).max(200), patch: AccountPatch }),
          response: { 200: envelope(z.object({ updated: z.number() })), ...errorResponses },
        },
      },
      async (request) => ({
        data: await bulkUpdateAccounts(
          ctx.db,
          request.principal,
          request.body.ids,
          request.body.patch,
        ),
      }),
    )
    app.get(
      '/accounts/:id',
      {
        schema: {
          tags: ['Accounts'],
          summary: 'One account with counts and lifecycle stage history',
          params: IdParams,
          response: { 200: envelope(AccountDetail), ...errorResponses },
        },
      },
      async (request) => ({ data: await getAccount(ctx.db, request.principal, request.params.id) }),
    )
    app.patch(
      '/accounts/:id',
      {
        schema: {
          tags: ['Accounts'],
          summary: 'Change an account',
          params: IdParams,
          body: AccountPatch,
          response: { 200: envelope(AccountDetail), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateAccount(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    addMoveToTrashRoute(
      app,
      ctx,
      { path: '/accounts/:id', tag: 'Accounts', noun: 'an account' },
      deleteAccount,
    )
  }
}
