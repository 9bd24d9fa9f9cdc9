import { createWriteStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import cliProgress from 'cli-progress'
import type { Kysely } from 'kysely'
import { openDatabase } from '../server/db/database.ts'
import { migrateToLatest } from '../server/db/migrate.ts'
import { getEnv } from '../server/env.ts'
import {
  chooseWorkspace,
  countExport,
  type ExportFormat,
  ExportQuery,
  parseEntity,
  prepareExport,
  streamExport,
} from '../server/exports/service.ts'
import { openDatabaseTarget } from './database.ts'

export interface ExportOptions {
  workspace?: string
  format: ExportFormat
  out?: string
  filter?: string
  q?: string
  sort?: string
}

/** Counts lines as they pass (rows, but for CSV cells that hold line breaks). */
function lineCounter(onLines: (lines: number) => void) {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let lines = 0
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1
      onLines(lines)
      done(null, chunk)
    },
  })
}

/**
 * `tandem export <entity>`: the same file as GET /api/v1/exports/{entity}, read straight from the
 * database, to --out (with a progress bar) or to stdout.
 */
export async function runExport(rawEntity: string, options: ExportOptions): Promise<void> {
  const entity = parseEntity(rawEntity)
  const query = ExportQuery.parse({
    format: options.format,
    filter: options.filter,
    q: options.q,
    sort: options.sort,
  })
  const env = getEnv()
  const target = await openDatabaseTarget(env, (line) => process.stderr.write(`${line}\n`))
  const handle = openDatabase(target.url, { max: 2 })
  try {
    await migrateToLatest(handle.db as unknown as Kysely<never>)
    const workspace = await chooseWorkspace(handle.db, options.workspace)
    const principal = {
      kind: 'cli' as const,
      name: 'tandem CLI',
      workspaceId: workspace.id,
      role: 'viewer' as const,
    }
    const prepared = await prepareExport(handle.db, principal, entity, query)
    if (!options.out) {
      const stream = await streamExport(handle.pool, prepared)
      await pipeline(stream, process.stdout).catch((error: unknown) => {
        // A reader that stops early (| head) is not a failure of the export.
        if ((error as { code?: unknown }).code !== 'EPIPE') throw error
      })
      return
    }
    const total = await countExport(handle.pool, prepared)
    const bar = new cliProgress.SingleBar(
      {
        format: `${entity} [{bar}] {value}/{total} rows · {speed} rows/s · ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    )
    const started = Date.now()
    let rows = prepared.header ? -1 : 0
    bar.start(total, 0, { speed: 0 })
    const stream = await streamExport(handle.pool, prepared)
    try {
      await pipeline(
        stream,
        lineCounter((lines) => {
          rows += lines
          const seconds = (Date.now() - started) / 1000
          bar.update(Math.min(Math.max(rows, 0), total), {
            speed: seconds > 0 ? Math.round(rows / seconds) : 0,
          })
        }),
        createWriteStream(options.out),
      )
      bar.update(total)
    } finally {
      bar.stop()
    }
    process.stderr.write(
      `Exported ${total.toLocaleString('en')} ${entity} of "${workspace.name}" to ${options.out}\n`,
    )
  } finally {
    await handle.close()
    await target.embedded?.stop()
  }
}
