import path from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  freePort,
  type ManagedProcess,
  makeTempDir,
  removeDataDir,
  spawnTandemStart,
  stopLeftoverPostgres,
  waitForHealth,
} from './processes.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, makeMetric } from './report.ts'

export interface RestartOptions {
  runs: number
  /** The goal for the median, in seconds. */
  limit: number
}

export const defaultRestartOptions: RestartOptions = { runs: 5, limit: 5 }

/**
 * Seconds from spawning `tandem start` on an existing data directory (cluster, schema and demo
 * already there) to the first 200 from /api/health; also how long SIGTERM takes to stop it.
 */
export async function benchRestart(
  options: RestartOptions = defaultRestartOptions,
): Promise<BenchReport> {
  const progress = createProgress('restart', options.runs)
  const dataDir = await makeTempDir('restart')
  const logFile = path.join(dataDir, 'tandem.log')
  const notes: string[] = []
  let current: ManagedProcess | undefined
  try {
    progress.update('creating the data directory (first start, not measured)')
    const first = await startOnce(dataDir, logFile)
    await first.tandem.stop()
    current = undefined

    const startSeconds: number[] = []
    const stopSeconds: number[] = []
    let orphans = 0
    for (let run = 0; run < options.runs; run++) {
      const started = await startOnce(dataDir, logFile)
      startSeconds.push(started.seconds)
      const stopAt = performance.now()
      await started.tandem.stop()
      stopSeconds.push((performance.now() - stopAt) / 1000)
      current = undefined
      if (await stopLeftoverPostgres(dataDir)) orphans += 1
      progress.tick(`run ${run + 1}: ${started.seconds.toFixed(2)} s to the first 200`)
    }
    if (orphans > 0) notes.push(`PostgreSQL was left running after ${orphans} stop(s)`)
    notes.push('time = spawn of `node bin/tandem.js start` → first 200 from /api/health')
    return {
      name: 'restart',
      metrics: [
        makeMetric('start → first 200 /api/health', 's', startSeconds, {
          target: { op: '<=', value: options.limit },
          digits: 2,
        }),
        makeMetric('SIGTERM → exit', 's', stopSeconds, { digits: 2 }),
      ],
      notes,
    }
  } finally {
    progress.stop()
    await current?.stop()
    await removeDataDir(dataDir)
  }

  async function startOnce(dir: string, log: string) {
    const port = await freePort()
    const spawnedAt = performance.now()
    const tandem = spawnTandemStart(dir, port, { demo: true, logFile: log })
    current = tandem
    await waitForHealth(`http://127.0.0.1:${port}`, tandem, log, { intervalMs: 10 })
    return { tandem, seconds: (performance.now() - spawnedAt) / 1000 }
  }
}
