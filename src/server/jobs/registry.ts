import type PgBoss from 'pg-boss'
import { registerAttributionJobs } from '../attribution/jobs.ts'
import { digestBaseUrl, sendWeeklyDigests } from '../bridge/digest.ts'
import type { AppContext } from '../context.ts'
import { reengageRecycled } from '../handoffs/reengage.ts'
import { registerImportJobs } from '../imports/job.ts'
import { registerPredictiveJobs } from '../predictive/jobs.ts'
import { registerScoringJobs } from '../scoring/jobs.ts'
import { runSlaScan } from '../sla/scan.ts'
import { registerTelescopeJobs } from '../telescope/refresh.ts'
import { purgeTrash } from '../trash/purge.ts'
import { registerWebhookJobs } from '../webhooks/deliver.ts'

/** Every job and its schedule, in one place. Each later feature adds its jobs here. */
export async function registerJobs(boss: PgBoss, ctx: AppContext): Promise<void> {
  await boss.createQueue('auth.cleanup')
  await boss.schedule('auth.cleanup', '17 3 * * *')
  await boss.work('auth.cleanup', async () => {
    // Expired sessions and used-up verification tokens are of no use to anyone.
    const now = new Date()
    await ctx.db.deleteFrom('sessions').where('expiresAt', '<', now).execute()
    await ctx.db.deleteFrom('verifications').where('expiresAt', '<', now).execute()
    await ctx.db
      .deleteFrom('workerHeartbeats')
      .where('beatAt', '<', new Date(now.getTime() - 86_400_000))
      .execute()
  })

  // Deleted records stay restorable for 30 days, then go for good (ARCHITECTURE.md, API).
  await boss.createQueue('trash.purge')
  await boss.schedule('trash.purge', '37 3 * * *')
  await boss.work('trash.purge', async () => {
    await purgeTrash(ctx.db)
  })

  await registerImportJobs(boss, ctx)
  await registerWebhookJobs(boss, ctx)
  // Scores (issue 9): rescoring within seconds of a change, and the nightly decay.
  await registerScoringJobs(boss, ctx)
  await registerPredictiveJobs(boss, ctx)
  // Attribution (issue 12): queued recomputes within seconds, a full recompute every night.
  await registerAttributionJobs(boss, ctx)
  // The Telescope (issue 14): each workspace's outlook and changes computed for its new day.
  await registerTelescopeJobs(boss, ctx)

  // The handoff's clocks (issue 7): breaches and escalations are flagged within a minute.
  await boss.createQueue('sla.scan')
  await boss.schedule('sla.scan', '* * * * *')
  await boss.work('sla.scan', async () => {
    const result = await runSlaScan(ctx.db)
    if (result.firstTouchBreaches + result.decisionBreaches + result.escalations > 0)
      ctx.log.info(result, 'SLA scan flagged handoffs')
  })

  // Recycled contacts come back to nurture on their re-engage date (in each workspace's zone).
  await boss.createQueue('lifecycle.reengage')
  await boss.schedule('lifecycle.reengage', '7 * * * *')
  await boss.work('lifecycle.reengage', async () => {
    await reengageRecycled(ctx.db)
  })

  // The Bridge's weekly digest (issue 8): hourly, so each workspace gets it on Monday at 08:xx in
  // its own time zone (half-hour zones too); bridge_digests makes it once per workspace and week.
  await boss.createQueue('bridge.digest')
  await boss.schedule('bridge.digest', '5 * * * *')
  await boss.work('bridge.digest', async () => {
    await sendWeeklyDigests({
      db: ctx.db,
      mailer: ctx.mailer,
      baseUrl: digestBaseUrl(ctx.env),
      log: ctx.log,
    })
  })
}
