import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../context.ts'

/** Product fit (issue 9): the poor-fit guard override and deal fit. Placeholder: replaced by its builder. */
export function fitRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {}
}
