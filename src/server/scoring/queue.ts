import { type Kysely, sql } from 'kysely'
import type { DB, ScoreCause } from '../db/schema.ts'
import { scoreContacts } from '../predictive/train.ts'
import { rescore } from './engine.ts'

// score_queue (migration 2026-11-29T0900): triggers queue the contacts whose records or touches
// changed; a rule or half-life change queues the whole workspace as one row carrying the
// `wholeWorkspace` id (score_queue.contact_id has no foreign key), so that the change itself stays
// quick and the worker rescoring everyone runs one set-based statement.

/** The contact id of a score_queue row that stands for every contact of its workspace. */
export const wholeWorkspace = '00000000-0000-0000-0000-000000000000'

/** Queues a full rescoring of the workspace (in the caller's transaction). */
export async function queueFullRescore(
  db: Kysely<DB>,
  workspaceId: string,
  cause: ScoreCause,
): Promise<void> {
  await db
    .insertInto('scoreQueue')
    .values({ workspaceId, contactId: wholeWorkspace, cause, queuedAt: new Date() })
    .onConflict((oc) => oc.columns(['workspaceId', 'contactId']).doUpdateSet({ cause }))
    .execute()
}

/** How many contacts wait to be rescored (all live ones while a full rescoring is queued). */
export async function queuedContacts(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const row = await sql<{ queued: number }>`
    select case when exists (select 1 from score_queue where workspace_id = ${workspaceId}
        and contact_id = ${wholeWorkspace}::uuid)
      then (select count(*)::int from contacts where workspace_id = ${workspaceId}
        and deleted_at is null and merged_into is null)
      else (select count(*)::int from score_queue where workspace_id = ${workspaceId})
    end as queued
  `.execute(db)
  return row.rows[0]?.queued ?? 0
}

export interface DrainOptions {
  /** Contacts claimed per transaction. */
  batchSize?: number
  /** Stop after this many batches (the worker runs again two seconds later). */
  maxBatches?: number
  now?: () => Date
}

/**
 * Drains score_queue: claims a batch (oldest first, `for update skip locked`, so several workers
 * never take the same rows), rescores it and removes it in one transaction; a failure leaves the
 * batch queued. The claimed rows are deleted by their ctid: joining the claim back on the key let the
 * planner, without statistics on a freshly filled queue, loop over the whole queue per claimed row
 * (minutes for 100,000 rows, while inserts of touches waited on the claimed rows). Answers how many queue rows it handled.
 */
export async function drainScoreQueue(db: Kysely<DB>, options: DrainOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 2000
  const maxBatches = options.maxBatches ?? 50
  const now = options.now ?? (() => new Date())
  let handled = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const claimed = await db.transaction().execute(async (trx) => {
      const rows = await sql<{ workspaceId: string; contactId: string; cause: ScoreCause }>`
        delete from score_queue
        where ctid = any(array(
          select ctid from score_queue
          order by queued_at
          limit ${batchSize}
          for update skip locked
        ))
        returning workspace_id, contact_id, cause
      `.execute(trx)
      const groups = new Map<string, { workspaceId: string; cause: ScoreCause; ids: string[] }>()
      const whole = new Map<string, ScoreCause>()
      for (const row of rows.rows) {
        if (row.contactId === wholeWorkspace) {
          whole.set(row.workspaceId, row.cause)
          continue
        }
        const key = `${row.workspaceId}:${row.cause}`
        const group = groups.get(key) ?? { workspaceId: row.workspaceId, cause: row.cause, ids: [] }
        group.ids.push(row.contactId)
        groups.set(key, group)
      }
      const at = now()
      for (const [workspaceId, cause] of whole) {
        // Everyone is rescored: the workspace's other queued contacts need nothing more. Rows
        // queued after this delete stay for the next batch.
        await trx.deleteFrom('scoreQueue').where('workspaceId', '=', workspaceId).execute()
        await rescore(trx, workspaceId, 'all', cause, at)
      }
      for (const group of groups.values()) {
        if (whole.has(group.workspaceId)) continue
        await rescore(trx, group.workspaceId, group.ids, group.cause, at)
        // New and changed contacts get their predictive score too (when a model was trained).
        await scoreContacts(trx, group.workspaceId, group.ids, at)
      }
      return rows.rows.length
    })
    handled += claimed
    if (claimed < batchSize) break
  }
  return handled
}

/**
 * The nightly decay: engagement fades with time alone, so every contact with engagement > 0 is
 * rescored (cause 'decay'), in chunks. Answers how many contacts were rescored.
 */
export async function decayScores(
  db: Kysely<DB>,
  now: Date = new Date(),
  chunk = 5000,
): Promise<number> {
  const workspaces = await db
    .selectFrom('contactScores')
    .select('workspaceId')
    .distinct()
    .where('engagement', '>', 0)
    .execute()
  let total = 0
  for (const { workspaceId } of workspaces) {
    let after = '00000000-0000-0000-0000-000000000000'
    for (;;) {
      const ids = (
        await db
          .selectFrom('contactScores')
          .select('contactId')
          .where('workspaceId', '=', workspaceId)
          .where('engagement', '>', 0)
          .where('contactId', '>', after)
          .orderBy('contactId')
          .limit(chunk)
          .execute()
      ).map((row) => row.contactId)
      if (ids.length === 0) break
      await rescore(db, workspaceId, ids, 'decay', now)
      total += ids.length
      after = ids[ids.length - 1] as string
      if (ids.length < chunk) break
    }
  }
  return total
}
