import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { afterCursor, orderBy, type Sort, sortKey } from '../records/list.ts'

function selectCampaigns(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('campaigns as c')
    .leftJoin('users as o', 'o.id', 'c.ownerId')
    .selectAll('c')
    .select('o.name as ownerName')
    .where('c.workspaceId', '=', workspaceId)
    .where('c.deletedAt', 'is', null)
}

export function selectCampaignPage(
  db: Database,
  workspaceId: string,
  where: Expression<SqlBool>[],
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'c.id')
  return selectCampaigns(db, workspaceId)
    .select(sortKey(sort).as('sortKey'))
    .$if(where.length > 0, (q) => q.where((eb) => eb.and(where)))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 'c.id'))
    .limit(limit + 1)
    .execute()
}

export function findCampaign(db: Kysely<DB>, workspaceId: string, id: string) {
  return selectCampaigns(db, workspaceId).where('c.id', '=', id).executeTakeFirst()
}

export function lockCampaign(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

export function sumCampaignCosts(db: Kysely<DB>, workspaceId: string, campaignId: string) {
  return db
    .selectFrom('campaignCosts')
    .select(['currency', sql<number>`sum(amount)::bigint`.as('amount')])
    .where('workspaceId', '=', workspaceId)
    .where('campaignId', '=', campaignId)
    .groupBy('currency')
    .orderBy('currency')
    .execute()
}

export function findWorkspaceCurrency(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('workspaces')
    .select('baseCurrency')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
}

/** Serialises changes to utm_campaign values within a workspace, so uniqueness holds under races. */
export async function lockUtmCampaigns(db: Kysely<DB>, workspaceId: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${`campaigns.utm:${workspaceId}`}))`.execute(db)
}

/** Live campaigns (other than `exceptId`) holding any of these utm_campaign values, any case. */
export function selectUtmHolders(
  db: Kysely<DB>,
  workspaceId: string,
  values: string[],
  exceptId: string | undefined,
) {
  const lowered = values.map((v) => v.toLowerCase())
  return db
    .selectFrom('campaigns')
    .select(['id', 'name', 'utmCampaigns'])
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .where(
      sql<SqlBool>`exists (select 1 from unnest(utm_campaigns) u where lower(u) = any(${lowered}::text[]))`,
    )
    .execute()
}

export function selectCostPage(
  db: Database,
  workspaceId: string,
  campaignId: string,
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'k.id')
  return db
    .selectFrom('campaignCosts as k')
    .selectAll('k')
    .select(sortKey(sort).as('sortKey'))
    .where('k.workspaceId', '=', workspaceId)
    .where('k.campaignId', '=', campaignId)
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 'k.id'))
    .limit(limit + 1)
    .execute()
}
