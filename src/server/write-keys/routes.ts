import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import {
  createWriteKey,
  listWriteKeys,
  revokeWriteKey,
  rotateWriteKey,
  WriteKeyInput,
} from './service.ts'

const WriteKey = z
  .object({
    id: z.string(),
    name: z.string(),
    key: z.string().describe('The key itself: public by design, it can only ingest events'),
    state: z
      .enum(['active', 'expiring', 'expired', 'revoked'])
      .describe('`expiring`: rotated, still accepted until `expiresAt`'),
    createdAt: z.string(),
    createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'WriteKey' })

const about =
  'Write keys let the tracking snippet and Segment-compatible libraries send events to /v1/* for this workspace. They are public by design (they sit in a website) and can only ingest: they never authenticate /api/v1.'

export function writeKeyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/write-keys',
      {
        schema: {
          tags: ['Write keys'],
          summary: "The workspace's write keys, revoked and expired ones too, newest first",
          description: `${about} Every member may list them.`,
          querystring: PageQuery,
          response: { 200: listEnvelope(WriteKey), ...errorResponses },
        },
      },
      async (request) => listWriteKeys(ctx.db, request.principal, request.query),
    )
    app.post(
      '/write-keys',
      {
        schema: {
          tags: ['Write keys'],
          summary: 'Create a write key (admin, marketing)',
          description: about,
          body: WriteKeyInput,
          response: { 201: envelope(WriteKey), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await createWriteKey(ctx.db, request.principal, request.body)
        return reply.status(201).send({ data })
      },
    )
    app.post(
      '/write-keys/:id/rotate',
      {
        schema: {
          tags: ['Write keys'],
          summary: 'Rotate a write key: a new key with the same name (admin, marketing)',
          description:
            'Answers the new key. The old one keeps working for 24 hours (its `expiresAt`), so a deployed snippet can be updated; then it stops. Only an active key can be rotated (409 otherwise).',
          params: IdParams,
          response: { 201: envelope(WriteKey), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await rotateWriteKey(ctx.db, request.principal, request.params.id)
        return reply.status(201).send({ data })
      },
    )
    app.delete(
      '/write-keys/:id',
      {
        schema: {
          tags: ['Write keys'],
          summary: 'Revoke a write key: it stops working at once in every process',
          description: 'Also cuts short the 24-hour overlap of a rotated key.',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await revokeWriteKey(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
  }
}
