/**
 * Keeps every workspace's Telescope snapshots (issue 14) current without anyone waiting for them:
 * once an hour the worker computes the outlook and the week's changes of each workspace whose
 * stored ones are from an earlier local day (a new day begins at each workspace's own midnight).
 */
import type { Kysely } from 'kysely'
import type PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'
import type { DB } from '../db/schema.ts'
import { computeOutlook } from '../outlook/service.ts'
import { computeChanges } from '../trends/changes.ts'
import { type SnapshotKind, snapshot, workspaceToday } from './snapshots.ts'

type Compute = (db: Kysely<DB>, workspaceId: string, now: Date) => Promise<unknown>
const computers: Record<SnapshotKind, Compute> = {
  outlook: computeOutlook,
  changes: computeChanges,
}

/** Computes the snapshots that are missing or stale; how many it computed. */
export async function refreshStaleSnapshots(db: Kysely<DB>, now = new Date()): Promise<number> {
  const workspaces = await db.selectFrom('workspaces').select('id').orderBy('id').execute()
  let computed = 0
  for (const { id } of workspaces) {
    const today = await workspaceToday(db, id, now)
    const fresh = await db
      .selectFrom('telescopeSnapshots')
      .select('kind')
      .where('workspaceId', '=', id)
      .where('asOf', '=', today)
      .execute()
    const have = new Set(fresh.map((r) => r.kind))
    for (const kind of Object.keys(computers) as SnapshotKind[]) {
      if (have.has(kind)) continue
      await snapshot(db, id, kind, () => computers[kind](db, id, now), { refresh: true, now })
      computed += 1
    }
  }
  return computed
}

export async function registerTelescopeJobs(boss: PgBoss, ctx: AppContext): Promise<void> {
  await boss.createQueue('telescope.snapshots')
  await boss.schedule('telescope.snapshots', '7 * * * *')
  await boss.work('telescope.snapshots', async () => {
    const computed = await refreshStaleSnapshots(ctx.db)
    if (computed > 0) ctx.log.info({ computed }, 'Telescope snapshots computed')
  })
}
