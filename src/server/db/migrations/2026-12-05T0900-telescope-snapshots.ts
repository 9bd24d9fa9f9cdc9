import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The Telescope's long-range forecast and its
// weekly changes (issue 14) are computed for a whole workspace at once and kept here, one row per
// kind, until the next local day (or a refresh asks for a new one).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table telescope_snapshots (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      kind text not null check (kind in ('outlook', 'changes')),
      as_of date not null,
      computed_at timestamptz not null default now(),
      body jsonb not null,
      primary key (workspace_id, kind)
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists telescope_snapshots`.execute(db)
}
