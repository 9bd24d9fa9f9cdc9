import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, listEnvelope } from '../http/schemas.ts'
import {
  AccountDuplicatesQuery,
  ContactDuplicatesQuery,
  listAccountDuplicates,
  listContactDuplicates,
} from './find.ts'
import { mergeAccounts } from './merge-accounts.ts'
import { mergeContacts } from './merge-contacts.ts'
import { MergeInput } from './merge-input.ts'

const Summary = z.object({ id: z.string(), name: z.string() })
const Stamps = { createdAt: z.string(), updatedAt: z.string() }

const ContactDuplicate = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    account: Summary.nullable(),
    lifecycleStage: z.string().nullable(),
    ownerName: z.string().nullable(),
    ...Stamps,
  })
  .meta({ id: 'ContactDuplicate' })

const AccountDuplicate = z
  .object({
    id: z.string(),
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    employees: z.number().nullable(),
    country: z.string().nullable(),
    lifecycleStage: z.string().nullable(),
    ownerName: z.string().nullable(),
    contactCount: z.number(),
    ...Stamps,
  })
  .meta({ id: 'AccountDuplicate' })

function group<R extends z.ZodType, T extends z.ZodType>(reason: R, record: T) {
  return z.object({
    reason,
    key: z.string().describe('the normalised value the records share'),
    size: z.number().describe('records in the group (records lists at most 51, oldest first)'),
    records: z.array(record),
  })
}

const MergeResult = z
  .object({
    id: z.string().describe('the record that absorbed the others'),
    mergedIds: z.array(z.string()),
    fields: z.record(z.string(), z.string()).describe('per field, the record whose value was kept'),
    moved: z.record(z.string(), z.number()).describe('rows moved onto the survivor, by kind'),
  })
  .meta({ id: 'MergeResult' })

const mergeDescription = (entity: string, moves: string) =>
  `Merges the ${entity}s named in otherIds into this one in one transaction: ${moves} move to it; the others go to the Trash (not restorable) and their ids answer 404 with details.mergedInto. fields picks, per field, the record whose value is kept. Recorded in the audit log as ${entity}.merge.`

export function mergeRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/duplicates/contacts',
      {
        schema: {
          tags: ['Duplicates'],
          summary: 'Groups of likely duplicate contacts',
          description:
            'reason: email (case, spaces and plus-addressing ignored), name_phone (same first and last name and phone digits), name_company (same name on the same account). Groups are ordered by reason, then key. With contactId, only the groups that contact is in (404 if it is not a live contact).',
          querystring: ContactDuplicatesQuery,
          response: {
            200: listEnvelope(
              group(z.enum(['email', 'name_phone', 'name_company']), ContactDuplicate),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => listContactDuplicates(ctx.db, request.principal, request.query),
    )
    app.get(
      '/duplicates/accounts',
      {
        schema: {
          tags: ['Duplicates'],
          summary: 'Groups of likely duplicate accounts',
          description:
            'reason: domain (scheme, www., path and trailing dots ignored), name (case, punctuation and legal forms such as Inc, GmbH, Ltd ignored). Groups are ordered by reason, then key. With accountId, only the groups that account is in (404 if it is not a live account).',
          querystring: AccountDuplicatesQuery,
          response: {
            200: listEnvelope(group(z.enum(['domain', 'name']), AccountDuplicate)),
            ...errorResponses,
          },
        },
      },
      async (request) => listAccountDuplicates(ctx.db, request.principal, request.query),
    )
    app.post(
      '/contacts/:id/merge',
      {
        schema: {
          tags: ['Contacts'],
          summary: 'Merge other contacts into this one',
          description: mergeDescription(
            'contact',
            'stage history, activities, touchpoints and deal links (one link per deal, primary if any was)',
          ),
          params: IdParams,
          body: MergeInput,
          response: { 200: envelope(MergeResult), ...errorResponses },
        },
      },
      async (request) => ({
        data: await mergeContacts(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.post(
      '/accounts/:id/merge',
      {
        schema: {
          tags: ['Accounts'],
          summary: 'Merge other accounts into this one',
          description: mergeDescription(
            'account',
            'contacts, deals, activities, touchpoints and stage history',
          ),
          params: IdParams,
          body: MergeInput,
          response: { 200: envelope(MergeResult), ...errorResponses },
        },
      },
      async (request) => ({
        data: await mergeAccounts(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
  }
}
