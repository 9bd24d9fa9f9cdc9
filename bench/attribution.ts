import { spawn } from 'node:child_process'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { attribute } from '../src/domain/attribution/engine.ts'
import type { AttributionModel, Journey, Touch } from '../src/domain/attribution/types.ts'
import { makeRandom } from '../src/domain/random.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, makeMetric } from './report.ts'

export interface AttributionBenchOptions {
  runs: number
  /** Journeys given to Markov and Shapley (issue 11: 1,000,000 with 12 channels ≤ 5 s). */
  journeys: number
}

// BENCH_ATTRIBUTION_RUNS (or BENCH_RUNS) and BENCH_ATTRIBUTION_JOURNEYS change the defaults.
export const defaultAttributionOptions: AttributionBenchOptions = {
  runs: Number(process.env.BENCH_ATTRIBUTION_RUNS ?? process.env.BENCH_RUNS ?? 5),
  journeys: Number(process.env.BENCH_ATTRIBUTION_JOURNEYS ?? 1_000_000),
}

const root = path.resolve(import.meta.dirname, '..')
const paths = path.resolve(root, '../shared/data/attribution_paths_channelattribution.csv')

/** Milliseconds of one `tandem …` process, as a user runs it (tsx start-up included). */
function timeCli(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [path.join(root, 'bin/tandem.js'), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`tandem ${args[0]} failed: ${stderr.trim()}`))
      resolve(performance.now() - started)
    })
  })
}

const channels = [
  'paid_search',
  'organic_search',
  'email',
  'social',
  'paid_social',
  'display',
  'referral',
  'direct',
  'events',
  'webinar',
  'content',
  'sales',
]

/**
 * Journeys of 1 to 12 touches over 12 channels, where the next channel tends to repeat the last and
 * some channels raise the chance of converting (about 1 in 8 converts), seeded.
 */
export function syntheticJourneys(count: number, seed: number): Journey[] {
  const next = makeRandom(seed)
  const lift = channels.map((_, c) => 0.6 + (c % 4) * 0.35)
  const day = 86_400_000
  const journeys: Journey[] = []
  for (let j = 0; j < count; j++) {
    const length = 1 + Math.min(11, Math.floor(-Math.log(1 - next()) * 2.5))
    const touches: Touch[] = []
    let channel = Math.floor(next() ** 1.5 * channels.length)
    let odds = 0.04
    let at = 0
    for (let t = 0; t < length; t++) {
      if (t > 0 && next() > 0.35) channel = Math.floor(next() * channels.length)
      at += Math.floor(next() * 6 * day)
      odds *= lift[channel] ?? 1
      touches.push({ id: `${j}.${t}`, channel: channels[channel] ?? 'direct', campaign: null, at })
    }
    const converts = next() < Math.min(0.9, odds * 1.6)
    journeys.push({
      id: String(j),
      touches,
      conversion: converts ? { at: at + day, value: 1000 + Math.floor(next() * 9000) } : null,
    })
  }
  return journeys
}

function timeModel(journeys: readonly Journey[], model: AttributionModel): number {
  const started = performance.now()
  attribute(journeys, { model, lookbackDays: null })
  return performance.now() - started
}

/**
 * Attribution (issue 11). Each run: `tandem attribution` on the 10,000-path file with every model
 * (goal ≤ 2 s including start-up) beside `tandem --version` (start-up alone, the baseline); then
 * Markov and Shapley over 1,000,000 journeys with 12 channels (goal ≤ 5 s each) beside linear on the
 * same journeys (the baseline: one pass that credits every touch).
 */
export async function benchAttribution(
  options: AttributionBenchOptions = defaultAttributionOptions,
): Promise<BenchReport> {
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    throw new Error('BENCH_ATTRIBUTION_RUNS: a whole number of at least 1')
  }
  if (!Number.isInteger(options.journeys) || options.journeys < 1000) {
    throw new Error('BENCH_ATTRIBUTION_JOURNEYS: a whole number of at least 1000')
  }
  const progress = createProgress('attribution', 1 + options.runs * 2)
  try {
    progress.update(`generating ${options.journeys.toLocaleString('en')} journeys`)
    const journeys = syntheticJourneys(options.journeys, 11)
    const converted = journeys.filter((journey) => journey.conversion).length
    const touches = journeys.reduce((sum, journey) => sum + journey.touches.length, 0)
    timeModel(journeys.slice(0, 10_000), 'markov')
    progress.tick(
      `${converted.toLocaleString('en')} converting, ${touches.toLocaleString('en')} touches`,
    )
    const cli: number[] = []
    const startUp: number[] = []
    const markov: number[] = []
    const shapley: number[] = []
    const linear: number[] = []
    for (let run = 0; run < options.runs; run++) {
      startUp.push(await timeCli(['--version']))
      cli.push(await timeCli(['attribution', paths, '--json']))
      progress.tick(
        `run ${run + 1}: 10,000 paths in ${Math.round(cli[run] ?? 0)} ms (start-up ${Math.round(startUp[run] ?? 0)} ms)`,
      )
      linear.push(timeModel(journeys, 'linear'))
      markov.push(timeModel(journeys, 'markov'))
      shapley.push(timeModel(journeys, 'shapley'))
      progress.tick(
        `run ${run + 1}: markov ${Math.round(markov[run] ?? 0)} ms, shapley ${Math.round(shapley[run] ?? 0)} ms, linear ${Math.round(linear[run] ?? 0)} ms`,
      )
    }
    const size = options.journeys.toLocaleString('en')
    return {
      name: 'attribution',
      metrics: [
        makeMetric('10,000 paths, all models, end to end', 'ms', cli, {
          target: { op: '<=', value: 2000 },
        }),
        makeMetric('start-up alone (tandem --version, baseline)', 'ms', startUp),
        makeMetric(
          '10,000 paths / start-up alone',
          '×',
          cli.map((ms, i) => ms / (startUp[i] ?? ms)),
          { digits: 2 },
        ),
        makeMetric(`markov, ${size} journeys`, 'ms', markov, {
          target: { op: '<=', value: 5000 },
        }),
        makeMetric(`shapley, ${size} journeys`, 'ms', shapley, {
          target: { op: '<=', value: 5000 },
        }),
        makeMetric(`linear, ${size} journeys (baseline)`, 'ms', linear),
        makeMetric(
          'markov / linear',
          '×',
          markov.map((ms, i) => ms / (linear[i] ?? ms)),
          { digits: 2 },
        ),
        makeMetric(
          'shapley / linear',
          '×',
          shapley.map((ms, i) => ms / (linear[i] ?? ms)),
          { digits: 2 },
        ),
      ],
      notes: [
        'end to end = a new `tandem attribution <10,000-path file> --json` process: start-up (tsx), CSV, six models, JSON',
        `journeys: ${size} (${converted.toLocaleString('en')} converting, ${touches.toLocaleString('en')} touches, 12 channels); each time is the engine's attribute(): channel weights from every journey, then each conversion's credits per touch`,
      ],
    }
  } finally {
    progress.stop()
  }
}
