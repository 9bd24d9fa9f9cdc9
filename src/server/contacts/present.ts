import type { Selectable } from 'kysely'
import type { ContactsTable } from '../db/schema.ts'

export type ContactListRow = Selectable<ContactsTable> & {
  ownerName: string | null
  accountName: string | null
}

export function presentContact(row: ContactListRow) {
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    title: row.title,
    persona: row.persona,
    phone: row.phone,
    accountId: row.accountId,
    account:
      row.accountId && row.accountName !== null
        ? { id: row.accountId, name: row.accountName }
        : null,
    lifecycleStage: row.lifecycleStage,
    leadStatus: row.leadStatus,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? '' } : null,
    ownerId: row.ownerId,
    source: row.source,
    firstTouchUtm: row.firstTouchUtm,
    lastTouchUtm: row.lastTouchUtm,
    traits: row.traits,
    identifiedAt: row.identifiedAt?.toISOString() ?? null,
    leadCreation:
      row.leadCreationTouchpointId && row.leadCreationAt && row.leadCreationType
        ? {
            touchpointId: row.leadCreationTouchpointId,
            at: row.leadCreationAt.toISOString(),
            type: row.leadCreationType,
          }
        : null,
    emailOptIn: row.emailOptIn,
    doNotContact: row.doNotContact,
    recycleUntil: row.recycleUntil,
    custom: row.custom,
    externalSource: row.externalSource,
    externalId: row.externalId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
    erasedAt: row.erasedAt?.toISOString() ?? null,
  }
}
