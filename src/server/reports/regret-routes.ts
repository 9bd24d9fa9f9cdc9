import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../context.ts'

/** Regret rate report (issue 9). Placeholder: replaced by its builder. */
export function regretRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {}
}
