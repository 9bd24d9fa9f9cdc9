import fs from 'node:fs'
import path from 'node:path'
import cliProgress from 'cli-progress'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { stringify } from 'csv-stringify'
import { z } from 'zod'
import type { Database } from '../server/db/database.ts'
import { AppError } from '../server/errors.ts'
import {
  type ImportEntity,
  type ImportPreset,
  type ImportResult,
  importEntities,
  importPresets,
  type RowError,
} from '../server/imports/types.ts'

type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>

interface ImportFlags {
  workspace?: string
  map?: Record<string, string>
  mapFile?: string
  values?: Record<string, Record<string, string>>
  preset?: ImportPreset
  errors?: string
  dryRun: boolean
  route: boolean
}

/** `--map-file`: { "columns": {csvColumn: field}, "values": {field: {csvValue: ourValue}}, "preset"? } */
export const MapFile = z
  .object({
    columns: z.record(z.string(), z.string()).optional(),
    values: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    preset: z.enum(importPresets).optional(),
  })
  .strict()
export type MapFile = z.infer<typeof MapFile>

/** "a=b,c=d" → { a: 'b', c: 'd' } */
export function parseMapFlag(value: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new InvalidArgumentError(`--map: "${pair}" is not csvColumn=field`)
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim()
  }
  return out
}

/** "stage:Won=Closed won,stage:Lost=Closed lost" → { stage: { Won: 'Closed won', … } } */
export function parseValuesFlag(value: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  for (const item of value.split(',')) {
    const colon = item.indexOf(':')
    const equals = item.indexOf('=', colon)
    if (colon <= 0 || equals <= colon)
      throw new InvalidArgumentError(`--values: "${item}" is not field:csvValue=ourValue`)
    const field = item.slice(0, colon).trim()
    out[field] ??= {}
    out[field][item.slice(colon + 1, equals).trim()] = item.slice(equals + 1).trim()
  }
  return out
}

function readMapFile(file: string): MapFile {
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new AppError(
      'invalid_input',
      `--map-file ${file}: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const parsed = MapFile.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new AppError(
      'invalid_input',
      `--map-file ${file}: ${issue?.path.join('.') || 'file'}: ${issue?.message}`,
    )
  }
  return parsed.data
}

/** The workspace named, or the only one there is. */
async function findWorkspace(db: Database, nameOrId: string | undefined) {
  if (nameOrId) {
    const { resolveWorkspace } = await import('../server/workspaces/service.ts')
    return resolveWorkspace(db, nameOrId)
  }
  const all = await db.selectFrom('workspaces').select(['id', 'name']).limit(2).execute()
  const [only] = all
  if (all.length !== 1 || !only) {
    throw new AppError(
      'invalid_input',
      all.length === 0 ? 'There is no workspace yet' : 'Name the workspace with --workspace',
    )
  }
  return only
}

/** Writes rejected rows to a CSV (line, column, reason), opened on the first one. */
class ErrorsFile {
  private out: ReturnType<typeof stringify> | undefined
  private done: Promise<void> | undefined
  count = 0

  constructor(readonly file: string) {}

  add(error: RowError) {
    if (!this.out) {
      const out = stringify({ header: true, columns: ['line', 'column', 'reason'] })
      const sink = fs.createWriteStream(this.file)
      this.done = new Promise((resolve, reject) => {
        sink.on('finish', resolve)
        sink.on('error', reject)
      })
      out.pipe(sink)
      this.out = out
    }
    this.count++
    this.out.write([error.line, error.column ?? '', error.reason])
  }

  async close() {
    this.out?.end()
    await this.done
  }
}

function createBar(total: number) {
  if (!process.stderr.isTTY) return undefined
  const bar = new cliProgress.SingleBar(
    {
      format: 'import [{bar}] {percentage}% | {rows} rows | {speed} rows/s | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(Math.max(total, 1), 0, { rows: 0, speed: 0 })
  return bar
}

function summary(result: ImportResult, errors: ErrorsFile, dryRun: boolean) {
  const verb = dryRun ? 'Checked (dry run, nothing written)' : 'Imported'
  const counts = `${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`
  const rejected = result.rejected > 0 ? `; ${result.rejected} rejected (see ${errors.file})` : ''
  return `${verb} ${result.imported} of ${result.rows} rows (${counts})${rejected}\n`
}

async function importFile(
  withDatabase: WithDatabase,
  entity: ImportEntity,
  file: string,
  flags: ImportFlags,
) {
  const full = path.resolve(file)
  if (!fs.existsSync(full)) throw new AppError('not_found', `No file at ${full}`)
  const mapFile = flags.mapFile ? readMapFile(flags.mapFile) : {}
  const errors = new ErrorsFile(path.resolve(flags.errors ?? `${full}.errors.csv`))
  const size = fs.statSync(full).size
  // Loaded when run, so other commands start without the import engine.
  const { runImport } = await import('../server/imports/engine.ts')
  const result = await withDatabase(async (db) => {
    const workspace = await findWorkspace(db, flags.workspace)
    const bar = createBar(size)
    const started = Date.now()
    try {
      return await runImport(db, {
        workspaceId: workspace.id,
        actor: { kind: 'cli', name: 'tandem CLI', workspaceId: workspace.id, role: 'admin' },
        entity,
        input: fs.createReadStream(full, { highWaterMark: 1 << 20 }),
        map: { ...mapFile.columns, ...flags.map },
        values: { ...mapFile.values, ...flags.values },
        preset: flags.preset ?? mapFile.preset,
        dryRun: flags.dryRun,
        route: flags.route,
        onRowError: (error) => errors.add(error),
        onProgress: (p) => {
          const seconds = Math.max((Date.now() - started) / 1000, 0.001)
          bar?.update(p.bytes, { rows: p.rows, speed: Math.round(p.rows / seconds) })
        },
      })
    } finally {
      bar?.stop()
      await errors.close()
    }
  })
  process.stdout.write(summary(result, errors, flags.dryRun))
  // Exit codes (docs/import.md): 0 every row imported, 2 some rejected, 1 failed.
  if (result.rejected > 0) process.exitCode = 2
}

/** `tandem import <entity> <file.csv>`: streams a CSV into a workspace (docs/import.md). */
export function registerImportCommand(program: Command, withDatabase: WithDatabase) {
  program
    .command('import')
    .description('Import a CSV file (HubSpot, Salesforce or any spreadsheet) into a workspace')
    .addArgument(
      program
        .createArgument('<entity>', 'what the file holds')
        .choices(importEntities as unknown as string[]),
    )
    .argument('<file>', 'the CSV file (, ; or tab separated, UTF-8)')
    .option('--workspace <name or id>', 'the workspace (may be omitted when there is only one)')
    .option('--map <csvColumn=field,…>', 'map columns to fields (over the preset)', parseMapFlag)
    .option('--map-file <mapping.json>', 'columns, values and preset from a JSON file')
    .option('--values <field:csvValue=ourValue,…>', 'map values of a field', parseValuesFlag)
    .addOption(new Option('--preset <crm>', 'the export format').choices([...importPresets]))
    .option('--errors <path>', 'where to write rejected rows (default <file>.errors.csv)')
    .option('--dry-run', 'check every row, write nothing', false)
    .option('--route', 'route imported contacts at MQL or beyond (off by default)', false)
    .action(async (entity: ImportEntity, file: string, flags: ImportFlags) => {
      await importFile(withDatabase, entity, file, flags)
    })
}
