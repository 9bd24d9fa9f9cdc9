import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import {
  envelope,
  errorResponses,
  IdParams,
  listEnvelope,
  noContent,
  RoleSchema,
} from '../http/schemas.ts'
import { createApiKey, listApiKeys, revokeApiKey } from './service.ts'

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleSchema,
    prefix: z.string(),
    createdAt: z.string(),
    createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' })

export const ApiKeyInput = z.object({ name: z.string().trim().min(1).max(100), role: RoleSchema })

export function apiKeyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api-keys',
      {
        schema: {
          tags: ['API keys'],
          summary: "The workspace's API keys, newest first (admins)",
          querystring: PageQuery,
          response: { 200: listEnvelope(ApiKey), ...errorResponses },
        },
      },
      async (request) => listApiKeys(ctx.db, request.principal, request.query),
    )
    app.post(
      '/api-keys',
      {
        schema: {
          tags: ['API keys'],
          summary: 'Create an API key with a role; the key is in the answer once and never again',
          body: ApiKeyInput,
          response: { 201: envelope(ApiKey.extend({ key: z.string() })), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await createApiKey(ctx.db, request.principal, request.body)
        return reply.status(201).send({ data })
      },
    )
    app.delete(
      '/api-keys/:id',
      {
        schema: {
          tags: ['API keys'],
          summary: 'Revoke an API key: it stops working at once in every process',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await revokeApiKey(ctx.db, ctx.apiKeys, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
  }
}
