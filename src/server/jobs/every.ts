import type PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'

/**
 * Runs `tick` every `everyMs` in the worker process, never two at once, until pg-boss stops.
 * pg-boss schedules run at most once a minute; the score queue and queued trainings need seconds.
 * A failing tick is logged with `what` and tried again at the next one.
 */
export function runEvery(
  boss: PgBoss,
  ctx: AppContext,
  everyMs: number,
  what: string,
  tick: (stopped: () => boolean) => Promise<void>,
): void {
  let running = false
  let stopped = false
  const run = async () => {
    if (running || stopped) return
    running = true
    try {
      await tick(() => stopped)
    } catch (error) {
      ctx.log.error({ err: error }, `${what} failed`)
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void run(), everyMs)
  timer.unref()
  boss.on('stopped', () => {
    stopped = true
    clearInterval(timer)
  })
}
