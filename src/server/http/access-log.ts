import type { FastifyReply, FastifyRequest } from 'fastify'
import { LogController } from 'fastify'

/**
 * One access-log line per request, when it completes (not Fastify's two): writes and failures at
 * info, successful reads, the bulk of the traffic, at debug.
 */
export class AccessLog extends LogController {
  override incomingRequest() {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }
    if (error) return request.log.error({ ...line, err: error }, 'request errored')
    const quiet = reply.statusCode < 400 && (request.method === 'GET' || request.method === 'HEAD')
    request.log[quiet ? 'debug' : 'info'](line, 'request completed')
  }
}
