import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Natural keys of imports (issue 4): activities
// get an external reference like every other record, and the case-insensitive name lookups an
// import resolves related records by (account, campaign, deal by name) get indexes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table activities add column external_source text, add column external_id text;
    create unique index activities_external_key
      on activities (workspace_id, external_source, external_id) where external_id is not null;
    create index accounts_lower_name_idx on accounts (workspace_id, lower(name))
      where deleted_at is null;
    create index campaigns_lower_name_idx on campaigns (workspace_id, lower(name))
      where deleted_at is null;
    create index deals_lower_name_idx on deals (workspace_id, lower(name)) where deleted_at is null;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists activities_external_key, accounts_lower_name_idx, campaigns_lower_name_idx,
      deals_lower_name_idx;
    alter table activities drop column if exists external_source, drop column if exists external_id;
  `.execute(db)
}
