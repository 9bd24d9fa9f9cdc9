import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../context.ts'

// Placeholder until issue 8's funnel lands (registered in app.ts).
export function funnelRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {}
}
