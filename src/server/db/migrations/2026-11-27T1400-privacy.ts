import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Privacy per contact (issue 6): an erased
// contact keeps its row (deals, attribution and funnels still count it) with erased_at set; the
// sha-256 of its email (lower-cased, trimmed, hex) goes to suppressions so that later events,
// form posts, imports and API calls do not create that person again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts add column erased_at timestamptz;
    create table suppressions (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      email_hash text not null check (email_hash ~ '^[0-9a-f]{64}$'),
      reason text not null default 'erased' check (reason in ('erased')),
      created_at timestamptz not null default now(),
      created_by text not null,
      primary key (workspace_id, id),
      unique (workspace_id, email_hash)
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists suppressions;
    alter table contacts drop column if exists erased_at;
  `.execute(db)
}
