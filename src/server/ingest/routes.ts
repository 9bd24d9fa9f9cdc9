import fastifyCors from '@fastify/cors'
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { AppError } from '../errors.ts'
import { handleError } from '../http/error-handler.ts'
import { resolveWriteKey } from '../write-keys/service.ts'
import { decodeBody, parseJsonBody, writeKeyFrom } from './body.ts'
import { RejectionLog } from './live.ts'
import { EventNameRegistry, type IngestQueue, retryAfterSeconds } from './queue.ts'
import { ingestLimits, parseBatch, parseMessage, routeTypes, type SpecMessage } from './spec.ts'

/**
 * The Segment-compatible tracking API at /v1/* (docs/ingestion.md): authenticated by a write key,
 * open to any origin, answered 200 `{ success: true }` only once the events are committed to the
 * inbox (the IngestProcessor writes them from there).
 */

// What a sender may post before we read it: a gzipped batch, or a plain one well over 500 KB so our
// own 400 names the limit. Past this Fastify stops reading (413).
const rawBodyLimit = 4 * 1024 * 1024

function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const segment = (request.url.split('?')[0] ?? '').slice('/v1/'.length)
    const limit =
      routeTypes.get(segment) === 'batch' ? ingestLimits.batchBytes : ingestLimits.messageBytes
    return handleError(
      new AppError('invalid_input', `body: over the ${limit / 1024} KB limit`, {
        field: 'body',
        limit,
      }) as never,
      request,
      reply,
    )
  }
  if (error instanceof AppError && error.code === 'unavailable') {
    reply.header('retry-after', String(retryAfterSeconds))
  }
  return handleError(error, request, reply)
}

export function ingestRoutes(ctx: AppContext, queue: IngestQueue): FastifyPluginAsync {
  const eventNames = new EventNameRegistry(ctx.db)
  const rejections = new RejectionLog(ctx.db, ctx.log)
  return async (app) => {
    await app.register(
      async (v1) => {
        // Browsers post from the customer's website: any origin, no credentials (the write key is
        // in the body). A preflight is cached for a day.
        await v1.register(fastifyCors, {
          origin: '*',
          methods: ['POST'],
          allowedHeaders: ['Content-Type', 'Authorization', 'Content-Encoding'],
          maxAge: 86_400,
        })
        v1.setErrorHandler(sendError)
        v1.removeAllContentTypeParsers()
        v1.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
          done(null, body)
        })
        v1.addHook('onRequest', async (request) => {
          if (request.method === 'POST' && queue.isOverloaded) {
            throw new AppError(
              'unavailable',
              `Tandem is receiving more events than it can store; retry in ${retryAfterSeconds} s`,
            )
          }
        })
        v1.post<{ Params: { type: string } }>(
          '/:type',
          { bodyLimit: rawBodyLimit, schema: { hide: true } },
          async (request) => {
            const receivedAt = new Date()
            const route = routeOf(request.params.type)
            const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
            const decoded = await decodeBody(raw, request.headers['content-encoding'])
            const body = parseJsonBody(decoded, request.headers['content-type'])
            const key = writeKeyFrom(request.headers.authorization, body)
            const resolved = key ? await resolveWriteKey(ctx.db, key) : undefined
            if (!resolved) {
              throw new AppError(
                'unauthenticated',
                key
                  ? 'This write key is unknown, revoked or expired (Settings → Tracking)'
                  : 'Send the write key as the Basic-auth username or as writeKey in the body',
              )
            }
            let messages: SpecMessage[]
            try {
              messages =
                route === 'batch'
                  ? parseBatch(body, decoded.length).messages
                  : [parseMessage(route, body, decoded.length)]
              await eventNames.check(resolved.workspaceId, messages)
            } catch (error) {
              // Shown in Settings → Tracking, where a marketer checks an installation.
              if (error instanceof AppError) {
                rejections.record(resolved.workspaceId, route, error.message, request.ip ?? null)
              }
              throw error
            }
            if (messages.length > 0) {
              await queue.submit(resolved.workspaceId, messages, receivedAt, request.ip ?? null)
            }
            return { success: true }
          },
        )
      },
      { prefix: '/v1' },
    )
  }
}

function routeOf(segment: string) {
  const route = routeTypes.get(segment)
  if (!route) {
    throw new AppError(
      'not_found',
      `No tracking endpoint /v1/${segment.slice(0, 40)}: use identify, track, page, screen, group, alias or batch`,
    )
  }
  return route
}
