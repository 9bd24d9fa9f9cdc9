import { type Kysely, type RawBuilder, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { DB } from '../db/schema.ts'
import { trashDays } from '../records/common.ts'
import type { TrashEntity } from './queries.ts'

type Counts = Map<string, Partial<Record<TrashEntity, number>>>

const expired = (table: string, cutoff: Date) =>
  sql`(select workspace_id, id from ${sql.table(table)} where deleted_at < ${cutoff})`

// Each step: detach what still points at the expiring rows (live rows keep living, without the
// link), then delete them. Order matters: activities, deals, contacts, accounts, campaigns,
// products, so each step finds its children already gone or detached.
function steps(cutoff: Date): [TrashEntity, RawBuilder<unknown>[], string][] {
  const gone = (table: string) => expired(table, cutoff)
  return [
    ['activity', [], 'activities'],
    [
      'deal',
      [sql`update activities set deal_id = null where (workspace_id, deal_id) in ${gone('deals')}`],
      'deals',
    ],
    [
      'contact',
      [
        sql`update activities set contact_id = null where (workspace_id, contact_id) in ${gone('contacts')}`,
        // A purged person's touches go with them; the message ids stay, so a replayed event
        // cannot bring them back.
        sql`delete from touchpoints where (workspace_id, contact_id) in ${gone('contacts')}`,
        sql`delete from lifecycle_entries where entity = 'contact'
          and (workspace_id, record_id) in ${gone('contacts')}`,
      ],
      'contacts',
    ],
    [
      'account',
      [
        sql`update contacts set account_id = null where (workspace_id, account_id) in ${gone('accounts')}`,
        sql`update deals set account_id = null where (workspace_id, account_id) in ${gone('accounts')}`,
        sql`update activities set account_id = null where (workspace_id, account_id) in ${gone('accounts')}`,
        sql`update touchpoints set account_id = null where (workspace_id, account_id) in ${gone('accounts')}`,
        sql`delete from lifecycle_entries where entity = 'account'
          and (workspace_id, record_id) in ${gone('accounts')}`,
      ],
      'accounts',
    ],
    [
      'campaign',
      [
        sql`update deals set source_campaign_id = null
          where (workspace_id, source_campaign_id) in ${gone('campaigns')}`,
        sql`update touchpoints set campaign_id = null where (workspace_id, campaign_id) in ${gone('campaigns')}`,
      ],
      'campaigns',
    ],
    ['product', [], 'products'],
  ]
}

/**
 * Hard-deletes what has been in the Trash for more than 30 days, oldest dependants first, and
 * writes one audit row per workspace with the counts. A product still on a deal's line items
 * is kept (hidden, as it is past restoring) until the deal goes.
 */
export async function purgeTrash(db: Kysely<DB>, now = new Date()) {
  const cutoff = new Date(now.getTime() - trashDays * 86_400_000)
  const counts: Counts = new Map()
  for (const [entity, detach, table] of steps(cutoff)) {
    await db.transaction().execute(async (trx) => {
      for (const statement of detach) await statement.execute(trx)
      const keep =
        table === 'products'
          ? sql`and not exists (select 1 from deal_line_items li
              where li.workspace_id = p.workspace_id and li.product_id = p.id)`
          : sql``
      const result = await sql<{ workspaceId: string; count: number }>`
        with gone as (
          delete from ${sql.table(table)} p where p.deleted_at < ${cutoff} ${keep}
          returning p.workspace_id
        )
        select workspace_id, count(*)::int as count from gone group by workspace_id
      `.execute(trx)
      for (const row of result.rows) {
        counts.set(row.workspaceId, { ...counts.get(row.workspaceId), [entity]: row.count })
      }
    })
  }
  if (counts.size > 0) {
    await db
      .insertInto('auditLog')
      .values(
        [...counts].map(([workspaceId, purged]) => ({
          workspaceId,
          id: uuidv7(),
          actorType: 'system' as const,
          actorId: null,
          actorName: 'Trash purge',
          action: 'trash.purge',
          targetType: 'trash',
          details: JSON.stringify({ purged, deletedBefore: cutoff.toISOString() }),
        })),
      )
      .execute()
  }
  return counts
}
