import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { recomputeAttribution } from './recompute.ts'

/** A run left `running` this long ago belongs to a stopped worker and is taken again. */
const staleRunMs = 60 * 60_000

/**
 * Asks for a full recompute of a workspace's attribution. A request while one runs is kept (its
 * queued_at is newer than the run's start), so the worker runs again when it finishes.
 */
export async function queueAttribution(db: Kysely<DB>, workspaceId: string, now = new Date()) {
  await sql`
    insert into attribution_runs (workspace_id, status, queued_at)
    values (${workspaceId}, 'queued', ${now})
    on conflict (workspace_id) do update set queued_at = ${now}, error = null,
      status = case when attribution_runs.status = 'running' then 'running' else 'queued' end
  `.execute(db)
}

/** The nightly full recompute: every workspace with deals or contacts is queued. */
export async function queueNightlyAttribution(db: Kysely<DB>): Promise<number> {
  const result = await sql`
    insert into attribution_runs (workspace_id, status, queued_at)
    select w.id, 'queued', now() from workspaces w
    where exists (select 1 from deals d where d.workspace_id = w.id and d.deleted_at is null)
      or exists (select 1 from contacts c where c.workspace_id = w.id and c.deleted_at is null)
    on conflict (workspace_id) do update set queued_at = now(),
      status = case when attribution_runs.status = 'running' then 'running' else 'queued' end
  `.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/**
 * Claims one queued recompute (or one a stopped worker left running) and runs it. Answers the
 * workspace and how it ended, or null when nothing was queued; a failure is kept with its message.
 */
export async function runQueuedAttribution(
  db: Kysely<DB>,
  now: () => Date = () => new Date(),
): Promise<{ workspaceId: string; status: 'idle' | 'queued' | 'failed' } | null> {
  const startedAt = now()
  const claimed = await sql<{ workspaceId: string }>`
    update attribution_runs r set status = 'running', started_at = ${startedAt}, error = null
    from (
      select workspace_id from attribution_runs
      where status = 'queued'
        or (status = 'running' and started_at < ${new Date(startedAt.getTime() - staleRunMs)})
      order by queued_at nulls first limit 1 for update skip locked
    ) claim
    where r.workspace_id = claim.workspace_id
    returning r.workspace_id
  `.execute(db)
  const workspaceId = claimed.rows[0]?.workspaceId
  if (!workspaceId) return null
  let error: string | null = null
  try {
    await recomputeAttribution(db, workspaceId)
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure)
  }
  // Asked for again while it ran: queued again, so the newest records are counted.
  const finished = await sql<{ status: 'idle' | 'queued' | 'failed' }>`
    update attribution_runs set error = ${error},
      status = case when ${error}::text is not null then 'failed'
        when queued_at > ${startedAt} then 'queued' else 'idle' end
    where workspace_id = ${workspaceId} and status = 'running'
    returning status
  `.execute(db)
  return { workspaceId, status: finished.rows[0]?.status ?? 'idle' }
}
