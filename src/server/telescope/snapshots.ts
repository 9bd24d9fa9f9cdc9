/**
 * The Telescope's stored computations (issue 14): the long-range outlook and the week's changes are
 * computed for a whole workspace at once and kept, one row per kind, for the rest of the workspace's
 * local day. A page reads the stored body; a new local day, or `refresh`, computes it again.
 */
import { type Kysely, sql } from 'kysely'
import { periodOf } from '../../domain/calendar.ts'
import type { DB } from '../db/schema.ts'

export type SnapshotKind = 'outlook' | 'changes'

export interface Snapshot<T> {
  computedAt: Date
  body: T
}

/** The workspace's local date now (YYYY-MM-DD): the day a snapshot is kept for. */
export async function workspaceToday(
  db: Kysely<DB>,
  workspaceId: string,
  now = new Date(),
): Promise<string> {
  const workspace = await db
    .selectFrom('workspaces')
    .select(['timeZone', 'fiscalYearStartMonth'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  return periodOf('day', now, workspace).key
}

/**
 * The stored result of `compute` for the workspace; computed (and stored) when missing, from an
 * earlier local day than today (`now`'s, by default the clock's), or when `refresh` is true.
 */
export async function snapshot<T>(
  db: Kysely<DB>,
  workspaceId: string,
  kind: SnapshotKind,
  compute: () => Promise<T>,
  options: { refresh?: boolean; now?: Date } = {},
): Promise<Snapshot<T>> {
  const today = await workspaceToday(db, workspaceId, options.now)
  if (!options.refresh) {
    const stored = await db
      .selectFrom('telescopeSnapshots')
      .select(['computedAt', 'body'])
      .where('workspaceId', '=', workspaceId)
      .where('kind', '=', kind)
      .where('asOf', '=', today)
      .executeTakeFirst()
    if (stored) return { computedAt: stored.computedAt, body: stored.body as T }
  }
  const body = await compute()
  const row = await db
    .insertInto('telescopeSnapshots')
    .values({ workspaceId, kind, asOf: today, body: JSON.stringify(body) })
    .onConflict((oc) =>
      oc.columns(['workspaceId', 'kind']).doUpdateSet({
        asOf: today,
        body: (eb) => eb.ref('excluded.body'),
        computedAt: sql`now()`,
      }),
    )
    .returning('computedAt')
    .executeTakeFirstOrThrow()
  return { computedAt: row.computedAt, body }
}

/** Forgets the workspace's snapshots (e.g. after the demo world is reseeded). */
export async function dropSnapshots(db: Kysely<DB>, workspaceId: string): Promise<void> {
  await db.deleteFrom('telescopeSnapshots').where('workspaceId', '=', workspaceId).execute()
}
