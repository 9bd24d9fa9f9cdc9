import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Records are looked up by external id alone
// (an import's batch, the list filter externalId), which the external keys could not serve with
// external_source first: each batch of a 1M-row import read the whole table. The same unique keys
// with external_id first serve both lookups; products and campaigns get the index they lacked.
const uniqueKeys = ['accounts', 'contacts', 'deals', 'activities'] as const
const plainKeys = ['products', 'campaigns'] as const

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of uniqueKeys) {
    await sql`
      drop index ${sql.id(`${table}_external_key`)};
      create unique index ${sql.id(`${table}_external_key`)}
        on ${sql.table(table)} (workspace_id, external_id, external_source)
        where external_id is not null;
    `.execute(db)
  }
  for (const table of plainKeys) {
    await sql`
      create index ${sql.id(`${table}_external_idx`)}
        on ${sql.table(table)} (workspace_id, external_id, external_source)
        where external_id is not null
    `.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of plainKeys) {
    await sql`drop index if exists ${sql.id(`${table}_external_idx`)}`.execute(db)
  }
  for (const table of uniqueKeys) {
    await sql`
      drop index ${sql.id(`${table}_external_key`)};
      create unique index ${sql.id(`${table}_external_key`)}
        on ${sql.table(table)} (workspace_id, external_source, external_id)
        where external_id is not null;
    `.execute(db)
  }
}
