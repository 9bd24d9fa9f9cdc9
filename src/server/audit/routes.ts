import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { errorResponses, listEnvelope } from '../http/schemas.ts'
import { listAuditLog } from './service.ts'

const AuditEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({
      type: z.enum(['user', 'api_key', 'cli', 'system']),
      id: z.string().nullable(),
      name: z.string(),
    }),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' })

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit-log',
      {
        schema: {
          tags: ['Audit'],
          summary: 'Every state change in the workspace, newest first (admins)',
          querystring: PageQuery,
          response: { 200: listEnvelope(AuditEntry), ...errorResponses },
        },
      },
      async (request) => listAuditLog(ctx.db, request.principal, request.query),
    )
  }
}
