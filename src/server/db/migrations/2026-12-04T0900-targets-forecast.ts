import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Issue 13: targets per rep, team and company for
// every period kind and metric (the handoff issue's monthly MQL targets move in as the company's
// monthly `mqls` targets), the history of team membership (so a rep moved mid-period counts for
// each team only while in it), the reverse-waterfall plans both teams' leads agree to, and the
// forecast submissions reps make and managers adjust (every one kept). Money is in minor units of
// the workspace's base currency, like deal amounts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table targets (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      subject_kind text not null check (subject_kind in ('company', 'team', 'rep')),
      subject_id text not null default '',
      metric text not null
        check (metric in ('revenue', 'deals_won', 'mqls', 'sqls', 'pipeline_created')),
      period_kind text not null check (period_kind in ('day', 'week', 'month', 'quarter')),
      period_key text not null,
      starts_on date not null,
      ends_on date not null,
      amount bigint not null check (amount >= 0),
      created_by text references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      unique (workspace_id, subject_kind, subject_id, metric, period_kind, period_key),
      check ((subject_kind = 'company') = (subject_id = '')),
      check (ends_on > starts_on)
    );
    create index targets_period_idx on targets (workspace_id, starts_on, ends_on);

    insert into targets (workspace_id, id, subject_kind, subject_id, metric, period_kind,
      period_key, starts_on, ends_on, amount, updated_at)
    select workspace_id, gen_random_uuid(), 'company', '', 'mqls', 'month',
      to_char(month, 'YYYY-MM'), month, (month + interval '1 month')::date, target, updated_at
    from mql_targets;
    drop table mql_targets;

    create table team_member_history (
      workspace_id uuid not null,
      team_id uuid not null,
      user_id text not null references users (id) on delete cascade,
      joined_at timestamptz not null,
      left_at timestamptz,
      primary key (workspace_id, team_id, user_id, joined_at),
      foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete cascade,
      check (left_at is null or left_at >= joined_at)
    );
    create index team_member_history_user_idx on team_member_history (workspace_id, user_id);
    insert into team_member_history (workspace_id, team_id, user_id, joined_at)
    select tm.workspace_id, tm.team_id, tm.user_id, t.created_at
    from team_members tm join teams t on t.workspace_id = tm.workspace_id and t.id = tm.team_id;

    create function team_member_history_track() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into team_member_history (workspace_id, team_id, user_id, joined_at)
        values (new.workspace_id, new.team_id, new.user_id, now())
        on conflict (workspace_id, team_id, user_id, joined_at) do update set left_at = null;
        return new;
      end if;
      update team_member_history set left_at = now()
      where workspace_id = old.workspace_id and team_id = old.team_id and user_id = old.user_id
        and left_at is null;
      return old;
    end $$;
    create trigger team_member_history_track after insert or delete on team_members
      for each row execute function team_member_history_track();

    create table waterfall_plans (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      period_kind text not null check (period_kind in ('month', 'quarter')),
      period_key text not null,
      starts_on date not null,
      ends_on date not null,
      revenue_target bigint not null check (revenue_target > 0),
      average_deal_size bigint not null check (average_deal_size > 0),
      sql_to_won_rate numeric(7, 6) not null check (sql_to_won_rate > 0 and sql_to_won_rate <= 1),
      mql_to_sql_rate numeric(7, 6) not null check (mql_to_sql_rate > 0 and mql_to_sql_rate <= 1),
      won_needed integer not null,
      sqls_needed integer not null,
      mqls_needed integer not null,
      sales_agreed_by text references users (id) on delete set null,
      sales_agreed_at timestamptz,
      marketing_agreed_by text references users (id) on delete set null,
      marketing_agreed_at timestamptz,
      created_by text references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, id),
      unique (workspace_id, period_kind, period_key)
    );

    create table forecast_submissions (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      rep_id text not null references users (id) on delete cascade,
      period_kind text not null check (period_kind in ('month', 'quarter')),
      period_key text not null,
      starts_on date not null,
      ends_on date not null,
      kind text not null check (kind in ('submission', 'adjustment')),
      adjusts_id uuid,
      commit_amount bigint not null check (commit_amount >= 0),
      best_case_amount bigint not null check (best_case_amount >= 0),
      pipeline_amount bigint not null check (pipeline_amount >= 0),
      note text,
      submitted_by text references users (id) on delete set null,
      submitted_at timestamptz not null default now(),
      primary key (workspace_id, id),
      check (kind = 'submission' or (adjusts_id is not null and note is not null))
    );
    create index forecast_submissions_period_idx
      on forecast_submissions (workspace_id, period_kind, period_key, rep_id, submitted_at desc);
    create index forecast_submissions_rep_idx
      on forecast_submissions (workspace_id, rep_id, starts_on);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table forecast_submissions;
    drop table waterfall_plans;
    drop trigger team_member_history_track on team_members;
    drop function team_member_history_track();
    drop table team_member_history;
    create table mql_targets (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      month date not null check (extract(day from month) = 1),
      target integer not null check (target between 0 and 10000000),
      updated_at timestamptz not null default now(),
      primary key (workspace_id, month)
    );
    insert into mql_targets (workspace_id, month, target, updated_at)
    select workspace_id, starts_on, amount::integer, updated_at from targets
    where subject_kind = 'company' and metric = 'mqls' and period_kind = 'month';
    drop table targets;
  `.execute(db)
}
