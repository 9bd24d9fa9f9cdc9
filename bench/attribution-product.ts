import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { seedDemo } from '../src/demo/seed.ts'
import { recomputeAttribution } from '../src/server/attribution/recompute.ts'
import { copySeconds as copyTouchesSeconds } from './attribution-10m.ts'
import { demoApiKey, multiply, timedGet } from './bridge.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, isMet, makeMetric } from './report.ts'
import { type BenchTandem, startBenchTandem } from './server.ts'
import { median, percentile } from './stats.ts'

/**
 * Attribution in the product (issue 12) on the demo world multiplied to 10 × its size (like the
 * Bridge bench: its records copied 9 times with new ids): the full recompute of every model and
 * conversion kind against `COPY … TO` of the touchpoints it reads, in the same run, and the p95 of
 * the attribution report (and its drill-down) against GET /api/v1/workspace.
 */
const options = {
  copies: Number(process.env.BENCH_ATTRIBUTION_COPIES ?? 9),
  runs: Number(process.env.BENCH_ATTRIBUTION_RUNS ?? 5),
  requests: 20,
  warmup: 3,
}

const range = () => {
  const today = new Date()
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1))
  const iso = (d: Date) => d.toISOString().slice(0, 10)
  return `from=${iso(first)}&to=${iso(today)}`
}

const cases = [
  { label: 'report groupBy=campaign', path: '/api/v1/reports/attribution', target: true },
  {
    label: 'report groupBy=channel',
    path: '/api/v1/reports/attribution?groupBy=channel',
    target: true,
  },
  {
    label: 'report groupBy=month',
    path: '/api/v1/reports/attribution?groupBy=month',
    target: true,
  },
  {
    label: 'drill-down (credits, no campaign)',
    path: `/api/v1/reports/attribution/credits?campaign=none&${range()}`,
    target: false,
  },
  {
    label: 'drill-down under linear (contributions, no campaign)',
    path: `/api/v1/reports/attribution/credits?model=linear&campaign=none&${range()}`,
    target: false,
  },
]
const baseline = { label: 'GET /api/v1/workspace', path: '/api/v1/workspace', target: false }

export async function benchAttributionProduct(): Promise<BenchReport> {
  if (!Number.isInteger(options.copies) || options.copies < 0 || options.copies > 50) {
    throw new Error('BENCH_ATTRIBUTION_COPIES: a whole number from 0 to 50')
  }
  const progress = createProgress('attribution-product', 5 + 6 + options.runs * 2)
  const notes: string[] = []
  let tandem: BenchTandem | undefined
  try {
    tandem = await startBenchTandem('attribution-product', { role: 'admin', poolMax: 2 })
    const { db, base, pool } = tandem
    progress.tick('Tandem started')
    const demo = await seedDemo(db, { seed: 1, asOf: new Date(), reset: false })
    const workspaceId = demo.workspaceId
    progress.tick('demo seeded')
    const key = await demoApiKey(base, workspaceId)
    const headers = { authorization: `Bearer ${key}` }
    // What attribution reads; handoffs are left out (the live worker makes new ones meanwhile).
    await multiply(db, workspaceId, options.copies, progress, [
      'accounts',
      'contacts',
      'deals',
      'deal_contacts',
      'touchpoints',
      'lifecycle_entries',
    ])
    // The copies queued their journeys for the live worker's incremental runs (the full recomputes
    // measured below do that work) and their contacts for rescoring: both queues are emptied
    // rather than left to compete with what is measured.
    await sql`delete from attribution_queue where workspace_id = ${workspaceId}`.execute(db)
    await sql`delete from score_queue where workspace_id = ${workspaceId}`.execute(db)
    await sql`vacuum (analyze) touchpoints, contacts, deals, deal_contacts, lifecycle_entries`.execute(
      db,
    )
    progress.tick(`copied ${options.copies} times`)
    const counts = (
      await sql<{ touches: string; deals: string; contacts: string }>`
        select (select count(*) from touchpoints where workspace_id = ${workspaceId} and not is_bot) as touches,
          (select count(*) from deals where workspace_id = ${workspaceId}) as deals,
          (select count(*) from contacts where workspace_id = ${workspaceId}) as contacts`.execute(
        db,
      )
    ).rows[0]

    const copySeconds: number[] = []
    const recomputeSeconds: number[] = []
    for (let run = 0; run < options.runs; run++) {
      copySeconds.push(await copyTouchesSeconds(pool, workspaceId))
      const start = performance.now()
      await recomputeAttribution(db, workspaceId)
      recomputeSeconds.push((performance.now() - start) / 1000)
      progress.tick(
        `run ${run + 1}: recompute ${recomputeSeconds.at(-1)?.toFixed(1)} s, COPY TO ${copySeconds.at(-1)?.toFixed(2)} s`,
      )
    }

    const all = [...cases, baseline]
    for (const c of all)
      for (let i = 0; i < options.warmup; i++) await timedGet(base, headers, c.path)
    const p95s = new Map(all.map((c) => [c, [] as number[]]))
    for (let run = 0; run < options.runs; run++) {
      const times = new Map(all.map((c) => [c, [] as number[]]))
      for (let i = 0; i < options.requests; i++) {
        for (const c of all) times.get(c)?.push(await timedGet(base, headers, c.path))
      }
      for (const c of all) p95s.get(c)?.push(percentile(times.get(c) ?? [], 95))
      progress.tick(`report run ${run + 1}`)
    }
    const baseP95s = p95s.get(baseline) ?? []
    const metrics = [
      makeMetric('full recompute (11 models × 5 conversion kinds)', 's', recomputeSeconds, {
        digits: 1,
      }),
      makeMetric('COPY … TO of the touchpoints it reads (baseline)', 's', copySeconds, {
        digits: 2,
      }),
      makeMetric(
        'recompute / COPY TO (same run)',
        '×',
        recomputeSeconds.map((s, i) => s / (copySeconds[i] ?? Number.NaN)),
        { digits: 1 },
      ),
      ...cases.map((c) =>
        makeMetric(`${c.label} p95`, 'ms', p95s.get(c) ?? [], {
          target: c.target ? { op: '<=', value: 300 } : undefined,
          digits: 1,
        }),
      ),
      makeMetric(`${baseline.label} p95 (baseline)`, 'ms', baseP95s, { digits: 1 }),
      ...cases.map((c) =>
        makeMetric(
          `${c.label} / baseline`,
          '×',
          (p95s.get(c) ?? []).map((ms, i) => ms / (baseP95s[i] ?? Number.NaN)),
          { digits: 1 },
        ),
      ),
    ]
    notes.push(
      `workspace ${options.copies + 1} × the demo world: ${Number(counts?.touches).toLocaleString('en')} non-bot touchpoints, ${Number(counts?.deals).toLocaleString('en')} deals, ${Number(counts?.contacts).toLocaleString('en')} contacts`,
      `recompute medians ${median(recomputeSeconds).toFixed(1)} s vs COPY TO ${median(copySeconds).toFixed(2)} s; the issue's goal (≤ 3 × COPY TO over 10,000,000 touchpoints, one conversion kind) is not measured here`,
      `${options.runs} runs × ${options.requests} sequential requests per case after ${options.warmup} warm-up; admin API key`,
      `load average at the end (1 min): ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs${metrics.some((m) => !isMet(m)) ? '; goal missed' : ''}`,
    )
    return { name: 'attribution-product', metrics, notes }
  } finally {
    progress.stop()
    await tandem?.close()
  }
}
