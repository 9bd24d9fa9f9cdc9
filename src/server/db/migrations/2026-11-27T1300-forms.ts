import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Hosted forms (issue 6): a form's fields are an
// ordered JSON list (key, label, type, required, what each maps to); views are counted per form and
// day; each accepted submission keeps its values, the consent given, and the touch it became.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table forms (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      id uuid not null,
      name text not null,
      fields jsonb not null,
      consent_text text,
      thank_you_message text not null,
      redirect_url text,
      is_high_intent boolean not null default false,
      archived_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      created_by text references users (id) on delete set null,
      updated_by text references users (id) on delete set null,
      primary key (workspace_id, id)
    );
    create table form_views (
      workspace_id uuid not null,
      form_id uuid not null,
      day date not null,
      views integer not null default 0,
      primary key (workspace_id, form_id, day),
      foreign key (workspace_id, form_id) references forms (workspace_id, id) on delete cascade
    );
    create table form_submissions (
      workspace_id uuid not null,
      id uuid not null,
      form_id uuid not null,
      contact_id uuid,
      submitted_at timestamptz not null default now(),
      values jsonb not null,
      is_consent_given boolean not null default false,
      ip text,
      anonymous_id text,
      touchpoint_id uuid,
      primary key (workspace_id, id),
      foreign key (workspace_id, form_id) references forms (workspace_id, id) on delete cascade
    );
    create index form_submissions_form on form_submissions (workspace_id, form_id, id desc);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists form_submissions, form_views, forms`.execute(db)
}
