import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { PageQuery } from '../http/pagination.ts'
import { parseSort, type Sortable, toPage } from '../records/list.ts'
import { presentNotification } from './present.ts'
import {
  countUnreadNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  type Recipient,
  selectAdminIds,
  selectMemberIds,
  selectNotificationPage,
} from './queries.ts'

export const NotificationQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true` lists only unread notifications; otherwise all, read or not'),
})
export type NotificationQuery = z.infer<typeof NotificationQuery>

export interface NotifyInput {
  workspaceId: string
  userIds: readonly string[]
  /** What happened, in snake_case, e.g. `handoff_assigned`, `sla_breached`: the web may pick an icon by it. */
  kind: string
  title: string
  body?: string | null
  /** A path inside the web app (e.g. `/microscope/inbox/…`) opened when the notification is clicked. */
  link?: string | null
}

/**
 * Puts one notification in the centre of each distinct person named, in the caller's transaction so
 * it exists exactly when what it announces does. People who are no longer members are skipped.
 */
export async function notify(trx: Kysely<DB>, input: NotifyInput): Promise<void> {
  await notifyAll(trx, [input])
}

/**
 * Many notifications in one go (the SLA scan's batches): one membership query per workspace and one
 * insert, instead of two queries per notification.
 */
export async function notifyAll(trx: Kysely<DB>, inputs: readonly NotifyInput[]): Promise<void> {
  const byWorkspace = new Map<string, NotifyInput[]>()
  for (const input of inputs) {
    byWorkspace.set(input.workspaceId, [...(byWorkspace.get(input.workspaceId) ?? []), input])
  }
  const rows = []
  for (const [workspaceId, items] of byWorkspace) {
    const wanted = [...new Set(items.flatMap((i) => i.userIds))]
    if (wanted.length === 0) continue
    const members = new Set(await selectMemberIds(trx, workspaceId, wanted))
    for (const input of items) {
      for (const userId of new Set(input.userIds)) {
        if (!members.has(userId)) continue
        rows.push({
          workspaceId,
          id: uuidv7(),
          userId,
          kind: input.kind,
          title: input.title,
          body: input.body ?? null,
          link: input.link ?? null,
        })
      }
    }
  }
  for (let i = 0; i < rows.length; i += 2000) {
    await trx
      .insertInto('notifications')
      .values(rows.slice(i, i + 2000))
      .execute()
  }
}

/** The workspace's admins, who hear about what has no owner yet (e.g. an unassigned handoff). */
export function workspaceAdminIds(trx: Kysely<DB>, workspaceId: string): Promise<string[]> {
  return selectAdminIds(trx, workspaceId)
}

const sortable: Record<string, Sortable> = {
  createdAt: { type: 'timestamptz', sql: () => sql.ref('n.createdAt') },
}

// Notifications belong to a person; an API key (or the CLI) acts for no one in particular.
function requireRecipient(principal: Principal): Recipient {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  if (principal.kind !== 'user') {
    throw new AppError('forbidden', 'Notifications belong to people: sign in to read them')
  }
  return { workspaceId, userId: principal.userId }
}

/** The signed-in person's notifications, newest first. */
export async function listNotifications(
  db: Kysely<DB>,
  principal: Principal,
  query: NotificationQuery,
) {
  const recipient = requireRecipient(principal)
  const sort = parseSort(undefined, sortable, '-createdAt')
  const rows = await selectNotificationPage(db, recipient, {
    unreadOnly: query.unread === 'true',
    sort,
    cursor: query.cursor,
    limit: query.limit,
  })
  return toPage(rows, query.limit, sort, presentNotification)
}

/** How many of the person's notifications are unread: the badge on the bell. */
export async function countUnread(db: Kysely<DB>, principal: Principal) {
  return { count: await countUnreadNotifications(db, requireRecipient(principal)) }
}

/** Marks one of the person's notifications read; anyone else's is not_found. */
export async function readNotification(db: Kysely<DB>, principal: Principal, id: string) {
  const row = await markNotificationRead(db, requireRecipient(principal), id)
  if (!row) throw new AppError('not_found', 'Notification not found')
  return presentNotification(row)
}

/** Marks every unread notification of the person read; answers how many it marked. */
export async function readAllNotifications(db: Kysely<DB>, principal: Principal) {
  return { count: await markAllNotificationsRead(db, requireRecipient(principal)) }
}
