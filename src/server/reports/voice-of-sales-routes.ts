import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../context.ts'

// Placeholder until issue 8's voice of sales lands (registered in app.ts).
export function voiceOfSalesRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {}
}
