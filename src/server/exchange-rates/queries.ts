import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function selectBaseCurrency(db: Kysely<DB>, workspaceId: string) {
  const row = await db
    .selectFrom('workspaces')
    .select('baseCurrency')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  return row.baseCurrency
}

export function selectRates(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('exchangeRates')
    .select(['currency', 'rateToBase', 'updatedAt'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('currency')
    .execute()
}

/** Replaces the workspace's whole table of rates. */
export async function replaceRates(
  db: Kysely<DB>,
  workspaceId: string,
  rates: { currency: string; rateToBase: number }[],
) {
  await db.deleteFrom('exchangeRates').where('workspaceId', '=', workspaceId).execute()
  if (rates.length === 0) return
  await db
    .insertInto('exchangeRates')
    .values(rates.map((r) => ({ workspaceId, currency: r.currency, rateToBase: r.rateToBase })))
    .execute()
}

/** Serialises concurrent replacements of one workspace's rates. */
export function lockWorkspace(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', workspaceId)
    .forUpdate()
    .executeTakeFirst()
}
