import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Acknowledged /v1/* requests wait here, durably,
// until the ingestion processor turns them into contacts, accounts and touchpoints.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ingest_inbox (
      id bigint generated always as identity primary key,
      workspace_id uuid not null references workspaces (id) on delete cascade,
      received_at timestamptz not null,
      ip text,
      events int not null check (events > 0),
      messages text not null,
      attempts int not null default 0,
      failed_at timestamptz,
      error text
    ) with (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
      autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 2000);
    -- Batches are JSON already compact enough; compressing them costs more than it saves.
    alter table ingest_inbox alter column messages set storage external;
    create index ingest_inbox_pending on ingest_inbox (workspace_id, id) where failed_at is null;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table ingest_inbox`.execute(db)
}
