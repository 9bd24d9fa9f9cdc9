import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Write keys (issue 5) let the tracking snippet
// and Segment-compatible libraries ingest events into one workspace. They are public by design (they
// sit in a website's HTML), so the key is stored as is; it is unique across workspaces because
// ingestion finds the workspace by the key alone. A rotated key keeps working until expires_at.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table write_keys (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null,
      key text not null,
      created_by text references users (id) on delete set null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      expires_at timestamptz,
      primary key (workspace_id, id)
    );
    create unique index write_keys_key on write_keys (key);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists write_keys`.execute(db)
}
