import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Predictive scoring (issue 10):
// - predictive_models: each trained model of a workspace (the serialised, calibrated learner and the
//   report of its holdout measurement); the newest is the current one.
// - predictive_training: the state of a workspace's training (queued, running, failed with why).
// - predictive_scores: each contact's probability of becoming a customer within 90 days of lead
//   creation, by the model that scored it (its top factors are explained when read).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table predictive_models (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      trained_at timestamptz not null,
      learner text not null check (learner in ('logistic', 'gbm')),
      model jsonb not null,
      report jsonb not null,
      primary key (workspace_id, id)
    );
    create index predictive_models_trained_idx on predictive_models (workspace_id, trained_at desc);

    create table predictive_training (
      workspace_id uuid primary key references workspaces (id) on delete cascade,
      status text not null check (status in ('idle', 'queued', 'running', 'failed')),
      error text,
      started_at timestamptz,
      updated_at timestamptz not null default now()
    );

    create table predictive_scores (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      contact_id uuid not null,
      model_id uuid not null,
      probability double precision not null check (probability >= 0 and probability <= 1),
      scored_at timestamptz not null default now(),
      primary key (workspace_id, contact_id),
      foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table predictive_scores;
    drop table predictive_training;
    drop table predictive_models;
  `.execute(db)
}
