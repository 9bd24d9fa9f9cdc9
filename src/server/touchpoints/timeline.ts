import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts'
import { presentActivityItem, presentTouchpointItem } from './present.ts'
import { findDealAccount, hasRecord } from './queries.ts'
import {
  selectActivitiesById,
  selectTimelineKeys,
  selectTouchpointsByKey,
  type TimelineScope,
} from './timeline-queries.ts'

export type TimelineEntity = 'contact' | 'account' | 'deal'
type TimelineItem =
  | ReturnType<typeof presentTouchpointItem>
  | ReturnType<typeof presentActivityItem>

const labels: Record<TimelineEntity, string> = {
  contact: 'Contact',
  account: 'Account',
  deal: 'Deal',
}

async function resolveScope(
  db: Database,
  workspaceId: string,
  entity: TimelineEntity,
  id: string,
): Promise<TimelineScope | undefined> {
  if (entity === 'deal') {
    const deal = await findDealAccount(db, workspaceId, id)
    return deal ? { kind: 'deal', id, accountId: deal.accountId } : undefined
  }
  const table = entity === 'contact' ? 'contacts' : 'accounts'
  return (await hasRecord(db, workspaceId, table, id)) ? { kind: entity, id } : undefined
}

/**
 * One record's touchpoints and activities merged, newest first, in cursor pages. An account's
 * timeline holds all its contacts' touches and the activities on it or its contacts.
 */
export async function getTimeline(
  db: Database,
  principal: Principal,
  entity: TimelineEntity,
  id: string,
  page: Page,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const scope = await resolveScope(db, workspaceId, entity, id)
  if (!scope) throw new AppError('not_found', `${labels[entity]} not found`)
  const cursor = decodeCursor(page.cursor, ['at', 'id'])
  const after = cursor ? { at: String(cursor.at), id: String(cursor.id) } : undefined
  const keys = await selectTimelineKeys(db, workspaceId, scope, after, page.limit)
  const pageKeys = keys.slice(0, page.limit)
  const [touchpoints, activities] = await Promise.all([
    selectTouchpointsByKey(
      db,
      workspaceId,
      pageKeys.filter((k) => k.kind === 'touchpoint'),
    ),
    selectActivitiesById(
      db,
      workspaceId,
      pageKeys.filter((k) => k.kind === 'activity').map((k) => k.id),
    ),
  ])
  const touchById = new Map(touchpoints.map((t) => [t.id, t]))
  const activityById = new Map(activities.map((a) => [a.id, a]))
  const data = pageKeys.flatMap((key): TimelineItem[] => {
    if (key.kind === 'touchpoint') {
      const row = touchById.get(key.id)
      return row ? [presentTouchpointItem(row)] : []
    }
    const row = activityById.get(key.id)
    return row ? [presentActivityItem(row, key.at)] : []
  })
  const last = pageKeys.at(-1)
  return {
    data,
    nextCursor:
      keys.length > page.limit && last ? encodeCursor({ at: last.atKey, id: last.id }) : null,
  }
}
