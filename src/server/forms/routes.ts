import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import { contactTargets, FormInput, FormPatch, fieldTypes } from './fields.ts'
import {
  archiveForm,
  createForm,
  FormListQuery,
  getForm,
  listFormSubmissions,
  listForms,
  updateForm,
} from './service.ts'

const FormField = z
  .object({
    key: z.string(),
    label: z.string(),
    type: z.enum(fieldTypes),
    required: z.boolean(),
    mapsTo: z
      .string()
      .nullable()
      .describe(
        `One of ${contactTargets.join(', ')} (company: the account's name), or custom.<key>`,
      ),
    options: z.array(z.string()).optional(),
  })
  .meta({ id: 'FormField' })

const Form = z
  .object({
    id: z.string(),
    name: z.string(),
    fields: z.array(FormField),
    consentText: z.string().nullable(),
    thankYouMessage: z.string(),
    redirectUrl: z.string().nullable(),
    isHighIntent: z.boolean().describe('A submission is high intent: MQL rules may act on it'),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    stats: z.object({
      views: z.number().int(),
      submissions: z.number().int(),
      conversionRate: z.number().nullable().describe('submissions ÷ views; null with no views'),
    }),
  })
  .meta({ id: 'Form' })

const FormSubmission = z
  .object({
    id: z.string(),
    formId: z.string(),
    submittedAt: z.string(),
    contact: z
      .object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() })
      .nullable(),
    values: z.record(z.string(), z.union([z.string(), z.boolean()])),
    isConsentGiven: z.boolean(),
    touchpointId: z.string().nullable(),
  })
  .meta({ id: 'FormSubmission' })

const about =
  'Hosted forms: a page at /f/{id}, an embed script at /f/{id}.js and an iframe (docs/forms.md). Each submission creates or updates the contact and records a form_submit touch.'

export function formRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/forms',
      {
        schema: {
          tags: ['Forms'],
          summary:
            "The workspace's forms with views, submissions and conversion rate, newest first",
          description: `${about} Every member may read them.`,
          querystring: FormListQuery,
          response: { 200: listEnvelope(Form), ...errorResponses },
        },
      },
      async (request) => listForms(ctx.db, request.principal, request.query),
    )
    app.post(
      '/forms',
      {
        schema: {
          tags: ['Forms'],
          summary: 'Create a form (admin, marketing)',
          description: `${about} One field must map to email (it is always required); keys unique; at most 30 fields.`,
          body: FormInput,
          response: { 201: envelope(Form), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await createForm(ctx.db, request.principal, request.body)
        return reply.status(201).send({ data })
      },
    )
    app.get(
      '/forms/:id',
      {
        schema: {
          tags: ['Forms'],
          summary: 'One form with its stats',
          params: IdParams,
          response: { 200: envelope(Form), ...errorResponses },
        },
      },
      async (request) => ({ data: await getForm(ctx.db, request.principal, request.params.id) }),
    )
    app.patch(
      '/forms/:id',
      {
        schema: {
          tags: ['Forms'],
          summary: 'Change a form (admin, marketing)',
          description: 'Send only what changes; `fields` replaces the whole list.',
          params: IdParams,
          body: FormPatch,
          response: { 200: envelope(Form), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateForm(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/forms/:id',
      {
        schema: {
          tags: ['Forms'],
          summary: 'Archive a form (admin, marketing)',
          description: 'Its page, script and posts then answer 404; its submissions are kept.',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await archiveForm(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
    app.get(
      '/forms/:id/submissions',
      {
        schema: {
          tags: ['Forms'],
          summary: "The form's submissions, newest first",
          params: IdParams,
          querystring: PageQuery,
          response: { 200: listEnvelope(FormSubmission), ...errorResponses },
        },
      },
      async (request) =>
        listFormSubmissions(ctx.db, request.principal, request.params.id, request.query),
    )
  }
}
