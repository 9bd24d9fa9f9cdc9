import { benchAttribution } from './attribution.ts'
import { benchAttribution10m } from './attribution-10m.ts'
import { benchAttributionProduct } from './attribution-product.ts'
import { benchBridge } from './bridge.ts'
import { benchContactsList } from './contacts-list.ts'
import { benchDuplicates } from './duplicates.ts'
import { benchExport } from './export.ts'
import { benchHttp } from './http.ts'
import { benchImport } from './import.ts'
import { benchIngest } from './ingest.ts'
import { benchMicroscope } from './microscope.ts'
import { benchModel } from './model.ts'
import { benchPredictive } from './predictive.ts'
import { stopChildrenOnSignal } from './processes.ts'
import { type BenchReport, formatTable, isMet } from './report.ts'
import { benchRestart } from './restart.ts'
import { benchScoring } from './scoring.ts'
import { benchSla } from './sla.ts'
import { benchTelescope } from './telescope.ts'

// `npm run bench` runs every benchmark; `npm run bench -- http` only the ones named.
const benchmarks: Record<string, () => Promise<BenchReport>> = {
  http: () => benchHttp(),
  restart: () => benchRestart(),
  contacts: () => benchContactsList(),
  export: () => benchExport(),
  import: () => benchImport(),
  duplicates: () => benchDuplicates(),
  ingest: () => benchIngest(),
  sla: () => benchSla(),
  bridge: () => benchBridge(),
  microscope: () => benchMicroscope(),
  telescope: () => benchTelescope(),
  scoring: () => benchScoring(),
  model: () => benchModel(),
  predictive: () => benchPredictive(),
  attribution: () => benchAttribution(),
  'attribution-product': () => benchAttributionProduct(),
  'attribution-10m': () => benchAttribution10m(),
}

stopChildrenOnSignal()
const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !(name in benchmarks))
if (unknown.length > 0) {
  process.stderr.write(
    `Unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}\n`,
  )
  process.exit(2)
}

const reports: BenchReport[] = []
let failed = false
for (const [name, bench] of Object.entries(benchmarks)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue
  try {
    reports.push(await bench())
  } catch (error) {
    failed = true
    process.stderr.write(`[${name}] failed: ${error instanceof Error ? error.message : error}\n`)
  }
}
if (reports.length > 0) process.stdout.write(`\n${formatTable(reports)}\n`)
const missed = reports.some((report) => report.metrics.some((metric) => !isMet(metric)))
if (failed || missed) process.exitCode = 1
