import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../context.ts'

// Placeholder until issue 8's feedback tags lands (registered in app.ts).
export function feedbackRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {}
}
