import { randomUUID } from 'node:crypto'
import fastifyCors from '@fastify/cors'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { AppError } from '../errors.ts'
import { publicOriginOf } from '../http/public-origin.ts'
import type { AnswerIssue } from './answers.ts'
import { embedScript } from './embed-script.ts'
import { formLimits } from './fields.ts'
import { countFormView, findLiveForm } from './queries.ts'
import { SubmissionRateLimiter } from './rate-limit.ts'
import { renderForm, renderMessage } from './render.ts'
import { checkSubmission, type FormRow, storeSubmission } from './submit.ts'

/**
 * The public side of hosted forms (docs/forms.md), at the server root like /v1/*: GET /f/<id> the
 * hosted page (also the iframe embed), GET /f/<id>.js the embed script, POST /f/<id> a submission
 * as an HTML form post or JSON. No session; any origin may post JSON.
 */

// Pages of forms are framed by other sites (the iframe embed) and may redirect after a post to the
// form's own thank-you URL, so they get their own policy instead of the app's pages'.
const formPageCsp =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self' https: http:; base-uri 'none'; frame-ancestors *"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function sendHtml(reply: FastifyReply, status: number, html: string) {
  reply.removeHeader('x-frame-options')
  return reply
    .status(status)
    .header('content-security-policy', formPageCsp)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html)
}

const notAvailable = 'This form does not exist or is no longer available.'

function isHtmlPost(request: FastifyRequest) {
  return String(request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded')
}

/** The posted body as an object: a form post's fields, or a JSON object. */
function parseBody(raw: string, isHtml: boolean): Record<string, unknown> {
  const bytes = Buffer.byteLength(raw)
  if (bytes > formLimits.bodyBytes) {
    throw new AppError(
      'invalid_input',
      `body: ${Math.ceil(bytes / 1024)} KB is over the ${formLimits.bodyBytes / 1024} KB limit`,
      { field: 'body', limit: formLimits.bodyBytes, bytes },
    )
  }
  if (isHtml) {
    const params = new URLSearchParams(raw)
    const body: Record<string, unknown> = {}
    for (const key of new Set(params.keys())) body[key] = params.get(key)
    return body
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new AppError('invalid_input', 'body: not valid JSON', { field: 'body' })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppError('invalid_input', 'body: must be a JSON object of answers', {
      field: 'body',
    })
  }
  return parsed as Record<string, unknown>
}

function invalidAnswers(issues: AnswerIssue[]) {
  return new AppError('invalid_input', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    field: issues[0]?.field,
    issues,
  })
}

export function publicFormRoutes(ctx: AppContext): FastifyPluginAsync {
  const limiter = new SubmissionRateLimiter()
  return async (app) => {
    await app.register(
      async (f) => {
        await f.register(fastifyCors, {
          origin: '*',
          methods: ['GET', 'POST'],
          allowedHeaders: ['Content-Type'],
          maxAge: 86_400,
        })
        f.removeAllContentTypeParsers()
        f.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
          done(null, body)
        })

        f.get<{ Params: { ref: string } }>(
          '/:ref',
          { schema: { hide: true } },
          async (request, reply) => {
            const isScript = request.params.ref.endsWith('.js')
            const id = isScript ? request.params.ref.slice(0, -3) : request.params.ref
            const form = uuid.test(id) ? await findLiveForm(ctx.db, id) : undefined
            if (!form) {
              if (isScript) {
                return reply
                  .status(404)
                  .type('application/javascript; charset=utf-8')
                  .header('cross-origin-resource-policy', 'cross-origin')
                  .send(`console.warn(${JSON.stringify(`Tandem: ${notAvailable}`)})\n`)
              }
              return sendHtml(reply, 404, renderMessage('Form not found', notAvailable, 'alert'))
            }
            await countFormView(ctx.db, form.workspaceId, form.id)
            if (isScript) {
              return reply
                .type('application/javascript; charset=utf-8')
                .header('cross-origin-resource-policy', 'cross-origin')
                .header('access-control-allow-origin', '*')
                .header('cache-control', 'no-store')
                .send(embedScript(publicOriginOf(ctx, request), form))
            }
            const query = request.query as Record<string, unknown>
            const aid = typeof query.tandem_aid === 'string' ? query.tandem_aid : undefined
            return sendHtml(reply, 200, renderForm(form, { anonymousId: aid }))
          },
        )

        f.post<{ Params: { ref: string }; Body: string }>(
          '/:ref',
          { schema: { hide: true } },
          async (request, reply) => {
            const isHtml = isHtmlPost(request)
            const form = uuid.test(request.params.ref)
              ? await findLiveForm(ctx.db, request.params.ref)
              : undefined
            try {
              if (!form) throw new AppError('not_found', notAvailable)
              return await submit(request, reply, form, isHtml)
            } catch (error) {
              if (!(error instanceof AppError) || !isHtml) throw error
              const title =
                error.code === 'not_found'
                  ? 'Form not found'
                  : error.code === 'rate_limited'
                    ? 'Too many submissions'
                    : 'The form could not be sent'
              return sendHtml(
                reply,
                error.code === 'not_found' ? 404 : error.code === 'rate_limited' ? 429 : 400,
                renderMessage(title, error.message, 'alert'),
              )
            }
          },
        )
      },
      { prefix: '/f' },
    )
  }

  async function submit(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormRow,
    isHtml: boolean,
  ) {
    const ip = request.ip ?? 'unknown'
    const verdict = limiter.check(ip, form.id)
    if (!verdict.isAllowed) {
      reply.header('retry-after', String(verdict.retryAfterSeconds))
      throw new AppError(
        'rate_limited',
        `Too many submissions from your address (the limit is ${verdict.limit}); try again in ${verdict.retryAfterSeconds} s`,
        { retryAfterSeconds: verdict.retryAfterSeconds },
      )
    }
    const body = parseBody(typeof request.body === 'string' ? request.body : '', isHtml)
    const { read, definitions } = await checkSubmission(ctx.db, form, body)
    if (read.kind === 'invalid') {
      if (!isHtml) throw invalidAnswers(read.issues)
      const values = { ...read.values, tandem_consent: body.tandem_consent === 'on' }
      return sendHtml(
        reply,
        400,
        renderForm(form, {
          values,
          issues: read.issues,
          anonymousId: typeof body.tandem_aid === 'string' ? body.tandem_aid : undefined,
          pageUrl: typeof body.tandem_page === 'string' ? body.tandem_page : undefined,
        }),
      )
    }
    limiter.record(ip, form.id)
    // A bot that filled the honeypot is answered as if it succeeded; nothing is stored.
    const stored =
      read.kind === 'honeypot'
        ? { submissionId: randomUUID(), contactId: randomUUID() }
        : await storeSubmission(
            ctx.db,
            form,
            read.answers,
            {
              ip: request.ip ?? null,
              userAgent: request.headers['user-agent'],
              referer: request.headers.referer,
            },
            definitions,
          )
    if (isHtml) {
      if (form.redirectUrl) return reply.status(303).header('location', form.redirectUrl).send()
      return sendHtml(reply, 200, renderMessage(form.name, form.thankYouMessage))
    }
    return {
      data: {
        submissionId: stored.submissionId,
        contactId: stored.contactId,
        ...(form.redirectUrl ? { redirectUrl: form.redirectUrl } : {}),
        message: form.thankYouMessage,
      },
    }
  }
}
