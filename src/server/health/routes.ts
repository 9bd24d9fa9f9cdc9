import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { sql } from 'kysely'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { version } from '../version.ts'

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'down']),
  worker: z.enum(['ok', 'stale', 'not_running']),
  version: z.string(),
  demo: z.boolean(),
  ingest: z
    .object({
      waiting: z.number().int().describe('events acknowledged and not yet written'),
      failed: z.number().int().describe('requests set aside in ingest_inbox as unwritable'),
    })
    .optional(),
})

/**
 * Liveness for people and load balancers: database reachable, a worker beating, the version, and
 * how many acknowledged events wait to be written.
 */
export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/health',
      {
        schema: {
          tags: ['Health'],
          summary: 'Database, worker and version',
          response: { 200: Health, 503: Health },
        },
      },
      async (_request, reply) => {
        try {
          const row = await sql<{
            beat: Date | null
            demo: boolean
            waiting: number
            failed: number
          }>`
            select (select max(beat_at) from worker_heartbeats) as beat,
                   exists(select 1 from instance_settings where key = 'demo_workspace_id') as demo,
                   (select coalesce(sum(events), 0)::int from ingest_inbox where failed_at is null) as waiting,
                   (select count(*)::int from ingest_inbox where failed_at is not null) as failed
          `.execute(ctx.db)
          const first = row.rows[0]
          const beat = first?.beat ? Date.now() - new Date(first.beat).getTime() : undefined
          const worker = beat === undefined ? 'not_running' : beat < 90_000 ? 'ok' : 'stale'
          return reply.send({
            status: worker === 'ok' ? 'ok' : 'degraded',
            database: 'ok',
            worker,
            version,
            demo: first?.demo ?? false,
            ingest: { waiting: first?.waiting ?? 0, failed: first?.failed ?? 0 },
          })
        } catch {
          return reply.status(503).send({
            status: 'degraded',
            database: 'down',
            worker: 'not_running',
            version,
            demo: false,
          })
        }
      },
    )
  }
}
