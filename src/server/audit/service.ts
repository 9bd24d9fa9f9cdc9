import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { actorFields, type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts'
import { presentAuditEntry } from './present.ts'

export interface AuditEvent {
  action: string
  targetType: string
  targetId?: string | null
  details?: Record<string, unknown>
}

/** Writes one audit row (who, when, what) in the caller's transaction. */
export async function recordAudit(
  db: Kysely<DB>,
  principal: Principal,
  workspaceId: string,
  event: AuditEvent,
): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      workspaceId,
      id: uuidv7(),
      ...actorFields(principal),
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute()
}

/** The workspace's audit log, newest first, for admins. */
export async function listAuditLog(db: Database, principal: Principal, page: Page) {
  const { workspaceId } = requirePermission(principal, 'audit:read')
  const after = decodeCursor(page.cursor, ['id'])
  const rows = await db
    .selectFrom('auditLog')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .$if(after !== undefined, (q) => q.where('id', '<', String(after?.id)))
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute()
  const more = rows.length > page.limit
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  return {
    data: data.map(presentAuditEntry),
    nextCursor: more && last ? encodeCursor({ id: last.id }) : null,
  }
}
