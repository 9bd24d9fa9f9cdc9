import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The drill-down of the attribution report under
// a model whose per-touch credits are not stored (issue 12) lists the subjects of
// attribution_contributions, so each now keeps when it converted. Existing rows take it from their
// default-model credits, or from their conversion month when they have none (an open deal's
// pending won under a default model other than full path); the next recompute writes it exactly.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table attribution_contributions add column converted_at timestamptz;
    update attribution_contributions c set converted_at = coalesce(
      (select min(ac.converted_at) from attribution_credits ac
        where ac.workspace_id = c.workspace_id and ac.subject_id = c.subject_id
          and ac.conversion = c.conversion),
      (c.rows -> 0 ->> 1)::date::timestamptz,
      now());
    alter table attribution_contributions alter column converted_at set not null;
    create index attribution_contributions_converted_idx
      on attribution_contributions (workspace_id, conversion, converted_at);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index attribution_contributions_converted_idx;
    alter table attribution_contributions drop column converted_at;
  `.execute(db)
}
