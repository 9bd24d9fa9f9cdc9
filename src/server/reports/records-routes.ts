import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../context.ts'

// Placeholder until issue 8's drill-down lands (registered in app.ts).
export function drillRecordsRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {}
}
