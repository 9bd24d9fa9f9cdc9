import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The handoff (issue 7): MQL rules, routing,
// handoffs with their SLA due times fixed at creation, the history of every decision, business
// calendars and SLA policies, the notification centre, outbound webhooks with their delivery log,
// and marketing's monthly MQL targets.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mql_rules (
      workspace_id uuid primary key references workspaces (id) on delete cascade,
      fit_min integer not null default 50 check (fit_min between 0 and 100),
      engagement_min integer not null default 50 check (engagement_min between 0 and 100),
      predictive_in_charge boolean not null default false,
      predictive_min numeric(4, 3) not null default 0.300 check (predictive_min between 0 and 1),
      high_intent_forms boolean not null default true,
      updated_at timestamptz not null default now()
    );

    create table business_calendars (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 200),
      time_zone text not null,
      week jsonb not null,
      holidays jsonb not null default '[]',
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      unique (workspace_id, name)
    );
    create unique index business_calendars_default_idx on business_calendars (workspace_id)
      where is_default;

    create table sla_policies (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 200),
      segment text check (segment in ('smb', 'mid_market', 'enterprise')),
      calendar_id uuid,
      first_touch_minutes integer not null default 240 check (first_touch_minutes between 1 and 100000),
      acceptance_minutes integer not null default 960 check (acceptance_minutes between 1 and 100000),
      escalation_minutes integer not null default 240 check (escalation_minutes between 1 and 100000),
      reassign_on_escalation boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      unique (workspace_id, name),
      foreign key (workspace_id, calendar_id) references business_calendars (workspace_id, id)
    );
    create unique index sla_policies_segment_idx on sla_policies (workspace_id, coalesce(segment, ''));

    create table routing_rules (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 200),
      position integer not null,
      conditions jsonb not null default '[]',
      team_id uuid not null,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete cascade
    );
    create index routing_rules_position_idx on routing_rules (workspace_id, position);

    create table routing_reps (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      user_id text not null references users (id) on delete cascade,
      accepts_leads boolean not null default true,
      capacity integer check (capacity between 0 and 100000),
      daily_cap integer check (daily_cap between 0 and 100000),
      absent_from timestamptz,
      absent_until timestamptz,
      updated_at timestamptz not null default now(),
      primary key (workspace_id, user_id),
      check (absent_from is null or absent_until is null or absent_from < absent_until)
    );

    create table handoffs (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      contact_id uuid not null,
      account_id uuid,
      owner_id text references users (id) on delete set null,
      team_id uuid,
      routing_rule_id uuid,
      unassigned_reason text,
      assigned_at timestamptz,
      campaign_id uuid,
      trigger_touchpoint_id uuid,
      mql_source text not null check (mql_source in ('manual', 'form', 'score', 'predictive', 'import')),
      mql_reason text not null,
      is_re_mql boolean not null default false,
      segment text,
      status text not null default 'open' check (status in ('open', 'accepted', 'rejected')),
      sla_policy_id uuid,
      created_at timestamptz not null default now(),
      first_touch_due_at timestamptz not null,
      decision_due_at timestamptz not null,
      escalate_at timestamptz not null,
      first_touch_at timestamptz,
      first_touch_activity_id uuid,
      first_touch_breached_at timestamptz,
      decision_breached_at timestamptz,
      escalated_at timestamptz,
      decided_at timestamptz,
      decided_by text references users (id) on delete set null,
      rejection_reason text,
      rejection_outcome text check (rejection_outcome in ('recycle', 'disqualify')),
      recycle_on date,
      rejection_note text,
      quality integer check (quality between 1 and 5),
      rated_by text references users (id) on delete set null,
      rated_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade,
      check ((status = 'open') = (decided_at is null)),
      check ((status = 'rejected') = (rejection_reason is not null)),
      check ((rejection_outcome = 'recycle') = (recycle_on is not null))
    );
    -- One open handoff per contact: marking an MQL again while one is open adds nothing.
    create unique index handoffs_open_contact_idx on handoffs (workspace_id, contact_id)
      where status = 'open';
    create index handoffs_status_idx on handoffs (workspace_id, status, created_at desc);
    create index handoffs_owner_idx on handoffs (workspace_id, owner_id, status, created_at desc);
    create index handoffs_contact_idx on handoffs (workspace_id, contact_id, created_at desc);
    create index handoffs_campaign_idx on handoffs (workspace_id, campaign_id, created_at);
    -- The SLA scan (every minute) reads only what is due and not yet flagged.
    create index handoffs_first_touch_due_idx on handoffs (first_touch_due_at)
      where first_touch_at is null and first_touch_breached_at is null and status <> 'rejected';
    create index handoffs_decision_due_idx on handoffs (decision_due_at)
      where status = 'open' and decision_breached_at is null;
    create index handoffs_escalate_idx on handoffs (escalate_at)
      where first_touch_at is null and escalated_at is null and status <> 'rejected';

    create table handoff_events (
      workspace_id uuid not null,
      id uuid not null,
      handoff_id uuid not null,
      kind text not null check (kind in ('created', 'assigned', 'reassigned', 'first_touch',
        'accepted', 'rejected', 'rated', 'first_touch_breached', 'decision_breached', 'escalated',
        'lead_status')),
      actor_id text references users (id) on delete set null,
      at timestamptz not null default now(),
      details jsonb not null default '{}',
      primary key (workspace_id, id),
      foreign key (workspace_id, handoff_id) references handoffs (workspace_id, id) on delete cascade
    );
    create index handoff_events_handoff_idx on handoff_events (workspace_id, handoff_id, at);

    create table notifications (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      user_id text not null references users (id) on delete cascade,
      kind text not null,
      title text not null,
      body text,
      link text,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      primary key (workspace_id, id)
    );
    create index notifications_user_idx on notifications (workspace_id, user_id, created_at desc);
    create index notifications_unread_idx on notifications (workspace_id, user_id)
      where read_at is null;

    create table webhook_subscriptions (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 200),
      url text not null,
      event_types text[] not null,
      format text not null default 'json' check (format in ('json', 'slack')),
      secret text not null,
      is_active boolean not null default true,
      created_by text references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );

    create table webhook_deliveries (
      workspace_id uuid not null,
      id uuid not null,
      subscription_id uuid not null,
      event_type text not null,
      event_id uuid not null,
      idempotency_key text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz,
      primary key (workspace_id, id),
      unique (workspace_id, idempotency_key),
      foreign key (workspace_id, subscription_id) references webhook_subscriptions (workspace_id, id)
        on delete cascade
    );
    create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at)
      where status = 'pending';
    create index webhook_deliveries_subscription_idx
      on webhook_deliveries (workspace_id, subscription_id, created_at desc);

    create table mql_targets (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      month date not null check (extract(day from month) = 1),
      target integer not null check (target between 0 and 10000000),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, month)
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists mql_targets;
    drop table if exists webhook_deliveries;
    drop table if exists webhook_subscriptions;
    drop table if exists notifications;
    drop table if exists handoff_events;
    drop table if exists handoffs;
    drop table if exists routing_reps;
    drop table if exists routing_rules;
    drop table if exists sla_policies;
    drop table if exists business_calendars;
    drop table if exists mql_rules;
  `.execute(db)
}
