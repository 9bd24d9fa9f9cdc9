import type { Selectable } from 'kysely'
import type { ActivitiesTable } from '../db/schema.ts'

export type ActivityRow = Selectable<ActivitiesTable> & {
  ownerName: string | null
  contactName: string | null
  contactEmail: string | null
  accountName: string | null
  dealName: string | null
}

export function presentActivity(row: ActivityRow) {
  return {
    id: row.id,
    type: row.type,
    subject: row.subject,
    body: row.body,
    contactId: row.contactId,
    contact: row.contactId
      ? { id: row.contactId, name: row.contactName ?? row.contactEmail ?? '' }
      : null,
    accountId: row.accountId,
    account: row.accountId ? { id: row.accountId, name: row.accountName ?? '' } : null,
    dealId: row.dealId,
    deal: row.dealId ? { id: row.dealId, name: row.dealName ?? '' } : null,
    ownerId: row.ownerId,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? '' } : null,
    occurredAt: row.occurredAt?.toISOString() ?? null,
    dueAt: row.dueAt?.toISOString() ?? null,
    doneAt: row.doneAt?.toISOString() ?? null,
    done: row.doneAt !== null,
    outcome: row.outcome,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
