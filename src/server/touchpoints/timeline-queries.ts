import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'

/** Whose timeline: a contact, an account (all its contacts) or a deal (its account or contacts). */
export type TimelineScope =
  | { kind: 'contact'; id: string }
  | { kind: 'account'; id: string }
  | { kind: 'deal'; id: string; accountId: string | null }

export interface TimelineKey {
  kind: 'touchpoint' | 'activity'
  at: Date
  atKey: string
  id: string
}

// The time an activity sits at on a timeline: when it happened, else when it was done or is due.
const activityAt = sql`coalesce(a.occurred_at, a.done_at, a.due_at, a.created_at)`

function accountContacts(workspaceId: string, accountId: string) {
  return sql`(select c.id from contacts c where c.workspace_id = ${workspaceId}
    and c.account_id = ${accountId} and c.deleted_at is null)`
}

function touchpointScope(workspaceId: string, scope: TimelineScope): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'contact':
      return sql<SqlBool>`t.contact_id = ${scope.id}`
    case 'account':
      return sql<SqlBool>`(t.account_id = ${scope.id}
        or t.contact_id in ${accountContacts(workspaceId, scope.id)})`
    case 'deal': {
      // DEFINITIONS.md (Attribution): a deal's journey is its account's touches (all its
      // contacts), or its contacts' when it has no account; plus the deal's own sales touches.
      const people = scope.accountId
        ? sql`(t.account_id = ${scope.accountId}
            or t.contact_id in ${accountContacts(workspaceId, scope.accountId)})`
        : sql`t.contact_id in (select dc.contact_id from deal_contacts dc
            where dc.workspace_id = ${workspaceId} and dc.deal_id = ${scope.id})`
      return sql<SqlBool>`(${people} or t.activity_id in (select d.id from activities d
        where d.workspace_id = ${workspaceId} and d.deal_id = ${scope.id}))`
    }
  }
}

function activityScope(workspaceId: string, scope: TimelineScope): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'contact':
      return sql<SqlBool>`a.contact_id = ${scope.id}`
    case 'account':
      return sql<SqlBool>`(a.account_id = ${scope.id}
        or a.contact_id in ${accountContacts(workspaceId, scope.id)})`
    case 'deal':
      return sql<SqlBool>`a.deal_id = ${scope.id}`
  }
}

/**
 * One page of a timeline's keys, newest first: the newest limit + 1 of each kind after the
 * cursor, merged. Each side is keyset-ordered on its own, so no side is read past the page.
 */
export async function selectTimelineKeys(
  db: Database,
  workspaceId: string,
  scope: TimelineScope,
  after: { at: string; id: string } | undefined,
  limit: number,
) {
  const afterTouch = after
    ? sql`and (t.occurred_at, t.id) < (${after.at}::timestamptz, ${after.id}::uuid)`
    : sql``
  const afterActivity = after
    ? sql`and (${activityAt}, a.id) < (${after.at}::timestamptz, ${after.id}::uuid)`
    : sql``
  const result = await sql<TimelineKey>`
    select kind, at, at::text as at_key, id from (
      (select 'touchpoint' as kind, t.occurred_at as at, t.id
        from touchpoints t
        where t.workspace_id = ${workspaceId} and ${touchpointScope(workspaceId, scope)}
          ${afterTouch}
        order by t.occurred_at desc, t.id desc
        limit ${limit + 1})
      union all
      (select 'activity' as kind, ${activityAt} as at, a.id
        from activities a
        where a.workspace_id = ${workspaceId} and a.deleted_at is null
          and ${activityScope(workspaceId, scope)} ${afterActivity}
        order by 2 desc, 3 desc
        limit ${limit + 1})
    ) page
    order by at desc, id desc
    limit ${limit + 1}
  `.execute(db)
  return result.rows
}

export function selectTouchpointsByKey(
  db: Kysely<DB>,
  workspaceId: string,
  keys: { id: string; at: Date }[],
) {
  if (keys.length === 0) return Promise.resolve([])
  return db
    .selectFrom('touchpoints')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where(
      'occurredAt',
      'in',
      keys.map((k) => k.at),
    )
    .where(
      'id',
      'in',
      keys.map((k) => k.id),
    )
    .execute()
}

export function selectActivitiesById(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .selectFrom('activities')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .execute()
}
