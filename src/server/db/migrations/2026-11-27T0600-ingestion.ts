import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Event ingestion at /v1/* (issue 5):
// - touchpoints keep when the event was received, whether its time was clamped, why it is a bot's
//   and the context that came with it (user agent, IP, page title, library);
// - identities map a sender's userId, anonymousId or groupId to the contact or account it is;
// - identity merges record each time an anonymous history joined a contact, so an admin can undo it;
// - event names count a workspace's distinct custom event names (the cap of docs/ingestion.md);
// - contacts keep their traits, when they became known, the times of their first- and last-touch
//   UTM values and their lead-creation touch; accounts keep their group traits.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table touchpoints
      add column received_at timestamptz,
      add column time_flag text check (time_flag in ('clamped_future', 'clamped_past')),
      add column bot_reason text,
      add column context jsonb;
    create index touchpoints_anonymous_idx on touchpoints (workspace_id, anonymous_id)
      where anonymous_id is not null;

    create table identities (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      kind text not null check (kind in ('user', 'anonymous', 'group')),
      value text not null,
      record_id uuid not null,
      first_seen_at timestamptz not null default now(),
      primary key (workspace_id, kind, value)
    );
    create index identities_record_idx on identities (workspace_id, record_id);

    create table identity_merges (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      contact_id uuid not null,
      anonymous_id text not null,
      reason text not null check (reason in ('identify', 'alias')),
      message_id text,
      touchpoints_moved int not null default 0,
      merged_at timestamptz not null default now(),
      undone_at timestamptz,
      undone_by text references users (id) on delete set null,
      primary key (workspace_id, id)
    );
    create index identity_merges_contact_idx
      on identity_merges (workspace_id, contact_id, merged_at desc, id desc);

    create table event_names (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      name text not null,
      first_seen_at timestamptz not null default now(),
      primary key (workspace_id, name)
    );

    alter table contacts
      add column traits jsonb,
      add column identified_at timestamptz,
      add column first_touch_utm_at timestamptz,
      add column last_touch_utm_at timestamptz,
      add column lead_creation_touchpoint_id uuid,
      add column lead_creation_at timestamptz,
      add column lead_creation_type text;
    alter table accounts add column traits jsonb;
    -- Ingestion updates a contact's touch milestones often; room on each page keeps those updates
    -- HOT (no index entries rewritten). Applies to pages written from now on.
    alter table contacts set (fillfactor = 80);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts reset (fillfactor);
    alter table accounts drop column if exists traits;
    alter table contacts
      drop column if exists traits,
      drop column if exists identified_at,
      drop column if exists first_touch_utm_at,
      drop column if exists last_touch_utm_at,
      drop column if exists lead_creation_touchpoint_id,
      drop column if exists lead_creation_at,
      drop column if exists lead_creation_type;
    drop table if exists event_names;
    drop table if exists identity_merges;
    drop table if exists identities;
    drop index if exists touchpoints_anonymous_idx;
    alter table touchpoints
      drop column if exists received_at,
      drop column if exists time_flag,
      drop column if exists bot_reason,
      drop column if exists context;
  `.execute(db)
}
