import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import {
  CustomFieldInput,
  CustomFieldPatch,
  CustomFieldQuery,
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from './service.ts'

export const CustomField = z
  .object({
    id: z.string(),
    entity: z.string(),
    key: z.string().describe('records carry the value as custom.<key>'),
    label: z.string(),
    type: z.string(),
    options: z.array(z.string()),
    position: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'CustomField' })

export function customFieldRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/custom-fields',
      {
        schema: {
          tags: ['Custom fields'],
          summary: 'List custom field definitions (all on one page)',
          querystring: CustomFieldQuery,
          response: { 200: listEnvelope(CustomField), ...errorResponses },
        },
      },
      async (request) => listCustomFields(ctx.db, request.principal, request.query.entity),
    )
    app.post(
      '/custom-fields',
      {
        schema: {
          tags: ['Custom fields'],
          summary: 'Define a custom field of accounts, contacts or deals',
          body: CustomFieldInput,
          response: { 201: envelope(CustomField), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createCustomField(ctx.db, request.principal, request.body) }),
    )
    app.patch(
      '/custom-fields/:id',
      {
        schema: {
          tags: ['Custom fields'],
          summary: "Change a custom field's label, options or position",
          description: 'Removing an option that records still hold answers 409 naming it.',
          params: IdParams,
          body: CustomFieldPatch,
          response: { 200: envelope(CustomField), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateCustomField(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/custom-fields/:id',
      {
        schema: {
          tags: ['Custom fields'],
          summary: 'Delete a custom field and its values on every record',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteCustomField(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
  }
}
