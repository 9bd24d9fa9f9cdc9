import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Attribution in the product (issue 12):
// - attribution_settings: a workspace's default model (the one whose per-touch credits are stored),
//   lookback window, time-decay half-life, custom model weights, whether reps' logged activities
//   (channel `sales`) count, and whether sourced pipeline follows the first touch or the
//   lead-creation touch. Defaults while it has no row.
// - attribution_rollups: every model's credited conversions and revenue (base currency, minor units)
//   per conversion kind, conversion month, channel and campaign; `pending` (full path's CW share of
//   open deals) and `no_touch` (conversions without a touch in the window) rows have no channel.
// - attribution_credits: each conversion's credits per touch under the default model.
// - attribution_runs: the state of a workspace's recompute and what it last found.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attribution_settings (
      workspace_id uuid primary key references workspaces (id) on delete cascade,
      default_model text not null default 'w_shaped' check (default_model in (
        'first_touch', 'lead_creation', 'last_touch', 'linear', 'time_decay', 'u_shaped',
        'w_shaped', 'full_path', 'custom', 'markov', 'shapley')),
      lookback_days integer not null default 90 check (lookback_days between 1 and 730),
      half_life_days numeric(6,2) not null default 7 check (half_life_days > 0 and half_life_days <= 365),
      custom_weights jsonb not null default '{"FT":0.3,"LC":0.3,"OC":0.2,"CW":0.1,"others":0.1}',
      include_sales_touches boolean not null default true,
      sourced_by text not null default 'first_touch'
        check (sourced_by in ('first_touch', 'lead_creation')),
      updated_at timestamptz not null default now()
    )
  `.execute(db)
  await sql`
    create table attribution_rollups (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      model text not null,
      conversion text not null check (conversion in (
        'lead_created', 'mql', 'sql', 'opportunity_created', 'won')),
      month date not null,
      kind text not null check (kind in ('touch', 'pending', 'no_touch')),
      channel text,
      campaign_id uuid,
      conversions float8 not null,
      revenue bigint not null
    );
    create index attribution_rollups_report_idx
      on attribution_rollups (workspace_id, conversion, model, month);
    create table attribution_credits (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      conversion text not null check (conversion in (
        'lead_created', 'mql', 'sql', 'opportunity_created', 'won')),
      subject_id uuid not null,
      converted_at timestamptz not null,
      kind text not null check (kind in ('touch', 'pending', 'no_touch')),
      touchpoint_id uuid,
      touch_at timestamptz,
      channel text,
      campaign_id uuid,
      credit float8 not null check (credit > 0 and credit <= 1),
      revenue bigint not null
    );
    create index attribution_credits_subject_idx on attribution_credits (workspace_id, subject_id);
    create index attribution_credits_campaign_idx
      on attribution_credits (workspace_id, campaign_id, conversion, converted_at);
    create table attribution_runs (
      workspace_id uuid primary key references workspaces (id) on delete cascade,
      status text not null default 'idle' check (status in ('idle', 'queued', 'running', 'failed')),
      queued_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      model text,
      weights jsonb,
      missing_rates text[] not null default '{}',
      error text
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table attribution_runs, attribution_credits, attribution_rollups, attribution_settings`.execute(
    db,
  )
}
