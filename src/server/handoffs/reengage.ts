import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Re-opens recycled contacts whose re-engage date has come (in their workspace's time zone): they
 * return to `lead` (a re-entry in their stage history) and lose the date, so marketing nurtures
 * them again and qualifying them once more counts as a re-MQL (DEFINITIONS.md). Runs hourly; a
 * contact is re-opened once because the update clears the date it selects on.
 */
export async function reengageRecycled(db: Kysely<DB>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await sql<{ workspaceId: string; id: string }>`
      update contacts c set lifecycle_stage = 'lead', recycle_until = null, updated_at = now()
      from workspaces w
      where w.id = c.workspace_id and c.lifecycle_stage = 'recycled'
        and c.recycle_until <= (now() at time zone w.time_zone)::date
        and c.deleted_at is null and c.merged_into is null
      returning c.workspace_id as "workspaceId", c.id
    `.execute(trx)
    if (due.rows.length === 0) return 0
    await sql`
      insert into lifecycle_entries (workspace_id, id, entity, record_id, stage, entered_at, is_reentry, source)
      select r."workspaceId", gen_random_uuid(), 'contact', r.id, 'lead', now(), true, 'recycle'
      from jsonb_to_recordset(${JSON.stringify(due.rows)}::jsonb)
        as r("workspaceId" uuid, id uuid)
    `.execute(trx)
    return due.rows.length
  })
}
