import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The Today page (issue 13) reads one rep's tasks
// due up to the end of today, open or done (today's task progress counts the done ones too); the
// older activities_owner_idx holds only open activities.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index activities_owner_task_due_idx on activities (workspace_id, owner_id, due_at)
      where type = 'task' and deleted_at is null
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists activities_owner_task_due_idx`.execute(db)
}
