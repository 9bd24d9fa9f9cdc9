import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The shared record of every customer (issue 3).
// Every tenant table's primary key starts with workspace_id; deletes are soft (deleted_at). Optional
// links are set to null when their target is purged (PostgreSQL 15's column list keeps workspace_id);
// required links are checked at commit, so deleting a whole workspace can cascade in any order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists btree_gin`.execute(db)
  await sql`
    create table custom_field_definitions (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      entity text not null check (entity in ('account', 'contact', 'deal')),
      key text not null check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
      label text not null,
      type text not null check (type in ('text', 'number', 'date', 'select', 'multi_select')),
      options text[] not null default '{}',
      position int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      unique (workspace_id, entity, key)
    );

    create table personas (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      key text not null check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
      label text not null,
      position int not null default 0,
      primary key (workspace_id, key)
    );

    create table exchange_rates (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      currency char(3) not null,
      rate_to_base numeric(20, 10) not null check (rate_to_base > 0),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, currency)
    );

    create table accounts (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 200),
      domain text,
      industry text,
      employees int check (employees >= 0),
      annual_revenue bigint check (annual_revenue >= 0),
      annual_revenue_currency char(3),
      country char(2),
      region text,
      tier text,
      owner_id text references users (id) on delete set null,
      lifecycle_stage text,
      custom jsonb not null default '{}',
      external_source text,
      external_id text,
      search text generated always as (lower(name || ' ' || coalesce(domain, ''))) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (workspace_id, id)
    );
    create unique index accounts_domain_key on accounts (workspace_id, domain)
      where domain is not null and deleted_at is null;
    create unique index accounts_external_key on accounts (workspace_id, external_source, external_id)
      where external_id is not null;
    create index accounts_updated_idx on accounts (workspace_id, updated_at desc, id desc)
      where deleted_at is null;
    create index accounts_name_idx on accounts (workspace_id, name, id) where deleted_at is null;
    create index accounts_search_idx on accounts using gin (workspace_id, search gin_trgm_ops);

    create table contacts (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      email text,
      first_name text,
      last_name text,
      title text,
      persona text,
      phone text,
      account_id uuid,
      lifecycle_stage text,
      lead_status text,
      owner_id text references users (id) on delete set null,
      source text,
      first_touch_utm jsonb,
      last_touch_utm jsonb,
      email_opt_in boolean not null default false,
      do_not_contact boolean not null default false,
      recycle_until date,
      custom jsonb not null default '{}',
      external_source text,
      external_id text,
      search text generated always as (
        lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, ''))
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (workspace_id, id),
      foreign key (workspace_id, account_id) references accounts (workspace_id, id)
        on delete set null (account_id)
    );
    create unique index contacts_email_key on contacts (workspace_id, email)
      where email is not null and deleted_at is null;
    create unique index contacts_external_key on contacts (workspace_id, external_source, external_id)
      where external_id is not null;
    create index contacts_updated_idx on contacts (workspace_id, updated_at desc, id desc)
      where deleted_at is null;
    create index contacts_account_idx on contacts (workspace_id, account_id);
    create index contacts_search_idx on contacts using gin (workspace_id, search gin_trgm_ops);

    -- Lifecycle history: one row per stage entered, never overwritten (DEFINITIONS.md, Lifecycle).
    create table lifecycle_entries (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      entity text not null check (entity in ('account', 'contact')),
      record_id uuid not null,
      stage text not null,
      entered_at timestamptz not null,
      is_reentry boolean not null default false,
      source text not null default 'manual',
      primary key (workspace_id, id)
    );
    create index lifecycle_entries_record_idx
      on lifecycle_entries (workspace_id, entity, record_id, entered_at);
    create index lifecycle_entries_stage_idx on lifecycle_entries (workspace_id, entity, stage, entered_at);

    create table products (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 200),
      family text,
      price bigint not null default 0 check (price >= 0),
      currency char(3) not null,
      icp_industries text[] not null default '{}',
      icp_employees_min int,
      icp_employees_max int,
      icp_regions text[] not null default '{}',
      icp_problems text[] not null default '{}',
      external_source text,
      external_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (workspace_id, id),
      check (icp_employees_min is null or icp_employees_max is null or icp_employees_min <= icp_employees_max)
    );
    create unique index products_name_key on products (workspace_id, lower(name)) where deleted_at is null;

    create table pipelines (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null,
      is_default boolean not null default false,
      position int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (workspace_id, id)
    );
    create unique index pipelines_default_key on pipelines (workspace_id) where is_default and deleted_at is null;

    create table stages (
      workspace_id uuid not null,
      id uuid not null,
      pipeline_id uuid not null,
      name text not null,
      position int not null,
      win_probability numeric(5, 4) not null check (win_probability between 0 and 1),
      is_won boolean not null default false,
      is_lost boolean not null default false,
      is_proposal_or_later boolean not null default false,
      created_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (workspace_id, id),
      foreign key (workspace_id, pipeline_id) references pipelines (workspace_id, id) on delete cascade,
      check (not (is_won and is_lost))
    );
    create index stages_pipeline_idx on stages (workspace_id, pipeline_id, position);

    create table campaigns (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 200),
      channel text not null,
      type text not null,
      starts_on date,
      ends_on date,
      budget bigint check (budget >= 0),
      currency char(3) not null,
      utm_campaigns text[] not null default '{}',
      goal_leads int,
      goal_mqls int,
      goal_pipeline bigint,
      owner_id text references users (id) on delete set null,
      external_source text,
      external_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (workspace_id, id),
      check (ends_on is null or starts_on is null or starts_on <= ends_on)
    );
    create index campaigns_utm_idx on campaigns using gin (workspace_id, utm_campaigns);

    create table campaign_costs (
      workspace_id uuid not null,
      id uuid not null,
      campaign_id uuid not null,
      incurred_on date not null,
      amount bigint not null check (amount >= 0),
      currency char(3) not null,
      note text,
      created_at timestamptz not null default now(),
      primary key (workspace_id, id),
      foreign key (workspace_id, campaign_id) references campaigns (workspace_id, id) on delete cascade
    );
    create index campaign_costs_campaign_idx on campaign_costs (workspace_id, campaign_id, incurred_on);

    create table deals (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 200),
      account_id uuid,
      pipeline_id uuid not null,
      stage_id uuid not null,
      amount bigint not null default 0 check (amount >= 0),
      currency char(3) not null,
      close_date date,
      owner_id text references users (id) on delete set null,
      forecast_category text not null default 'pipeline'
        check (forecast_category in ('pipeline', 'best_case', 'commit', 'closed_won', 'omitted')),
      loss_reason text,
      loss_competitor text,
      loss_notes text,
      marketing_could_help text check (marketing_could_help in ('yes', 'no', 'unsure')),
      needs text[] not null default '{}',
      source_campaign_id uuid,
      closed_at timestamptz,
      custom jsonb not null default '{}',
      external_source text,
      external_id text,
      search text generated always as (lower(name)) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (workspace_id, id),
      foreign key (workspace_id, account_id) references accounts (workspace_id, id)
        on delete set null (account_id),
      foreign key (workspace_id, pipeline_id) references pipelines (workspace_id, id)
        deferrable initially deferred,
      foreign key (workspace_id, stage_id) references stages (workspace_id, id)
        deferrable initially deferred,
      foreign key (workspace_id, source_campaign_id) references campaigns (workspace_id, id)
        on delete set null (source_campaign_id)
    );
    create unique index deals_external_key on deals (workspace_id, external_source, external_id)
      where external_id is not null;
    create index deals_updated_idx on deals (workspace_id, updated_at desc, id desc) where deleted_at is null;
    create index deals_stage_idx on deals (workspace_id, pipeline_id, stage_id) where deleted_at is null;
    create index deals_account_idx on deals (workspace_id, account_id);
    create index deals_close_idx on deals (workspace_id, close_date) where deleted_at is null;
    create index deals_search_idx on deals using gin (workspace_id, search gin_trgm_ops);

    create table deal_stage_changes (
      workspace_id uuid not null,
      id uuid not null,
      deal_id uuid not null,
      from_stage_id uuid,
      to_stage_id uuid not null,
      changed_at timestamptz not null,
      changed_by text references users (id) on delete set null,
      primary key (workspace_id, id),
      foreign key (workspace_id, deal_id) references deals (workspace_id, id) on delete cascade
    );
    create index deal_stage_changes_deal_idx on deal_stage_changes (workspace_id, deal_id, changed_at);

    create table deal_contacts (
      workspace_id uuid not null,
      deal_id uuid not null,
      contact_id uuid not null,
      role text,
      is_primary boolean not null default false,
      primary key (workspace_id, deal_id, contact_id),
      foreign key (workspace_id, deal_id) references deals (workspace_id, id) on delete cascade,
      foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
    );
    create index deal_contacts_contact_idx on deal_contacts (workspace_id, contact_id);

    create table deal_line_items (
      workspace_id uuid not null,
      id uuid not null,
      deal_id uuid not null,
      product_id uuid not null,
      quantity numeric(12, 2) not null check (quantity > 0),
      unit_price bigint not null check (unit_price >= 0),
      position int not null default 0,
      primary key (workspace_id, id),
      foreign key (workspace_id, deal_id) references deals (workspace_id, id) on delete cascade,
      foreign key (workspace_id, product_id) references products (workspace_id, id)
        deferrable initially deferred
    );
    create index deal_line_items_deal_idx on deal_line_items (workspace_id, deal_id);
    create index deal_line_items_product_idx on deal_line_items (workspace_id, product_id);

    create table activities (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      type text not null check (type in ('call', 'email', 'meeting', 'note', 'task')),
      subject text not null check (length(subject) between 1 and 300),
      body text,
      contact_id uuid,
      account_id uuid,
      deal_id uuid,
      owner_id text references users (id) on delete set null,
      occurred_at timestamptz,
      due_at timestamptz,
      done_at timestamptz,
      outcome text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      primary key (workspace_id, id),
      foreign key (workspace_id, contact_id) references contacts (workspace_id, id)
        on delete set null (contact_id),
      foreign key (workspace_id, account_id) references accounts (workspace_id, id)
        on delete set null (account_id),
      foreign key (workspace_id, deal_id) references deals (workspace_id, id)
        on delete set null (deal_id)
    );
    create index activities_contact_idx on activities (workspace_id, contact_id, occurred_at desc);
    create index activities_account_idx on activities (workspace_id, account_id, occurred_at desc);
    create index activities_deal_idx on activities (workspace_id, deal_id, occurred_at desc);
    create index activities_owner_idx on activities (workspace_id, owner_id, due_at) where done_at is null;

    -- The biggest table: partitioned by month on occurred_at (ARCHITECTURE.md, Data).
    create table touchpoints (
      workspace_id uuid not null,
      occurred_at timestamptz not null,
      id uuid not null,
      contact_id uuid,
      anonymous_id text,
      account_id uuid,
      type text not null,
      event_name text,
      channel text not null,
      campaign_id uuid,
      activity_id uuid,
      utm jsonb,
      referrer text,
      url text,
      properties jsonb not null default '{}',
      is_bot boolean not null default false,
      message_id text,
      created_at timestamptz not null default now(),
      primary key (workspace_id, occurred_at, id)
    ) partition by range (occurred_at);
    create table touchpoints_default partition of touchpoints default;
    create index touchpoints_contact_idx on touchpoints (workspace_id, contact_id, occurred_at);
    create index touchpoints_account_idx on touchpoints (workspace_id, account_id, occurred_at);
    create index touchpoints_campaign_idx on touchpoints (workspace_id, campaign_id, occurred_at);

    -- Deduplication lives beside the partitioned table (a unique index there must include occurred_at).
    create table touchpoint_message_ids (
      workspace_id uuid not null,
      message_id text not null,
      touchpoint_id uuid not null,
      occurred_at timestamptz not null,
      primary key (workspace_id, message_id)
    );

    create table saved_views (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      user_id text not null references users (id) on delete cascade,
      entity text not null check (entity in ('account', 'contact', 'deal', 'activity', 'campaign', 'product')),
      name text not null check (length(name) between 1 and 100),
      filter jsonb,
      sort text,
      columns text[] not null default '{}',
      created_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );
    create index saved_views_user_idx on saved_views (workspace_id, user_id, entity);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists saved_views, touchpoint_message_ids, touchpoints, activities, deal_line_items,
      deal_contacts, deal_stage_changes, deals, campaign_costs, campaigns, stages, pipelines, products,
      lifecycle_entries, contacts, accounts, exchange_rates, personas, custom_field_definitions cascade
  `.execute(db)
}
