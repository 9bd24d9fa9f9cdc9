import { get, type IncomingMessage } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { to as copyTo } from 'pg-copy-streams'
import { type ContactsVolume, loadContacts } from './contacts-data.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, makeMetric } from './report.ts'
import { type BenchTandem, startBenchTandem } from './server.ts'
import { median } from './stats.ts'

export interface ExportBenchOptions {
  volume: ContactsVolume
  runs: number
  /** Goal: our export's rows/s over raw COPY TO's, in the same run. */
  ratioLimit: number
}

// BENCH_EXPORT_CONTACTS=100000 tries it on a smaller workspace (the goal is stated for 1,048,576,
// HubSpot's per-file maximum).
const contacts = Number(process.env.BENCH_EXPORT_CONTACTS ?? 1_048_576)

export const defaultExportOptions: ExportBenchOptions = {
  volume: { contacts, accounts: 20_000, owners: 8, chunk: 65_536 },
  runs: 5,
  ratioLimit: 0.5,
}

interface Timed {
  seconds: number
  bytes: number
  lines: number
}

/** A sink that counts bytes and line feeds, so neither side pays for keeping the file. */
function counter(into: Timed) {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.bytes += chunk.length
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) into.lines += 1
      done()
    },
  })
}

/**
 * Export of 1,048,576 contacts (issue 4): GET /api/v1/exports/contacts?format=csv read to its last
 * byte over HTTP, against `COPY (select * from contacts where workspace_id = …) TO STDOUT (FORMAT
 * csv)` read by a client on the same machine, in the same run, alternating which goes first.
 */
export async function benchExport(
  options: ExportBenchOptions = defaultExportOptions,
): Promise<BenchReport> {
  const { volume } = options
  if (!Number.isInteger(volume.contacts) || volume.contacts < 1000) {
    throw new Error('BENCH_EXPORT_CONTACTS: a whole number of at least 1,000')
  }
  const chunks = Math.ceil(volume.contacts / volume.chunk)
  const steps = 1 + 2 + chunks + 1 + 1 + options.runs
  const progress = createProgress('export', steps)
  let tandem: BenchTandem | undefined
  try {
    progress.update('starting Tandem (--no-demo) and creating a viewer API key')
    tandem = await startBenchTandem('export', { role: 'viewer', poolMax: 2 })
    const { base, workspaceId, key, db, pool } = tandem
    progress.tick('Tandem started')

    const loadStart = performance.now()
    await loadContacts(db, workspaceId, volume, {
      tick: (status) => progress.tick(`loaded ${status}`),
      indexes: (count) => progress.setTotal(steps + count),
    })
    const loadSeconds = (performance.now() - loadStart) / 1000

    const raw = async (): Promise<Timed> => {
      const timed: Timed = { seconds: 0, bytes: 0, lines: 0 }
      const client = await pool.connect()
      try {
        const start = performance.now()
        const statement = `copy (select * from contacts where workspace_id = '${workspaceId}') to stdout (format csv)`
        await pipeline(client.query(copyTo(statement)), counter(timed))
        timed.seconds = (performance.now() - start) / 1000
      } finally {
        client.release()
      }
      return timed
    }
    // Read with node:http, a stream like the raw side's, rather than fetch's web streams.
    const ours = async (): Promise<Timed> => {
      const timed: Timed = { seconds: 0, bytes: 0, lines: 0 }
      const start = performance.now()
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        get(
          `${base}/api/v1/exports/contacts?format=csv`,
          { headers: { authorization: `Bearer ${key}` } },
          resolve,
        ).on('error', reject)
      })
      if (response.statusCode !== 200) {
        throw new Error(`export answered ${response.statusCode}`)
      }
      await pipeline(response, counter(timed))
      timed.seconds = (performance.now() - start) / 1000
      return timed
    }

    progress.update('warm-up: one export and one COPY')
    const warm = await ours()
    await raw()
    // The header line plus one line per contact (none of the loaded values holds a line break).
    if (warm.lines !== volume.contacts + 1) {
      throw new Error(`The export wrote ${warm.lines - 1} rows, not ${volume.contacts}`)
    }
    progress.tick(`warm-up: ${(warm.bytes / 1e6).toFixed(0)} MB CSV`)

    const oursRate: number[] = []
    const rawRate: number[] = []
    const ratios: number[] = []
    const sizes: string[] = []
    for (let run = 0; run < options.runs; run++) {
      const first = run % 2 === 0
      const a = first ? await ours() : await raw()
      const b = first ? await raw() : await ours()
      const [o, r] = first ? [a, b] : [b, a]
      oursRate.push(volume.contacts / o.seconds)
      rawRate.push(volume.contacts / r.seconds)
      ratios.push(r.seconds / o.seconds)
      sizes.push(`${(o.bytes / 1e6).toFixed(0)}/${(r.bytes / 1e6).toFixed(0)} MB`)
      progress.tick(
        `run ${run + 1}: ours ${o.seconds.toFixed(2)} s, COPY ${r.seconds.toFixed(2)} s`,
      )
    }

    const metrics = [
      makeMetric('export over HTTP (csv)', 'rows/s', oursRate),
      makeMetric('raw COPY … TO STDOUT (csv)', 'rows/s', rawRate),
      makeMetric('export / COPY TO (same run)', '', ratios, {
        target: { op: '>=', value: options.ratioLimit },
        digits: 2,
      }),
      makeMetric(`load ${volume.contacts.toLocaleString('en')} contacts`, 's', [loadSeconds], {
        digits: 1,
      }),
    ]
    const notes = [
      `${volume.contacts.toLocaleString('en')} contacts, ${volume.accounts.toLocaleString('en')} accounts; ours = GET /api/v1/exports/contacts?format=csv (API key, no sort: storage order, joins account and owner for natural keys, custom columns, ISO times) read to the last byte; raw = COPY of select * of the same rows through pg-copy-streams`,
      `bytes ours/raw per run: ${sizes.join(', ')}; ratio of medians ${(median(rawRate) > 0 ? median(oursRate) / median(rawRate) : 0).toFixed(2)}`,
    ]
    return { name: 'export', metrics, notes }
  } finally {
    progress.stop()
    await tandem?.close()
  }
}
