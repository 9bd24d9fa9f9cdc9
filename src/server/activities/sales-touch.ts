import type { Kysely } from 'kysely'
import type { ActivityType, DB } from '../db/schema.ts'
import type { TouchpointType } from '../touchpoints/kinds.ts'
import { replaceActivityTouchpoint } from '../touchpoints/service.ts'
import { findAccountOf } from './queries.ts'

// DEFINITIONS.md (Touchpoints and channels): a rep's logged call, meeting or email is also a
// touchpoint, channel `sales`; notes and tasks are not.
const touchTypes: Partial<Record<ActivityType, TouchpointType>> = {
  call: 'call',
  meeting: 'meeting',
  email: 'sales_email',
}

/**
 * Makes the activity's `sales` touchpoint match it, in the caller's transaction: written for a
 * live call, meeting or email, removed otherwise. Its account is the activity's, else the
 * contact's, else the deal's (null when none of them has one).
 */
export async function syncActivityTouchpoint(
  trx: Kysely<DB>,
  workspaceId: string,
  activityId: string,
): Promise<void> {
  const activity = await trx
    .selectFrom('activities')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', activityId)
    .executeTakeFirst()
  const type = activity ? touchTypes[activity.type] : undefined
  if (!activity || !type || activity.deletedAt !== null || activity.occurredAt === null) {
    await replaceActivityTouchpoint(trx, workspaceId, activityId, null)
    return
  }
  let accountId = activity.accountId
  if (!accountId && activity.contactId)
    accountId = await findAccountOf(trx, workspaceId, 'contacts', activity.contactId)
  if (!accountId && activity.dealId)
    accountId = await findAccountOf(trx, workspaceId, 'deals', activity.dealId)
  await replaceActivityTouchpoint(trx, workspaceId, activityId, {
    occurredAt: activity.occurredAt,
    type,
    channel: 'sales',
    contactId: activity.contactId,
    accountId,
  })
}
