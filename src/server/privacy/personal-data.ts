import type { Kysely } from 'kysely'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { notFoundOrMerged } from '../merges/lookup.ts'

type Row = Record<string, unknown>

// Columns computed from others (search text, duplicate keys): nothing the person gave us.
const derived = new Set(['search', 'dupEmail', 'dupNamePhone', 'dupNameCompany'])
const held = (row: Row): Row =>
  Object.fromEntries(Object.entries(row).filter(([key]) => !derived.has(key)))

/** The live contact (not in the Trash, not merged away), locked when `forUpdate`. */
export async function requireContactRow(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  forUpdate = false,
) {
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .$if(forUpdate, (q) => q.forUpdate())
    .executeTakeFirst()
  if (!row) throw await notFoundOrMerged(db, workspaceId, 'contact', id, 'Contact not found')
  return row
}

/** The contact and the contacts merged into it: everything below is about all of them. */
export async function personIds(db: Kysely<DB>, workspaceId: string, id: string) {
  const absorbed = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('mergedInto', '=', id)
    .execute()
  return [id, ...absorbed.map((r) => r.id)]
}

/** Everything held about one person, as one JSON document (docs/privacy.md, "Export"). */
export async function collectPersonalData(db: Kysely<DB>, workspaceId: string, id: string) {
  const contact = await requireContactRow(db, workspaceId, id)
  const ids = await personIds(db, workspaceId, id)
  const ws = workspaceId
  const [merged, identities, touchpoints, activities, dealRoles, submissions] = await Promise.all([
    db
      .selectFrom('contacts')
      .selectAll()
      .where('workspaceId', '=', ws)
      .where('mergedInto', '=', id)
      .execute(),
    db
      .selectFrom('identities')
      .select(['kind', 'value', 'firstSeenAt'])
      .where('workspaceId', '=', ws)
      .where('recordId', 'in', ids)
      .where('kind', '<>', 'group')
      .orderBy('firstSeenAt')
      .execute(),
    db
      .selectFrom('touchpoints')
      .selectAll()
      .where('workspaceId', '=', ws)
      .where('contactId', 'in', ids)
      .orderBy('occurredAt')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('activities')
      .selectAll()
      .where('workspaceId', '=', ws)
      .where('contactId', 'in', ids)
      .orderBy('createdAt')
      .execute(),
    db
      .selectFrom('dealContacts as dc')
      .innerJoin('deals as d', (j) =>
        j.onRef('d.workspaceId', '=', 'dc.workspaceId').onRef('d.id', '=', 'dc.dealId'),
      )
      .select(['dc.dealId', 'd.name as dealName', 'dc.contactId', 'dc.role', 'dc.isPrimary'])
      .where('dc.workspaceId', '=', ws)
      .where('dc.contactId', 'in', ids)
      .execute(),
    db
      .selectFrom('formSubmissions as s')
      .leftJoin('forms as f', (j) =>
        j.onRef('f.workspaceId', '=', 's.workspaceId').onRef('f.id', '=', 's.formId'),
      )
      .selectAll('s')
      .select('f.name as formName')
      .where('s.workspaceId', '=', ws)
      .where('s.contactId', 'in', ids)
      .orderBy('s.submittedAt')
      .execute(),
  ])
  const [merges, lifecycle, audit] = await Promise.all([
    db
      .selectFrom('identityMerges')
      .selectAll()
      .where('workspaceId', '=', ws)
      .where('contactId', 'in', ids)
      .orderBy('mergedAt')
      .execute(),
    db
      .selectFrom('lifecycleEntries')
      .select(['recordId', 'stage', 'enteredAt', 'isReentry', 'source'])
      .where('workspaceId', '=', ws)
      .where('entity', '=', 'contact')
      .where('recordId', 'in', ids)
      .orderBy('enteredAt')
      .execute(),
    db
      .selectFrom('auditLog')
      .select(['id', 'at', 'actorType', 'actorName', 'action', 'targetId', 'details'])
      .where('workspaceId', '=', ws)
      .where('targetType', '=', 'contact')
      .where('targetId', 'in', ids)
      .orderBy('id')
      .execute(),
  ])
  const { workspaceId: _ws, ...contactRow } = held(contact)
  return {
    exportedAt: new Date().toISOString(),
    contactId: id,
    contact: contactRow,
    mergedContacts: merged.map(held),
    identities,
    emails: [...new Set([contact.email, ...merged.map((m) => m.email)].filter((e) => e !== null))],
    touchpoints,
    activities,
    dealRoles,
    formSubmissions: submissions,
    identityMerges: merges,
    lifecycle,
    auditEntries: audit,
  }
}

/** Exports a contact's personal data for its owner's request; the export itself is audited. */
export async function exportPersonalData(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'privacy:manage')
  const document = await collectPersonalData(db, workspaceId, id)
  await recordAudit(db, principal, workspaceId, {
    action: 'contact.personal_data_exported',
    targetType: 'contact',
    targetId: id,
    details: {
      identities: document.identities.length,
      touchpoints: document.touchpoints.length,
      formSubmissions: document.formSubmissions.length,
      activities: document.activities.length,
    },
  })
  return document
}
