import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { listPersonas, PersonasInput, replacePersonas } from './service.ts'

export const Persona = z
  .object({ key: z.string(), label: z.string(), position: z.number() })
  .meta({ id: 'Persona' })

export function personaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/personas',
      {
        schema: {
          tags: ['Personas'],
          summary: 'The personas contacts can have, in order',
          description:
            'A workspace starts with economic_buyer, technical_buyer, user and champion.',
          response: { 200: envelope(z.array(Persona)), ...errorResponses },
        },
      },
      async (request) => ({ data: await listPersonas(ctx.db, request.principal) }),
    )
    app.put(
      '/personas',
      {
        schema: {
          tags: ['Personas'],
          summary: 'Replace the persona list (order = position)',
          description:
            'Keys are snake_case. A persona still used by contacts cannot be removed (409 naming it).',
          body: PersonasInput,
          response: { 200: envelope(z.array(Persona)), ...errorResponses },
        },
      },
      async (request) => ({
        data: await replacePersonas(ctx.db, request.principal, request.body),
      }),
    )
  }
}
