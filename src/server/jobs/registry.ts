import type PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'
import { registerImportJobs } from '../imports/job.ts'
import { purgeTrash } from '../trash/purge.ts'

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
}
