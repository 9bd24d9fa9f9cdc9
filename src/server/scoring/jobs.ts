import type PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'
import { runEvery } from '../jobs/every.ts'
import { decayScores, drainScoreQueue } from './queue.ts'

/** How often the worker drains score_queue: a change shows in the scores within seconds. */
export const drainEveryMs = 2000

/**
 * The scoring worker: drains score_queue every ~2 s (contacts queued by the triggers, and the
 * full rescoring a rule or half-life change queues), and the nightly decay job. pg-boss schedules
 * run at most once a minute, so the drain is a timer of the worker process; several workers share
 * the queue safely (claims skip locked rows). Tests call drainScoreQueue / decayScores directly.
 */
export async function registerScoringJobs(boss: PgBoss, ctx: AppContext): Promise<void> {
  runEvery(boss, ctx, drainEveryMs, 'scoring queue drain', async () => {
    const handled = await drainScoreQueue(ctx.db)
    if (handled > 0) ctx.log.debug({ handled }, 'rescored queued contacts')
  })

  // Engagement decays with time alone: every night, contacts with engagement > 0 are rescored.
  await boss.createQueue('scoring.decay')
  await boss.schedule('scoring.decay', '27 2 * * *')
  await boss.work('scoring.decay', async () => {
    const rescored = await decayScores(ctx.db)
    ctx.log.info({ rescored }, 'nightly score decay')
  })
}
