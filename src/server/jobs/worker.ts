import { hostname } from 'node:os'
import PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'
import { version } from '../version.ts'
import { startWebhookDispatcher } from '../webhooks/deliver.ts'
import { registerJobs } from './registry.ts'

export interface Worker {
  stop(): Promise<void>
}

/** Starts pg-boss (its schema lives in PostgreSQL: no extra server), the job handlers and a heartbeat. */
export async function startWorker(ctx: AppContext, databaseUrl: string): Promise<Worker> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 4 })
  boss.on('error', (error) => ctx.log.error({ err: error }, 'job queue error'))
  await boss.start()
  await registerJobs(boss, ctx)
  const webhooks = startWebhookDispatcher(ctx)
  const workerId = `${hostname()}:${process.pid}`
  const beat = () =>
    ctx.db
      .insertInto('workerHeartbeats')
      .values({ workerId, version, beatAt: new Date() })
      .onConflict((oc) => oc.column('workerId').doUpdateSet({ beatAt: new Date(), version }))
      .execute()
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'worker heartbeat failed'))
  await beat()
  const timer = setInterval(beat, 20_000)
  timer.unref()
  return {
    stop: async () => {
      clearInterval(timer)
      await webhooks.stop()
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 })
      await ctx.db
        .deleteFrom('workerHeartbeats')
        .where('workerId', '=', workerId)
        .execute()
        .catch(() => {})
    },
  }
}
