import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The first four tables are better-auth 1.7's
// schema (users, sessions, auth_accounts, verifications) as its getMigrations compiles it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)
  await sql`
    create table users (
      id text primary key, name text not null, email text not null unique,
      email_verified boolean not null, image text,
      created_at timestamptz not null default current_timestamp,
      updated_at timestamptz not null default current_timestamp
    );
    create table sessions (
      id text primary key, expires_at timestamptz not null, token text not null unique,
      created_at timestamptz not null default current_timestamp, updated_at timestamptz not null,
      ip_address text, user_agent text,
      user_id text not null references users (id) on delete cascade
    );
    create index sessions_user_id_idx on sessions (user_id);
    create table auth_accounts (
      id text primary key, account_id text not null, provider_id text not null,
      user_id text not null references users (id) on delete cascade,
      access_token text, refresh_token text, id_token text,
      access_token_expires_at timestamptz, refresh_token_expires_at timestamptz,
      scope text, password text,
      created_at timestamptz not null default current_timestamp, updated_at timestamptz not null
    );
    create index auth_accounts_user_id_idx on auth_accounts (user_id);
    create table verifications (
      id text primary key, identifier text not null, value text not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default current_timestamp,
      updated_at timestamptz not null default current_timestamp
    );
    create index verifications_identifier_idx on verifications (identifier);

    create table instance_settings (
      key text primary key, value jsonb not null,
      updated_at timestamptz not null default now()
    );

    create table workspaces (
      id uuid primary key,
      name text not null check (length(name) between 1 and 100),
      time_zone text not null default 'UTC',
      base_currency char(3) not null default 'USD',
      fiscal_year_start_month smallint not null default 1
        check (fiscal_year_start_month between 1 and 12),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table memberships (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      user_id text not null references users (id) on delete cascade,
      role text not null check (role in ('admin', 'marketing', 'sales', 'sales_manager', 'viewer')),
      created_at timestamptz not null default now(),
      primary key (workspace_id, user_id)
    );
    create index memberships_user_idx on memberships (user_id, created_at);

    create table invitations (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      email text not null,
      role text not null check (role in ('admin', 'marketing', 'sales', 'sales_manager', 'viewer')),
      token_hash text not null unique,
      status text not null default 'pending'
        check (status in ('pending', 'accepted', 'revoked')),
      invited_by text references users (id) on delete set null,
      expires_at timestamptz not null,
      accepted_by text references users (id) on delete set null,
      accepted_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (workspace_id, id)
    );

    create table api_keys (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null,
      role text not null check (role in ('admin', 'marketing', 'sales', 'sales_manager', 'viewer')),
      prefix text not null,
      key_hash text not null unique,
      created_by text references users (id) on delete set null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      primary key (workspace_id, id)
    );

    create table audit_log (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      at timestamptz not null default now(),
      actor_type text not null check (actor_type in ('user', 'api_key', 'cli', 'system')),
      actor_id text,
      actor_name text not null,
      action text not null,
      target_type text not null,
      target_id text,
      details jsonb not null default '{}',
      primary key (workspace_id, id)
    );

    create table teams (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null,
      manager_id text references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      unique (workspace_id, name)
    );
    create table team_members (
      workspace_id uuid not null,
      team_id uuid not null,
      user_id text not null references users (id) on delete cascade,
      primary key (workspace_id, team_id, user_id),
      foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete cascade
    );

    create table worker_heartbeats (
      worker_id text primary key,
      version text not null,
      beat_at timestamptz not null default now()
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists worker_heartbeats, team_members, teams, audit_log, api_keys, invitations,
      memberships, workspaces, instance_settings, verifications, auth_accounts, sessions, users cascade
  `.execute(db)
}
