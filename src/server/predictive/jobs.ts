import type PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'
import { runEvery } from '../jobs/every.ts'
import { enforceEligibilityEverywhere, queueWeeklyTraining, runQueuedTraining } from './service.ts'

/** How often the worker looks for a queued training (the retrain button's answer shows in seconds). */
export const pollEveryMs = 5000

/**
 * The predictive worker: a timer runs queued trainings (one at a time per process; several workers
 * share predictive_training safely, claims skip locked rows), and every Monday night each
 * workspace is queued for its weekly retraining; every night, a model in charge of MQLs whose
 * workspace no longer has the history for it hands them back to the rules. Tests call runQueuedTraining directly.
 */
export async function registerPredictiveJobs(boss: PgBoss, ctx: AppContext): Promise<void> {
  runEvery(boss, ctx, pollEveryMs, 'predictive training', async (stopped) => {
    for (;;) {
      const done = await runQueuedTraining(ctx.db)
      if (!done || stopped()) break
      ctx.log.info(done, 'predictive model training finished')
    }
  })

  await boss.createQueue('predictive.weekly')
  await boss.schedule('predictive.weekly', '43 3 * * 1')
  await boss.work('predictive.weekly', async () => {
    const queued = await queueWeeklyTraining(ctx.db)
    ctx.log.info({ queued }, 'weekly predictive retraining queued')
  })
  // Between trainings the history can fall below the thresholds: checked every night.
  await boss.createQueue('predictive.eligibility')
  await boss.schedule('predictive.eligibility', '13 4 * * *')
  await boss.work('predictive.eligibility', async () => {
    const handed = await enforceEligibilityEverywhere(ctx.db)
    if (handed > 0) ctx.log.info({ handed }, 'MQLs handed back to the rules')
  })
}
