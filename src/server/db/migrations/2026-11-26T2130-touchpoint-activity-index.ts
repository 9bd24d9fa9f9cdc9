import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. A logged call, meeting or email owns one
// `sales` touchpoint; changing or deleting the activity finds it by activity_id (only those rows
// are indexed).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index touchpoints_activity_idx on touchpoints (workspace_id, activity_id)
      where activity_id is not null
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists touchpoints_activity_idx`.execute(db)
}
