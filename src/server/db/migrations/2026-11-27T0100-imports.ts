import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Files kept in PostgreSQL in ~1 MB chunks
// (ARCHITECTURE.md, Data) and the imports run from them by the job queue (issue 4).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table file_uploads (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      file_name text not null,
      content_type text not null default 'application/octet-stream',
      size bigint not null default 0,
      chunks int not null default 0,
      created_by text,
      created_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );

    create table file_chunks (
      workspace_id uuid not null,
      upload_id uuid not null,
      seq int not null check (seq >= 0),
      data bytea not null,
      primary key (workspace_id, upload_id, seq),
      foreign key (workspace_id, upload_id) references file_uploads (workspace_id, id)
        on delete cascade
    );

    create table imports (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      entity text not null
        check (entity in ('accounts', 'contacts', 'products', 'deals', 'activities', 'campaigns')),
      file_name text not null,
      file_size bigint not null default 0,
      upload_id uuid,
      status text not null default 'queued'
        check (status in ('queued', 'running', 'done', 'failed')),
      options jsonb not null default '{}',
      actor jsonb not null,
      rows bigint not null default 0,
      imported bigint not null default 0,
      rejected bigint not null default 0,
      created bigint not null default 0,
      updated bigint not null default 0,
      unchanged bigint not null default 0,
      bytes_read bigint not null default 0,
      error text,
      errors_upload_id uuid,
      created_by text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      foreign key (workspace_id, upload_id) references file_uploads (workspace_id, id)
        on delete set null (upload_id),
      foreign key (workspace_id, errors_upload_id) references file_uploads (workspace_id, id)
        on delete set null (errors_upload_id)
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists imports;
    drop table if exists file_chunks;
    drop table if exists file_uploads;
  `.execute(db)
}
