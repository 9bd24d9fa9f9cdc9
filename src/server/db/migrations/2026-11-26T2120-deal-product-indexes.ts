import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. `q` over product names (a generated search
// column with a pg_trgm index, like accounts), and indexes matching the product and deal list sorts
// (keyset pagination walks them in order, ARCHITECTURE.md "Paths that must stay fast"); deals
// without a close date sort last ('infinity').
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table products add column search text generated always as (lower(name)) stored;
    create index products_search_idx on products using gin (workspace_id, search gin_trgm_ops);
    create index products_name_idx on products (workspace_id, name, id) where deleted_at is null;
    create index deals_created_idx on deals (workspace_id, created_at, id) where deleted_at is null;
    create index deals_amount_idx on deals (workspace_id, amount, id) where deleted_at is null;
    create index deals_name_idx on deals (workspace_id, name, id) where deleted_at is null;
    create index deals_close_sort_idx
      on deals (workspace_id, coalesce(close_date, 'infinity'::date), id) where deleted_at is null;
    create index deals_owner_updated_idx
      on deals (workspace_id, owner_id, updated_at desc, id desc) where deleted_at is null;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists products_search_idx, products_name_idx, deals_created_idx, deals_amount_idx,
      deals_name_idx, deals_close_sort_idx, deals_owner_updated_idx;
    alter table products drop column if exists search;
  `.execute(db)
}
