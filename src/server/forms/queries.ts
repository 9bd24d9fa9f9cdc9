import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB, FormFieldRow } from '../db/schema.ts'

function selectForms(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('forms as f')
    .selectAll('f')
    .select((eb) => [
      eb
        .selectFrom('formViews as v')
        .select(sql<number>`coalesce(sum(v.views), 0)::int`.as('n'))
        .whereRef('v.workspaceId', '=', 'f.workspaceId')
        .whereRef('v.formId', '=', 'f.id')
        .as('views'),
      eb
        .selectFrom('formSubmissions as s')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('s.workspaceId', '=', 'f.workspaceId')
        .whereRef('s.formId', '=', 'f.id')
        .as('submissions'),
    ])
    .where('f.workspaceId', '=', workspaceId)
}

export type FormRow = Awaited<ReturnType<typeof findForm>> & {}

export function selectFormPage(
  db: Database,
  workspaceId: string,
  options: { isArchivedIncluded: boolean; after: string | undefined; limit: number },
) {
  return selectForms(db, workspaceId)
    .$if(!options.isArchivedIncluded, (q) => q.where('f.archivedAt', 'is', null))
    .$if(options.after !== undefined, (q) => q.where('f.id', '<', String(options.after)))
    .orderBy('f.id', 'desc')
    .limit(options.limit)
    .execute()
}

export function findForm(db: Kysely<DB>, workspaceId: string, id: string) {
  return selectForms(db, workspaceId).where('f.id', '=', id).executeTakeFirst()
}

/** A live (not archived) form by id alone: public endpoints know no workspace. */
export function findLiveForm(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('forms')
    .selectAll()
    .where('id', '=', id)
    .where('archivedAt', 'is', null)
    .executeTakeFirst()
}

export interface FormValues {
  name: string
  fields: FormFieldRow[]
  consentText: string | null
  thankYouMessage: string
  redirectUrl: string | null
  isHighIntent: boolean
}

export function insertForm(
  db: Kysely<DB>,
  values: FormValues & { workspaceId: string; id: string; createdBy: string | null },
) {
  return db
    .insertInto('forms')
    .values({
      ...values,
      fields: JSON.stringify(values.fields),
      updatedBy: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function lockForm(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('forms')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function updateFormRow(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  values: Partial<FormValues> & { updatedBy: string | null; archivedAt?: Date },
) {
  const { fields, ...rest } = values
  return db
    .updateTable('forms')
    .set({
      ...rest,
      ...(fields ? { fields: JSON.stringify(fields) } : {}),
      updatedAt: new Date(),
    })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

/** Counts one view of the form today (UTC). */
export function countFormView(db: Kysely<DB>, workspaceId: string, formId: string) {
  return db
    .insertInto('formViews')
    .values({ workspaceId, formId, day: sql<string>`current_date`, views: 1 })
    .onConflict((oc) =>
      oc
        .columns(['workspaceId', 'formId', 'day'])
        .doUpdateSet({ views: sql<number>`form_views.views + 1` }),
    )
    .execute()
}

export function selectSubmissionPage(
  db: Database,
  workspaceId: string,
  formId: string,
  after: string | undefined,
  limit: number,
) {
  return db
    .selectFrom('formSubmissions as s')
    .leftJoin('contacts as c', (join) =>
      join.onRef('c.workspaceId', '=', 's.workspaceId').onRef('c.id', '=', 's.contactId'),
    )
    .select([
      's.id',
      's.formId',
      's.contactId',
      's.submittedAt',
      's.values',
      's.isConsentGiven',
      's.touchpointId',
      'c.email as contactEmail',
      'c.firstName as contactFirstName',
      'c.lastName as contactLastName',
    ])
    .where('s.workspaceId', '=', workspaceId)
    .where('s.formId', '=', formId)
    .$if(after !== undefined, (q) => q.where('s.id', '<', String(after)))
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute()
}

export function insertSubmission(
  db: Kysely<DB>,
  values: {
    workspaceId: string
    id: string
    formId: string
    contactId: string | null
    values: Record<string, string | boolean>
    isConsentGiven: boolean
    ip: string | null
    anonymousId: string | null
    touchpointId: string | null
  },
) {
  return db
    .insertInto('formSubmissions')
    .values({ ...values, values: JSON.stringify(values.values) })
    .execute()
}

/** The contact an anonymous id is linked to (by an identify), if any. */
export async function findContactOfAnonymousId(
  db: Kysely<DB>,
  workspaceId: string,
  anonymousId: string,
) {
  const row = await db
    .selectFrom('identities')
    .select('recordId')
    .where('workspaceId', '=', workspaceId)
    .where('kind', '=', 'anonymous')
    .where('value', '=', anonymousId)
    .executeTakeFirst()
  return row?.recordId
}

/** The touchpoint a message became (the message-id table keeps it). */
export async function findTouchpointOfMessage(
  db: Kysely<DB>,
  workspaceId: string,
  messageId: string,
) {
  return db
    .selectFrom('touchpointMessageIds')
    .select(['touchpointId', 'occurredAt'])
    .where('workspaceId', '=', workspaceId)
    .where('messageId', '=', messageId)
    .executeTakeFirst()
}

export function findContactCustom(db: Kysely<DB>, workspaceId: string, contactId: string) {
  return db
    .selectFrom('contacts')
    .select(['custom', 'emailOptIn'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirst()
}

export function setContactCustom(
  db: Kysely<DB>,
  workspaceId: string,
  contactId: string,
  values: { custom?: Record<string, unknown>; emailOptIn?: boolean },
) {
  return db
    .updateTable('contacts')
    .set({
      ...(values.custom ? { custom: JSON.stringify(values.custom) } : {}),
      ...(values.emailOptIn !== undefined ? { emailOptIn: values.emailOptIn } : {}),
      updatedAt: new Date(),
    })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contactId)
    .execute()
}

export async function findContactOfTouch(
  db: Kysely<DB>,
  workspaceId: string,
  touch: { touchpointId: string; occurredAt: Date },
) {
  const row = await db
    .selectFrom('touchpoints')
    .select('contactId')
    .where('workspaceId', '=', workspaceId)
    .where('occurredAt', '=', touch.occurredAt)
    .where('id', '=', touch.touchpointId)
    .executeTakeFirst()
  return row?.contactId ?? null
}

/** The workspace's live account of this name (case-insensitive), when exactly one has it. */
export async function findAccountNamed(db: Kysely<DB>, workspaceId: string, name: string) {
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where(sql<string>`lower(name)`, '=', name.trim().toLowerCase())
    .where('deletedAt', 'is', null)
    .where('mergedInto', 'is', null)
    .limit(2)
    .execute()
  return rows.length === 1 ? (rows[0]?.id ?? null) : null
}

/** Puts a contact without an account at this one (a form's company never moves a contact). */
export function setContactAccountIfNone(
  db: Kysely<DB>,
  workspaceId: string,
  contactId: string,
  accountId: string,
) {
  return db
    .updateTable('contacts')
    .set({ accountId, updatedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contactId)
    .where('accountId', 'is', null)
    .execute()
}
