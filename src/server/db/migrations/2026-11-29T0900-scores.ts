import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Scores and the product-fit guard (issue 9):
// - scoring_rules: fit rules (a filter-language condition over contacts → points) and engagement
//   rules (a touch condition → points per touch, decaying); scoring_settings: the half-life and the
//   product-fit threshold of a workspace (defaults when it has no row).
// - contact_scores: a contact's current fit and engagement with their explanation, kept apart from
//   contacts so that rescoring never rewrites contact rows; score_history: one row per change.
// - score_queue: contacts waiting to be rescored. Triggers fill it when a contact is inserted or
//   updated, when its account is updated, and when touches are inserted or moved, so that every
//   writer (API, import, ingestion, merge) is covered; the scoring worker drains it in seconds.
// - deals: product fit (lowest line's fit, with per-line reasons), the fit when it was won, a
//   manager's override of the poor-fit guard; deals and accounts: churned, refunded, downgraded.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table scoring_rules (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      kind text not null check (kind in ('fit', 'engagement')),
      name text not null check (length(name) between 1 and 100),
      position integer not null default 0,
      condition jsonb not null,
      points integer not null check (points between -100 and 100 and points <> 0),
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );
    create index scoring_rules_kind_idx on scoring_rules (workspace_id, kind, position);

    create table scoring_settings (
      workspace_id uuid primary key references workspaces (id) on delete cascade,
      half_life_days numeric(7,2) not null default 30 check (half_life_days > 0 and half_life_days <= 3650),
      product_fit_threshold integer not null default 40
        check (product_fit_threshold between 0 and 100),
      updated_at timestamptz not null default now()
    );

    create table contact_scores (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      contact_id uuid not null,
      fit smallint not null check (fit between 0 and 100),
      engagement smallint not null check (engagement between 0 and 100),
      explanation jsonb not null default '[]',
      scored_at timestamptz not null default now(),
      primary key (workspace_id, contact_id),
      foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
    );
    create index contact_scores_engagement_idx on contact_scores (workspace_id, engagement desc);
    create index contact_scores_fit_idx on contact_scores (workspace_id, fit desc);

    create table score_history (
      workspace_id uuid not null,
      contact_id uuid not null,
      recorded_at timestamptz not null default now(),
      fit smallint not null,
      engagement smallint not null,
      cause text not null check (cause in ('rules', 'touch', 'record', 'decay', 'manual')),
      primary key (workspace_id, contact_id, recorded_at),
      foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
    );

    create table score_queue (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      contact_id uuid not null,
      cause text not null default 'record',
      queued_at timestamptz not null default now(),
      primary key (workspace_id, contact_id)
    );
    create index score_queue_queued_idx on score_queue (queued_at);

    create function score_queue_contacts() returns trigger language plpgsql as $$
    begin
      insert into score_queue (workspace_id, contact_id, cause)
      select distinct n.workspace_id, n.id, 'record' from new_rows n
      where n.deleted_at is null and n.merged_into is null
      on conflict do nothing;
      return null;
    end $$;
    create trigger contacts_score_insert after insert on contacts
      referencing new table as new_rows for each statement execute function score_queue_contacts();
    create trigger contacts_score_update after update on contacts
      referencing new table as new_rows for each statement execute function score_queue_contacts();

    create function score_queue_accounts() returns trigger language plpgsql as $$
    begin
      insert into score_queue (workspace_id, contact_id, cause)
      select distinct c.workspace_id, c.id, 'record' from new_rows n
      join contacts c on c.workspace_id = n.workspace_id and c.account_id = n.id
      where c.deleted_at is null and c.merged_into is null
      on conflict do nothing;
      return null;
    end $$;
    create trigger accounts_score_update after update on accounts
      referencing new table as new_rows for each statement execute function score_queue_accounts();

    create function score_queue_touchpoints() returns trigger language plpgsql as $$
    begin
      insert into score_queue (workspace_id, contact_id, cause)
      select distinct n.workspace_id, n.contact_id, 'touch' from new_rows n
      where n.contact_id is not null and not n.is_bot
      on conflict do nothing;
      return null;
    end $$;
    create trigger touchpoints_score_insert after insert on touchpoints
      referencing new table as new_rows for each statement execute function score_queue_touchpoints();
    create trigger touchpoints_score_update after update on touchpoints
      referencing new table as new_rows for each statement execute function score_queue_touchpoints();

    alter table deals
      add column product_fit smallint check (product_fit between 0 and 100),
      add column fit_details jsonb not null default '[]',
      add column won_fit smallint check (won_fit between 0 and 100),
      add column fit_override_by uuid,
      add column fit_override_reason text check (length(fit_override_reason) <= 1000),
      add column fit_override_at timestamptz,
      add column churned_on date,
      add column refunded_on date,
      add column downgraded_on date;
    create index deals_fit_idx on deals (workspace_id, product_fit) where deleted_at is null;

    alter table accounts
      add column churned_on date,
      add column refunded_on date,
      add column downgraded_on date;
  `.execute(db)
}
