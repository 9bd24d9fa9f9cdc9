import type PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'
import { runEvery } from '../jobs/every.ts'
import { runIncrementalAttribution, workspacesWithChanges } from './incremental.ts'
import { queueNightlyAttribution, runQueuedAttribution } from './runs.ts'

/** How often the worker looks for a queued recompute. */
export const pollEveryMs = 5000

/**
 * The attribution worker: a timer runs queued full recomputes (a settings change or the Recompute
 * button queues one; claims skip locked rows, so several workers share the queue) and then the
 * incremental updates of changed deals and contacts (incremental.ts), and every night each
 * workspace is queued for a full recompute. Tests call runQueuedAttribution directly.
 */
export async function registerAttributionJobs(boss: PgBoss, ctx: AppContext): Promise<void> {
  runEvery(boss, ctx, pollEveryMs, 'attribution recompute', async (stopped) => {
    for (;;) {
      const done = await runQueuedAttribution(ctx.db)
      if (!done || stopped()) break
      ctx.log.info(done, 'attribution recomputed')
    }
    // Then the changes since: only the deals and contacts they touch are attributed again.
    for (const workspaceId of await workspacesWithChanges(ctx.db)) {
      if (stopped()) break
      const done = await runIncrementalAttribution(ctx.db, workspaceId)
      if (done) ctx.log.debug({ workspaceId, ...done }, 'attribution updated')
    }
  })
  await boss.createQueue('attribution.nightly')
  await boss.schedule('attribution.nightly', '23 2 * * *')
  await boss.work('attribution.nightly', async () => {
    const queued = await queueNightlyAttribution(ctx.db)
    ctx.log.info({ queued }, 'nightly attribution recompute queued')
  })
}
