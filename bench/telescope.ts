import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { seedDemo } from '../src/demo/seed.ts'
import { demoApiKey, multiply, timedGet } from './bridge.ts'
import { drainQueues } from './microscope.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, isMet, makeMetric } from './report.ts'
import { type BenchTandem, startBenchTandem } from './server.ts'
import { median } from './stats.ts'

export interface TelescopeOptions {
  /** Extra copies of the demo world's records: 9 gives a workspace 10 × the demo's size. */
  copies: number
  runs: number
  /** Issue 14's goal: the refresh of every series of the workspace, seconds. */
  limitSeconds: number
}

export const defaultTelescopeOptions: TelescopeOptions = {
  copies: Number(process.env.BENCH_TELESCOPE_COPIES ?? 9),
  runs: Number(process.env.BENCH_TELESCOPE_RUNS ?? 5),
  limitSeconds: 5,
}

const outlookPath = '/api/v1/telescope/outlook?refresh=true'
const changesPath = '/api/v1/telescope/changes?refresh=true'

/**
 * The Telescope's forecast refresh (issue 14) through the HTTP API with an admin API key, on the
 * demo world multiplied to 10 × its size (the Bridge bench's copies): each run asks for the
 * two-year outlook (leads, MQLs, pipeline created and revenue: history, ETS fits and backtests)
 * and the week's changes (the weekly metrics of every channel and campaign and their change
 * tests) to be computed again, one after the other; the metric is their total, median of the runs.
 * The baseline is GET /api/v1/workspace in the same run.
 */
export async function benchTelescope(
  options: TelescopeOptions = defaultTelescopeOptions,
): Promise<BenchReport> {
  if (!Number.isInteger(options.copies) || options.copies < 0 || options.copies > 50) {
    throw new Error('BENCH_TELESCOPE_COPIES: a whole number from 0 to 50')
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    throw new Error('BENCH_TELESCOPE_RUNS: a whole number of at least 1')
  }
  const progress = createProgress('telescope', 4 + 9 + options.runs)
  let tandem: BenchTandem | undefined
  try {
    progress.update('starting Tandem (--no-demo)')
    tandem = await startBenchTandem('telescope', { role: 'admin', poolMax: 4 })
    const { db, base } = tandem
    progress.tick('Tandem started')
    progress.update('seeding the demo world (about a minute)')
    const demo = await seedDemo(db, { seed: 1, asOf: new Date(), reset: false })
    const workspaceId = demo.workspaceId
    progress.tick('demo seeded')
    const key = await demoApiKey(base, workspaceId)
    const headers = { authorization: `Bearer ${key}` }
    progress.tick('admin API key of the demo workspace')
    const before = await volume(db, workspaceId)
    await multiply(db, workspaceId, options.copies, progress, [
      'accounts',
      'contacts',
      'deals',
      'deal_contacts',
      'activities',
      'touchpoints',
      'lifecycle_entries',
      'handoffs',
    ])
    await sql`vacuum (analyze) accounts, contacts, deals, deal_contacts, activities, touchpoints,
      lifecycle_entries, handoffs`.execute(db)
    await sql`analyze`.execute(db)
    const drained = await drainQueues(db)
    const after = await volume(db, workspaceId)
    progress.tick(`vacuum analyze; scoring and attribution queues drained in ${drained} s`)

    // One untimed refresh of each, so the runs time warm code and a warm cache alike.
    await timedGet(base, headers, outlookPath)
    await timedGet(base, headers, changesPath)
    progress.tick('warm-up refresh')
    const totals: number[] = []
    const outlooks: number[] = []
    const changes: number[] = []
    const baselines: number[] = []
    for (let run = 0; run < options.runs; run++) {
      const start = performance.now()
      outlooks.push(await timedGet(base, headers, outlookPath))
      changes.push(await timedGet(base, headers, changesPath))
      totals.push((performance.now() - start) / 1000)
      baselines.push(await timedGet(base, headers, '/api/v1/workspace'))
      progress.tick(
        `run ${run + 1}: refresh ${totals.at(-1)?.toFixed(2)} s (outlook ${outlooks.at(-1)?.toFixed(0)} ms, changes ${changes.at(-1)?.toFixed(0)} ms)`,
      )
    }
    const metrics = [
      makeMetric('refresh of every series (outlook + changes)', 's', totals, {
        target: { op: '<=', value: options.limitSeconds },
        digits: 2,
      }),
      makeMetric('outlook refresh', 'ms', outlooks, { digits: 0 }),
      makeMetric('changes refresh', 'ms', changes, { digits: 0 }),
      makeMetric('GET /api/v1/workspace (baseline)', 'ms', baselines, { digits: 1 }),
      makeMetric(
        'refresh / baseline (same run)',
        '',
        totals.map((s, run) => (s * 1000) / (baselines[run] ?? Number.NaN)),
        { digits: 0 },
      ),
    ]
    const notes = [
      `workspace ${options.copies + 1} × the demo world: ${after.leads.toLocaleString('en')} lead entries and ${after.handoffs.toLocaleString('en')} handoffs (the demo alone: ${before.leads.toLocaleString('en')} and ${before.handoffs.toLocaleString('en')})`,
      `${options.runs} runs, each GET ${outlookPath} then GET ${changesPath}, after one warm-up refresh; admin API key`,
      `medians: refresh ${median(totals).toFixed(2)} s, outlook ${median(outlooks).toFixed(0)} ms, changes ${median(changes).toFixed(0)} ms`,
      `load average at the end (1 min): ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs${metrics.some((m) => !isMet(m)) ? '; goal missed' : ''}`,
    ]
    return { name: 'telescope', metrics, notes }
  } finally {
    progress.stop()
    await tandem?.close()
  }
}

async function volume(db: BenchTandem['db'], workspaceId: string) {
  const result = await sql<{ leads: string; handoffs: string }>`
    select (select count(*) from lifecycle_entries where workspace_id = ${workspaceId}
        and entity = 'contact' and stage = 'lead') as leads,
      (select count(*) from handoffs where workspace_id = ${workspaceId}) as handoffs
  `.execute(db)
  return { leads: Number(result.rows[0]?.leads), handoffs: Number(result.rows[0]?.handoffs) }
}
