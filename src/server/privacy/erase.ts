import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { recordAudit } from '../audit/service.ts'
import { actorFields, type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { personIds, requireContactRow } from './personal-data.ts'
import { emailHash } from './suppressions.ts'

/** What an erased contact is called wherever a name is shown (docs/privacy.md). */
export const erasedName = 'Erased contact'

/** The subject an erased person's activities keep (the column needs 1-300 characters). */
const erasedSubject = '(erased)'

export interface EraseResult {
  erasedAt: string
  suppressedEmails: number
  identitiesDeleted: number
  touchpointsCleared: number
  formSubmissionsCleared: number
  activitiesCleared: number
  mergedContactsErased: number
}

/**
 * Erases a person's personal data on request (GDPR art. 17), in one transaction: the contact (and
 * the contacts merged into it) keeps its row, stage history, deals and the anonymous aggregates of
 * its touches, so reports still count it; names, email, phone, traits, custom values, identities,
 * form answers, touch context and activity texts go; its emails are suppressed. `confirm` must be
 * its email (or its id without one).
 */
export async function eraseContact(
  db: Database,
  principal: Principal,
  id: string,
  confirm: string,
): Promise<EraseResult> {
  const { workspaceId } = requirePermission(principal, 'privacy:manage')
  return db.transaction().execute(async (trx) => {
    // Taken first, like an ingestion flush (writer.ts): no flush re-links the person meanwhile.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`tandem.ingest:${workspaceId}`}, 0))`.execute(
      trx,
    )
    const contact = await requireContactRow(trx, workspaceId, id, true)
    if (contact.erasedAt) {
      throw new AppError('conflict', 'This contact was already erased', {
        erasedAt: contact.erasedAt.toISOString(),
      })
    }
    const expected = contact.email ?? contact.id
    if (confirm.trim().toLowerCase() !== expected.toLowerCase()) {
      throw new AppError(
        'invalid_input',
        `confirm: must be the contact's ${contact.email ? 'email' : 'id'}, typed out to confirm the erasure`,
        { field: 'confirm' },
      )
    }
    const ids = await personIds(trx, workspaceId, id)
    const rows = await trx
      .selectFrom('contacts')
      .select(['email', 'traits'])
      .where('workspaceId', '=', workspaceId)
      .where('id', 'in', ids)
      .execute()
    const emails = new Set<string>()
    for (const row of rows) {
      if (row.email) emails.add(row.email)
      const trait = row.traits?.email
      if (typeof trait === 'string' && trait.includes('@')) emails.add(trait.trim().toLowerCase())
    }
    const at = new Date()
    const result = await eraseRows(trx, workspaceId, ids, at)
    const { actorName } = actorFields(principal)
    const hashes = [...new Set([...emails].map(emailHash))]
    if (hashes.length > 0) {
      await trx
        .insertInto('suppressions')
        .values(
          hashes.map((hash) => ({
            workspaceId,
            id: uuidv7(),
            emailHash: hash,
            reason: 'erased' as const,
            createdBy: actorName,
          })),
        )
        .onConflict((oc) => oc.columns(['workspaceId', 'emailHash']).doNothing())
        .execute()
    }
    // Earlier audit entries about the person held their email and names (contact.create and
    // contact.update details): who did what and when stays, the details go.
    await trx
      .updateTable('auditLog')
      .set({ details: JSON.stringify({ erased: true }) })
      .where('workspaceId', '=', workspaceId)
      .where('targetType', '=', 'contact')
      .where('targetId', 'in', ids)
      .execute()
    const summary: EraseResult = {
      erasedAt: at.toISOString(),
      suppressedEmails: hashes.length,
      ...result,
      mergedContactsErased: ids.length - 1,
    }
    await recordAudit(trx, principal, workspaceId, {
      action: 'contact.erased',
      targetType: 'contact',
      targetId: id,
      details: { ...summary },
    })
    return summary
  })
}

async function eraseRows(trx: Kysely<DB>, workspaceId: string, ids: string[], at: Date) {
  await trx
    .updateTable('contacts')
    .set({
      email: null,
      firstName: null,
      lastName: erasedName,
      title: null,
      phone: null,
      traits: null,
      custom: '{}',
      externalSource: null,
      externalId: null,
      emailOptIn: false,
      doNotContact: true,
      erasedAt: at,
      updatedAt: at,
    })
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .execute()
  const identities = await trx
    .deleteFrom('identities')
    .where('workspaceId', '=', workspaceId)
    .where('recordId', 'in', ids)
    .where('kind', 'in', ['user', 'anonymous'])
    .executeTakeFirst()
  await trx
    .deleteFrom('identityMerges')
    .where('workspaceId', '=', workspaceId)
    .where('contactId', 'in', ids)
    .execute()
  const submissions = await trx
    .updateTable('formSubmissions')
    .set({ values: '{}', ip: null, anonymousId: null })
    .where('workspaceId', '=', workspaceId)
    .where('contactId', 'in', ids)
    .executeTakeFirst()
  // Type, channel, campaign, UTM values, time and account stay: the anonymous aggregates.
  const touchpoints = await trx
    .updateTable('touchpoints')
    .set({
      anonymousId: null,
      url: sql<string | null>`nullif(regexp_replace(url, '[?#].*$', ''), '')`,
      referrer: null,
      context: null,
      properties: '{}',
      messageId: null,
    })
    .where('workspaceId', '=', workspaceId)
    .where('contactId', 'in', ids)
    .executeTakeFirst()
  const activities = await trx
    .updateTable('activities')
    .set({ subject: erasedSubject, body: null, updatedAt: at })
    .where('workspaceId', '=', workspaceId)
    .where('contactId', 'in', ids)
    .executeTakeFirst()
  return {
    identitiesDeleted: Number(identities.numDeletedRows),
    touchpointsCleared: Number(touchpoints.numUpdatedRows),
    formSubmissionsCleared: Number(submissions.numUpdatedRows),
    activitiesCleared: Number(activities.numUpdatedRows),
  }
}
