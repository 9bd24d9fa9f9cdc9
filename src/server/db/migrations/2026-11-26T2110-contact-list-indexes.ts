import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Indexes matching the contact list's sorts
// (keyset pagination walks them in order, ARCHITECTURE.md "Paths that must stay fast"): createdAt,
// lastName and email (nullable columns sort as ''), plus the filtered sorts people use most:
// one owner's contacts and one lifecycle stage's contacts, most recently updated first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index contacts_created_idx on contacts (workspace_id, created_at, id)
      where deleted_at is null;
    create index contacts_last_name_idx on contacts (workspace_id, coalesce(last_name, ''), id)
      where deleted_at is null;
    create index contacts_email_sort_idx on contacts (workspace_id, coalesce(email, ''), id)
      where deleted_at is null;
    create index contacts_owner_updated_idx
      on contacts (workspace_id, owner_id, updated_at desc, id desc) where deleted_at is null;
    create index contacts_stage_updated_idx
      on contacts (workspace_id, lifecycle_stage, updated_at desc, id desc) where deleted_at is null;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists contacts_created_idx, contacts_last_name_idx, contacts_email_sort_idx,
      contacts_owner_updated_idx, contacts_stage_updated_idx
  `.execute(db)
}
