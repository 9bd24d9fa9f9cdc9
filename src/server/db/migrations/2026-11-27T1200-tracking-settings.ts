import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. How the website tracking snippet (GET /t.js,
// issue 6) behaves for a workspace: whether it waits for the visitor's consent, the domain of its
// cookies, whether it captures forms with an email field. A workspace without a row has the
// defaults below.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tracking_settings (
      workspace_id uuid primary key references workspaces (id) on delete cascade,
      consent_required boolean not null default false,
      cookie_domain text,
      capture_forms boolean not null default false,
      updated_at timestamptz default now()
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists tracking_settings`.execute(db)
}
