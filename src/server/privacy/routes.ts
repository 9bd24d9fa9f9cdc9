import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { envelope, errorResponses, Id, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import { eraseContact } from './erase.ts'
import { exportPersonalData } from './personal-data.ts'
import { liftSuppression, listSuppressions } from './suppressions.ts'

const Rows = z.array(z.record(z.string(), z.unknown()))

const PersonalData = z
  .object({
    exportedAt: z.string(),
    contactId: z.string(),
    contact: z.record(z.string(), z.unknown()).describe('every column of the contact'),
    mergedContacts: Rows.describe('contacts merged into this one, every column'),
    identities: Rows.describe('user and anonymous ids that point to the person'),
    emails: z.array(z.string()),
    touchpoints: Rows.describe('every column, context (IP, user agent) and properties included'),
    activities: Rows,
    dealRoles: Rows,
    formSubmissions: Rows.describe('with the values as submitted'),
    identityMerges: Rows,
    lifecycle: Rows,
    auditEntries: Rows.describe('audit entries whose target is the contact'),
  })
  .loose()
  .meta({ id: 'PersonalData' })

const EraseResult = z
  .object({
    erasedAt: z.string(),
    suppressedEmails: z.number(),
    identitiesDeleted: z.number(),
    touchpointsCleared: z.number(),
    formSubmissionsCleared: z.number(),
    activitiesCleared: z.number(),
    mergedContactsErased: z.number(),
  })
  .meta({ id: 'EraseResult' })

const Suppression = z
  .object({
    id: z.string(),
    emailHash: z.string().describe('sha-256 (hex) of the trimmed, lower-cased email'),
    reason: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'Suppression' })

const eraseDescription =
  "Admins. In one transaction: clears the contact's names, email, phone, title, traits, custom values and external id (it shows as \"Erased contact\" and stays counted in deals, attribution and funnels), deletes its user and anonymous ids and identity merges, empties its form submissions' values, clears the anonymous id, URL query string, referrer, context, properties and message id of its touchpoints (type, channel, campaign, UTM and time stay), clears the subject and body of its activities, and suppresses its email so that events, forms, imports and the API cannot create it again. `confirm` must be the contact's email, or its id when it has none. docs/privacy.md."

export function privacyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/contacts/:id/personal-data',
      {
        config: { workspaceFromQuery: true },
        schema: {
          tags: ['Privacy'],
          summary: 'Download everything held about a contact, as JSON (admins; audited)',
          description:
            'The contact, the contacts merged into it, its identities, touchpoints, activities, deal roles, form submissions, identity merges, lifecycle entries and the audit entries about it. A signed-in browser, which cannot set X-Workspace-Id on a download link, may name the workspace in `workspaceId`.',
          params: IdParams,
          querystring: z.object({
            workspaceId: Id.optional().describe('cookie sessions only: like X-Workspace-Id'),
          }),
          response: { 200: PersonalData, ...errorResponses },
        },
      },
      async (request, reply) => {
        const document = await exportPersonalData(ctx.db, request.principal, request.params.id)
        return reply
          .header(
            'content-disposition',
            `attachment; filename="contact-${request.params.id}-personal-data.json"`,
          )
          .header('cache-control', 'no-store')
          .send(document)
      },
    )
    app.post(
      '/contacts/:id/erase',
      {
        schema: {
          tags: ['Privacy'],
          summary: "Erase a contact's personal data and suppress its email (admins; audited)",
          description: eraseDescription,
          params: IdParams,
          body: z.object({ confirm: z.string().max(320) }),
          response: { 200: envelope(EraseResult), ...errorResponses },
        },
      },
      async (request) => ({
        data: await eraseContact(
          ctx.db,
          request.principal,
          request.params.id,
          request.body.confirm,
        ),
      }),
    )
    app.get(
      '/suppressions',
      {
        schema: {
          tags: ['Privacy'],
          summary: 'Emails erased on request, newest first (admins)',
          description:
            'Only hashes are kept; `email` finds the suppression of one address (hashed the same way).',
          querystring: PageQuery.extend({ email: z.string().trim().max(320).optional() }),
          response: { 200: listEnvelope(Suppression), ...errorResponses },
        },
      },
      async (request) => listSuppressions(ctx.db, request.principal, request.query),
    )
    app.delete(
      '/suppressions/:id',
      {
        schema: {
          tags: ['Privacy'],
          summary: 'Lift a suppression: the email may be created again (admins; audited)',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await liftSuppression(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
  }
}
