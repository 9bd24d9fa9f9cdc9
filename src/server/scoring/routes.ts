import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../context.ts'

/** Scores (issue 9): scoring rules, settings, preview and contact scores. Placeholder: replaced by its builder. */
export function scoringRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {}
}
