import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'

/** Tandem's address as other sites must call it: TANDEM_BASE_URL, else this request's origin. */
export function publicOriginOf(ctx: AppContext, request: FastifyRequest) {
  const base = ctx.env.TANDEM_BASE_URL
  return base ? base.replace(/\/+$/, '') : `${request.protocol}://${request.host}`
}
