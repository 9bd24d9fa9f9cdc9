import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { trashDays } from '../records/common.ts'
import { afterCursor, type Sort } from '../records/list.ts'

export const trashEntities = [
  'account',
  'contact',
  'deal',
  'activity',
  'campaign',
  'product',
] as const
export type TrashEntity = (typeof trashEntities)[number]

export const tableOf = {
  account: 'accounts',
  contact: 'contacts',
  deal: 'deals',
  activity: 'activities',
  campaign: 'campaigns',
  product: 'products',
} as const satisfies Record<TrashEntity, keyof DB>

// What the Trash shows as a record's name.
const labelOf: Record<TrashEntity, RawBuilder<string>> = {
  account: sql`x.name`,
  contact: sql`coalesce(nullif(trim(concat_ws(' ', x.first_name, x.last_name)), ''), x.email, '')`,
  deal: sql`x.name`,
  activity: sql`x.subject`,
  campaign: sql`x.name`,
  product: sql`x.name`,
}

// A contact or account merged into another is gone for good: its history lives on the survivor.
const restorableOf = (entity: TrashEntity) => sql<SqlBool>`x.deleted_at is not null
  and x.deleted_at > now() - make_interval(days => ${trashDays})
  ${entity === 'contact' || entity === 'account' ? sql`and x.merged_into is null` : sql``}`

export interface TrashRow {
  id: string
  name: string
  deletedAt: Date
  sortKey: string
}

/** Records of one entity deleted within the last 30 days, newest deletion first. */
export async function selectTrashPage(
  db: Database,
  workspaceId: string,
  entity: TrashEntity,
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'x.id') as Expression<SqlBool> | undefined
  const result = await sql<TrashRow>`
    select x.id, ${labelOf[entity]} as name, x.deleted_at, x.deleted_at::text as sort_key
    from ${sql.table(tableOf[entity])} x
    where x.workspace_id = ${workspaceId} and ${restorableOf(entity)} ${after ? sql`and ${after}` : sql``}
    order by x.deleted_at desc, x.id desc
    limit ${limit + 1}
  `.execute(db)
  return result.rows
}

/** The unique key (other than external ids) that a restored record must not collide on. */
export const uniqueKeyOf = { account: 'domain', contact: 'email', product: 'name' } as const

/** Locks a record still restorable from the Trash, with the values its unique keys need. */
export async function lockTrashed(
  db: Kysely<DB>,
  workspaceId: string,
  entity: TrashEntity,
  id: string,
) {
  const key =
    entity === 'account' || entity === 'contact' || entity === 'product'
      ? sql`${sql.ref(`x.${uniqueKeyOf[entity]}`)}::text`
      : sql`null::text`
  const utm = entity === 'campaign' ? sql`x.utm_campaigns` : sql`'{}'::text[]`
  const result = await sql<{ name: string; uniqueKey: string | null; utmCampaigns: string[] }>`
    select ${labelOf[entity]} as name, ${key} as unique_key, ${utm} as utm_campaigns
    from ${sql.table(tableOf[entity])} x
    where x.workspace_id = ${workspaceId} and x.id = ${id} and ${restorableOf(entity)}
    for update
  `.execute(db)
  return result.rows[0]
}

/** A live record that now holds the unique key the trashed one had. */
export function findKeyHolder(
  db: Kysely<DB>,
  workspaceId: string,
  entity: 'account' | 'contact' | 'product',
  value: string,
) {
  // products_name_key is on lower(name); domains and emails are unique as stored.
  const match =
    entity === 'product'
      ? sql`lower(x.name) = lower(${value})`
      : sql`${sql.ref(`x.${uniqueKeyOf[entity]}`)} = ${value}`
  return sql<{ id: string; name: string }>`
    select x.id, ${labelOf[entity]} as name from ${sql.table(tableOf[entity])} x
    where x.workspace_id = ${workspaceId} and x.deleted_at is null and ${match}
    limit 1
  `
    .execute(db)
    .then((r) => r.rows[0])
}

export function undelete(db: Kysely<DB>, workspaceId: string, entity: TrashEntity, id: string) {
  return sql`
    update ${sql.table(tableOf[entity])} set deleted_at = null, updated_at = now()
    where workspace_id = ${workspaceId} and id = ${id}
  `.execute(db)
}
