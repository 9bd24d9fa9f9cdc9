import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, Id, IdParams, listEnvelope } from '../http/schemas.ts'
import { ListQuery } from '../records/list.ts'
import { addMoveToTrashRoute } from '../trash/routes.ts'
import { ContactInput, ContactPatch } from './input.ts'
import {
  bulkUpdateContacts,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  updateContact,
} from './service.ts'

const Summary = z.object({ id: z.string(), name: z.string() }).nullable()
const CustomValues = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.array(z.string()), z.null()]),
)
const UtmValues = z.record(z.string(), z.string()).nullable()

export const Contact = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    title: z.string().nullable(),
    persona: z.string().nullable().describe('a key of GET /personas'),
    phone: z.string().nullable(),
    accountId: z.string().nullable(),
    account: Summary.describe('null without an account or when it is in the Trash'),
    lifecycleStage: z.string().nullable(),
    leadStatus: z.string().nullable().describe('only while lifecycleStage is mql or sal'),
    owner: Summary,
    ownerId: z.string().nullable(),
    source: z.string().nullable(),
    firstTouchUtm: UtmValues.describe('UTM values of the first touch that carried any'),
    lastTouchUtm: UtmValues.describe('UTM values of the last touch that carried any'),
    traits: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('traits of identify calls, kept whole (the latest value of each)'),
    identifiedAt: z.string().nullable().describe('when an identify first made the person known'),
    leadCreation: z
      .object({ touchpointId: z.string(), at: z.string(), type: z.string() })
      .nullable()
      .describe('the lead-creation touch (DEFINITIONS.md)'),
    emailOptIn: z.boolean(),
    doNotContact: z.boolean(),
    recycleUntil: z.string().nullable().describe('re-engage on (YYYY-MM-DD), while recycled'),
    custom: CustomValues,
    externalSource: z.string().nullable(),
    externalId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
    erasedAt: z
      .string()
      .nullable()
      .describe('when its personal data was erased on request (docs/privacy.md)'),
  })
  .meta({ id: 'Contact' })

const ContactDetail = Contact.extend({
  stageHistory: z.array(
    z.object({ stage: z.string(), enteredAt: z.string(), isReentry: z.boolean() }),
  ),
}).meta({ id: 'ContactDetail' })

const listDescription =
  'q: case-insensitive substring of first name, last name or email. filter: URL-encoded JSON of the filter language, e.g. {"all":[{"field":"account.employees","op":"gte","value":200}]}; fields of the contact, firstTouchUtm.<utm_key>, lastTouchUtm.<utm_key>, account.name|domain|industry|employees|country|region|tier, and custom.<key>. sort: updatedAt, createdAt, lastName, email; prefix - for descending.'

export function contactRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/contacts',
      {
        schema: {
          tags: ['Contacts'],
          summary: 'List contacts',
          description: listDescription,
          querystring: ListQuery,
          response: { 200: listEnvelope(Contact), ...errorResponses },
        },
      },
      async (request) => listContacts(ctx.db, request.principal, request.query),
    )
    app.post(
      '/contacts',
      {
        schema: {
          tags: ['Contacts'],
          summary: 'Create a contact',
          description:
            'Needs an email, firstName or lastName. The email is trimmed, lower-cased and unique in the workspace. Entering recycled sets recycleUntil to today + 90 days unless given.',
          body: ContactInput,
          response: { 201: envelope(ContactDetail), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createContact(ctx.db, request.principal, request.body) }),
    )
    app.patch(
      '/contacts/bulk',
      {
        schema: {
          tags: ['Contacts'],
          summary: 'Apply one change to up to 200 contacts (all or nothing)',
          body: z.object({ ids: z.array(Id).min(1).max(200), patch: ContactPatch }),
          response: { 200: envelope(z.object({ updated: z.number() })), ...errorResponses },
        },
      },
      async (request) => ({
        data: await bulkUpdateContacts(
          ctx.db,
          request.principal,
          request.body.ids,
          request.body.patch,
        ),
      }),
    )
    app.get(
      '/contacts/:id',
      {
        schema: {
          tags: ['Contacts'],
          summary: 'One contact with its account, owner and lifecycle stage history',
          params: IdParams,
          response: { 200: envelope(ContactDetail), ...errorResponses },
        },
      },
      async (request) => ({ data: await getContact(ctx.db, request.principal, request.params.id) }),
    )
    app.patch(
      '/contacts/:id',
      {
        schema: {
          tags: ['Contacts'],
          summary: 'Change a contact',
          params: IdParams,
          body: ContactPatch,
          response: { 200: envelope(ContactDetail), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateContact(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    addMoveToTrashRoute(
      app,
      ctx,
      { path: '/contacts/:id', tag: 'Contacts', noun: 'a contact' },
      deleteContact,
    )
  }
}
