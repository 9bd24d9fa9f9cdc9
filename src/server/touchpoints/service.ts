import { type Kysely, type SqlBool, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { PageQuery } from '../http/pagination.ts'
import { compileFilter, type FieldMap, parseFilterParam } from '../records/filter.ts'
import { parseSort, type Sortable, toPage } from '../records/list.ts'
import { type Channel, channels, type TouchpointType, touchpointTypes } from './kinds.ts'
import { presentTouchpoint } from './present.ts'
import {
  claimMessageId,
  deleteActivityTouchpoints,
  findActivityTouchpoints,
  findMessageId,
  selectTouchpointPage,
} from './queries.ts'

const When = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-27T10:00:00Z' })
  .or(z.iso.date({ error: 'must be an ISO 8601 date such as 2026-11-27' }))
  .optional()

export const TouchpointQuery = PageQuery.extend({
  contactId: z.uuid().optional().describe("the contact's touchpoints"),
  accountId: z.uuid().optional().describe("the account's touchpoints (all its contacts')"),
  campaignId: z.uuid().optional(),
  type: z.enum(touchpointTypes).optional(),
  from: When.describe('occurredAt at or after this time (a date means its start, UTC)'),
  to: When.describe('occurredAt before this time (a date means its start, UTC)'),
  filter: z.string().max(20_000).optional(),
  sort: z.string().max(60).optional(),
})
export type TouchpointQuery = z.infer<typeof TouchpointQuery>

const t = (column: string) => () => sql.ref(`t.${column}`)
export const touchpointFields: FieldMap = {
  id: { type: 'uuid', sql: t('id') },
  contactId: { type: 'uuid', sql: t('contactId') },
  accountId: { type: 'uuid', sql: t('accountId') },
  campaignId: { type: 'uuid', sql: t('campaignId') },
  activityId: { type: 'uuid', sql: t('activityId') },
  anonymousId: { type: 'text', sql: t('anonymousId') },
  type: { type: 'text', sql: t('type'), values: touchpointTypes },
  eventName: { type: 'text', sql: t('eventName') },
  channel: { type: 'text', sql: t('channel'), values: channels },
  occurredAt: { type: 'timestamp', sql: t('occurredAt') },
  isBot: { type: 'boolean', sql: t('isBot') },
}
const sortable: Record<string, Sortable> = {
  occurredAt: { type: 'timestamptz', sql: t('occurredAt') },
}

/** Touchpoints of the workspace, newest first, keyset-paged on (occurred_at, id). */
export async function listTouchpoints(db: Database, principal: Principal, query: TouchpointQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const filter = parseFilterParam(query.filter)
  const sort = parseSort(query.sort, sortable, '-occurredAt')
  const where = filter ? [compileFilter(filter, touchpointFields)] : []
  for (const key of ['contactId', 'accountId', 'campaignId', 'type'] as const) {
    const value = query[key]
    if (value !== undefined) where.push(sql<SqlBool>`${sql.ref(`t.${key}`)} = ${value}`)
  }
  if (query.from) where.push(sql<SqlBool>`t.occurred_at >= ${query.from}::timestamptz`)
  if (query.to) where.push(sql<SqlBool>`t.occurred_at < ${query.to}::timestamptz`)
  const rows = await selectTouchpointPage(db, workspaceId, where, sort, query.cursor, query.limit)
  return toPage(rows, query.limit, sort, presentTouchpoint)
}

export interface TouchpointInput {
  workspaceId: string
  occurredAt: Date
  type: TouchpointType
  channel: Channel
  id?: string
  contactId?: string | null
  anonymousId?: string | null
  accountId?: string | null
  eventName?: string | null
  campaignId?: string | null
  activityId?: string | null
  utm?: Record<string, string> | null
  referrer?: string | null
  url?: string | null
  properties?: Record<string, unknown>
  isBot?: boolean
  messageId?: string | null
}

/**
 * Writes one touchpoint in the caller's transaction. A message id already seen in the workspace
 * makes it a duplicate: nothing is written and the first touchpoint's id is returned.
 */
export async function recordTouchpoint(
  trx: Kysely<DB>,
  input: TouchpointInput,
): Promise<{ id: string; isDuplicate: boolean }> {
  const id = input.id ?? uuidv7()
  if (input.messageId) {
    const claimed = await claimMessageId(trx, {
      workspaceId: input.workspaceId,
      messageId: input.messageId,
      touchpointId: id,
      occurredAt: input.occurredAt,
    })
    if (!claimed) {
      const first = await findMessageId(trx, input.workspaceId, input.messageId)
      return { id: first?.touchpointId ?? id, isDuplicate: true }
    }
  }
  await trx
    .insertInto('touchpoints')
    .values({
      workspaceId: input.workspaceId,
      occurredAt: input.occurredAt,
      id,
      contactId: input.contactId ?? null,
      anonymousId: input.anonymousId ?? null,
      accountId: input.accountId ?? null,
      type: input.type,
      eventName: input.eventName ?? null,
      channel: input.channel,
      campaignId: input.campaignId ?? null,
      activityId: input.activityId ?? null,
      utm: input.utm ? JSON.stringify(input.utm) : null,
      referrer: input.referrer ?? null,
      url: input.url ?? null,
      properties: JSON.stringify(input.properties ?? {}),
      isBot: input.isBot ?? false,
      messageId: input.messageId ?? null,
    })
    .execute()
  return { id, isDuplicate: false }
}

/**
 * Makes an activity's touchpoint match it: removes what it had and, when `touch` is given, writes
 * it again under the same id (an update may move it to another month's partition).
 */
export async function replaceActivityTouchpoint(
  trx: Kysely<DB>,
  workspaceId: string,
  activityId: string,
  touch: Omit<TouchpointInput, 'workspaceId' | 'activityId' | 'id'> | null,
): Promise<void> {
  const existing = await findActivityTouchpoints(trx, workspaceId, activityId)
  if (existing.length > 0) await deleteActivityTouchpoints(trx, workspaceId, activityId)
  if (touch) {
    await recordTouchpoint(trx, {
      ...touch,
      workspaceId,
      activityId,
      id: existing[0]?.id ?? uuidv7(),
    })
  }
}
