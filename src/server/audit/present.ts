import type { Selectable } from 'kysely'
import type { AuditLogTable } from '../db/schema.ts'

export function presentAuditEntry(row: Selectable<AuditLogTable>) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { type: row.actorType, id: row.actorId, name: row.actorName },
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    details: row.details,
  }
}
