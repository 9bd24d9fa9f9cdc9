import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The Bridge (issue 8): the workspace's taxonomy
// of objections and competitors, the tags linking them to activities, handoff rejections and
// deals, the weekly digests already sent, and indexes the Bridge's reports range over.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table feedback_tags (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      kind text not null check (kind in ('objection', 'competitor')),
      name text not null check (length(name) between 1 and 100),
      description text check (length(description) <= 500),
      archived_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );
    create unique index feedback_tags_name_idx on feedback_tags (workspace_id, kind, lower(name));

    create table feedback_tag_links (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      tag_id uuid not null,
      entity text not null check (entity in ('activity', 'handoff', 'deal')),
      entity_id uuid not null,
      created_at timestamptz not null default now(),
      created_by uuid,
      primary key (workspace_id, entity, entity_id, tag_id),
      foreign key (workspace_id, tag_id) references feedback_tags (workspace_id, id) on delete cascade
    );
    create index feedback_tag_links_tag_idx on feedback_tag_links (workspace_id, tag_id);

    create table bridge_digests (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      week date not null,
      sent_at timestamptz not null default now(),
      recipients integer not null default 0,
      primary key (workspace_id, week)
    );

    create index if not exists deals_closed_at_idx on deals (workspace_id, closed_at)
      where closed_at is not null;

    -- The funnel and the MQL→SQL part read (record, entry time) of one stage's entries: covering.
    drop index if exists lifecycle_entries_stage_idx;
    create index lifecycle_entries_stage_idx on lifecycle_entries (workspace_id, entity, stage, entered_at)
      include (record_id, is_reentry);
    -- Cohorts leave out deleted and merged contacts: few, so a partial index finds them at once.
    create index contacts_gone_idx on contacts (workspace_id, id)
      where deleted_at is not null or merged_into is not null;
  `.execute(db)
}
