import type { Selectable } from 'kysely'
import type { NotificationsTable } from '../db/schema.ts'

export type NotificationRow = Selectable<NotificationsTable>

export function presentNotification(row: NotificationRow) {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt ? row.readAt.toISOString() : null,
  }
}
