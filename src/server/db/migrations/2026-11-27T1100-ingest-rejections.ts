import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The last requests /v1/* refused for a known
// write key (bad events, over a limit), so Settings → Tracking can show a marketer what went wrong.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ingest_rejections (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id bigint generated always as identity,
      received_at timestamptz not null default now(),
      endpoint text not null,
      message text not null,
      ip text,
      primary key (workspace_id, id)
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table ingest_rejections`.execute(db)
}
