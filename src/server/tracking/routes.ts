import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { publicOriginOf } from '../http/public-origin.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import {
  findSnippetSettings,
  getTrackingSettings,
  TrackingSettingsInput,
  updateTrackingSettings,
} from './service.ts'
import { type SnippetAnswer, snippetFor, snippetProblem } from './snippet.ts'

const TrackingSettings = z
  .object({
    consentRequired: z
      .boolean()
      .describe(
        'The snippet sends nothing and sets no cookie until the page calls tandem.consent(true)',
      ),
    cookieDomain: z
      .string()
      .nullable()
      .describe(
        'Domain of the snippet’s cookies (e.g. `.example.com`); null: the page’s host only',
      ),
    captureForms: z
      .boolean()
      .describe(
        'Submitted forms with an email field identify the visitor and count as a form submit',
      ),
    updatedAt: z.string().nullable().describe('null while the workspace has the defaults'),
  })
  .meta({ id: 'TrackingSettings' })

const about =
  'How the website tracking snippet (GET /t.js?key=<write key>) behaves on the workspace’s website: consent, cookie domain, form capture. A workspace that never changed them has the defaults (no consent required, cookies on the page’s host, no form capture). See docs/tracking.md.'

export function trackingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/tracking/settings',
      {
        schema: {
          tags: ['Tracking'],
          summary: "The workspace's tracking snippet settings",
          description: `${about} Every member may read them.`,
          response: { 200: envelope(TrackingSettings), ...errorResponses },
        },
      },
      async (request) => ({ data: await getTrackingSettings(ctx.db, request.principal) }),
    )
    app.patch(
      '/tracking/settings',
      {
        schema: {
          tags: ['Tracking'],
          summary: 'Change the tracking snippet settings (admin, marketing)',
          description: `${about} Only the fields sent change; the change is audited. Served snippets pick it up within 5 minutes (their cache time).`,
          body: TrackingSettingsInput,
          response: { 200: envelope(TrackingSettings), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateTrackingSettings(ctx.db, request.principal, request.body),
      }),
    )
  }
}

function sendScript(request: FastifyRequest, reply: FastifyReply, answer: SnippetAnswer) {
  // Loaded by other sites' pages: the page security headers' same-origin policy would block it.
  reply
    .header('content-type', 'application/javascript; charset=utf-8')
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('access-control-allow-origin', '*')
    .header('vary', 'accept-encoding')
    .header('etag', answer.etag)
  const accepts = String(request.headers['accept-encoding'] ?? '')
  if (/\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\s*(?:,|$))/i.test(accepts)) {
    return reply.header('content-encoding', 'gzip').send(answer.gzipped)
  }
  return reply.send(answer.body)
}

/** GET /t.js: the tracking snippet for a write key, public, at the server root like /v1/*. */
export function snippetRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/t.js',
      {
        attachValidation: true,
        schema: {
          tags: ['Tracking'],
          summary: 'The website tracking snippet (JavaScript)',
          description:
            'Install on every page with `<script async src="https://<tandem>/t.js?key=<write key>"></script>` (docs/tracking.md). Answers the snippet, configured with the key and the workspace’s tracking settings; cached for 5 minutes, gzipped when accepted. A missing, malformed, unknown, revoked or expired key is answered 401 with a script whose console.error says why and where to get a key (browsers run no script answered 401; the Network tab and curl show it).',
          security: [],
          querystring: z.object({
            key: z
              .string()
              .optional()
              .describe('A write key of the workspace (Settings → Tracking)'),
          }),
        },
      },
      async (request, reply) => {
        const key = request.validationError ? undefined : request.query.key
        const found = request.validationError
          ? ({ problem: 'malformed' } as const)
          : await findSnippetSettings(ctx.db, key, publicOriginOf(ctx, request))
        if ('problem' in found) {
          reply.status(401).header('cache-control', 'no-store')
          return sendScript(request, reply, snippetProblem(found.problem, key))
        }
        const answer = await snippetFor(found.settings)
        reply.header('cache-control', 'public, max-age=300')
        const known = String(request.headers['if-none-match'] ?? '').split(/\s*,\s*/)
        if (known.includes(answer.etag)) {
          return reply
            .status(304)
            .header('etag', answer.etag)
            .header('vary', 'accept-encoding')
            .send()
        }
        return sendScript(request, reply, answer)
      },
    )
  }
}
