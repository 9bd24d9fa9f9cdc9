import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. A contact or account merged into another is
// soft-deleted with a pointer to the record that absorbed it (issue 4), so its old id can answer
// where it went and the Trash does not offer it back.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts add column merged_into uuid,
      add foreign key (workspace_id, merged_into) references contacts (workspace_id, id)
        on delete set null (merged_into);
    alter table accounts add column merged_into uuid,
      add foreign key (workspace_id, merged_into) references accounts (workspace_id, id)
        on delete set null (merged_into);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts drop column if exists merged_into;
    alter table accounts drop column if exists merged_into;
  `.execute(db)
}
