import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, listEnvelope } from '../http/schemas.ts'
import { ListQuery } from '../records/list.ts'
import { addMoveToTrashRoute } from '../trash/routes.ts'
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  ProductInput,
  ProductPatch,
  updateProduct,
} from './service.ts'

export const Product = z
  .object({
    id: z.string(),
    name: z.string(),
    family: z.string().nullable(),
    price: z.number().describe('minor units (cents) of currency'),
    currency: z.string(),
    icpIndustries: z.array(z.string()),
    icpEmployeesMin: z.number().nullable(),
    icpEmployeesMax: z.number().nullable(),
    icpRegions: z.array(z.string()),
    icpProblems: z.array(z.string()),
    externalSource: z.string().nullable(),
    externalId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .meta({ id: 'Product' })

const listDescription =
  'q: case-insensitive substring of the name. filter: URL-encoded JSON of the filter language over id, name, family, price, currency, icpIndustries, icpRegions, icpProblems (lists: contains), icpEmployeesMin, icpEmployeesMax, externalSource, externalId, createdAt, updatedAt. sort: name (default), family, price, createdAt, updatedAt; prefix - for descending.'

export function productRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/products',
      {
        schema: {
          tags: ['Products'],
          summary: 'List products',
          description: listDescription,
          querystring: ListQuery,
          response: { 200: listEnvelope(Product), ...errorResponses },
        },
      },
      async (request) => listProducts(ctx.db, request.principal, request.query),
    )
    app.post(
      '/products',
      {
        schema: {
          tags: ['Products'],
          summary: 'Add a product with its ideal customer profile',
          body: ProductInput,
          response: { 201: envelope(Product), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createProduct(ctx.db, request.principal, request.body) }),
    )
    app.get(
      '/products/:id',
      {
        schema: {
          tags: ['Products'],
          summary: 'One product',
          params: IdParams,
          response: { 200: envelope(Product), ...errorResponses },
        },
      },
      async (request) => ({ data: await getProduct(ctx.db, request.principal, request.params.id) }),
    )
    app.patch(
      '/products/:id',
      {
        schema: {
          tags: ['Products'],
          summary: 'Change a product',
          params: IdParams,
          body: ProductPatch,
          response: { 200: envelope(Product), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateProduct(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    addMoveToTrashRoute(
      app,
      ctx,
      { path: '/products/:id', tag: 'Products', noun: 'a product' },
      deleteProduct,
    )
  }
}
