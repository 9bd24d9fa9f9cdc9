import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { AppError, fromDatabaseError, statusOf } from '../errors.ts'

function send(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  return reply.status(statusOf[error.code]).send({
    error: {
      code: error.code,
      message: error.message,
      details: error.details ?? null,
      requestId: request.id,
    },
  })
}

/** The one place errors become HTTP answers: AppError by its code table, anything else a logged 500. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) return send(reply, request, error)
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      field: [error.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join(
        '.',
      ),
      message: v.message,
    }))
    const first = issues[0]
    return send(
      reply,
      request,
      new AppError('invalid_input', first ? `${first.field}: ${first.message}` : 'Invalid input', {
        issues,
      }),
    )
  }
  const database = fromDatabaseError(error)
  if (database) return send(reply, request, database)
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return send(reply, request, new AppError('too_large', 'The request body is too large'))
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return send(
        reply,
        request,
        new AppError('invalid_input', 'The request body is not valid JSON'),
      )
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return send(
        reply,
        request,
        new AppError('invalid_input', 'Send JSON with Content-Type: application/json'),
      )
  }
  if (error.statusCode === 429) {
    return send(
      reply,
      request,
      new AppError('rate_limited', 'Too many requests; try again shortly'),
    )
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return send(reply, request, new AppError('invalid_input', error.message))
  }
  request.log.error({ err: error }, 'unhandled error')
  return reply.status(500).send({
    error: {
      code: 'internal',
      message: 'Something went wrong on our side',
      details: null,
      requestId: request.id,
    },
  })
}
