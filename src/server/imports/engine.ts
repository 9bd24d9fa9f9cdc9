import type { Readable } from 'node:stream'
import { type Kysely, sql } from 'kysely'
import { recordAudit } from '../audit/service.ts'
import { requirePermission } from '../auth/principal.ts'
import { loadDefinitions } from '../custom-fields/values.ts'
import type { DB } from '../db/schema.ts'
import {
  type BatchOutcome,
  type BatchPreparer,
  type BatchWriter,
  type ImportContext,
  loadContext,
} from './context.ts'
import { type CsvFile, type CsvRow, openCsv } from './csv.ts'
import { customEntity, type ImportField, importFields } from './fields.ts'
import {
  checkRequired,
  customImportFields,
  type ResolvedMapping,
  resolveMapping,
} from './mapping.ts'
import { presetFor } from './presets.ts'
import { decideDateOrder, type PreparedRow, prepareRow } from './rows.ts'
import type {
  ImportEntity,
  ImportOptions,
  ImportPreset,
  ImportPreview,
  ImportProgress,
  ImportResult,
  RowError,
} from './types.ts'
import type { DateOrder } from './values.ts'
import { writeAccounts } from './write-accounts.ts'
import { writeActivities } from './write-activities.ts'
import { writeContacts } from './write-contacts.ts'
import { writeDeals } from './write-deals.ts'
import { writeCampaigns, writeProducts } from './write-simple.ts'
import { ensureBatchPartitions, writeTouchpoints } from './write-touchpoints.ts'

/** New records after which an import refreshes its table's statistics. */
const analyzeAfterCreated = 10_000

/** Rows written per transaction: big enough for set-based SQL, small enough to keep memory flat. */
export const batchSize = 5000

const writers: Record<ImportEntity, BatchWriter> = {
  contacts: writeContacts,
  accounts: writeAccounts,
  products: writeProducts,
  deals: writeDeals,
  activities: writeActivities,
  campaigns: writeCampaigns,
  touchpoints: writeTouchpoints,
}

// Touchpoints land in monthly partitions made before each batch's transaction (none on a dry run).
const preparers: Partial<Record<ImportEntity, BatchPreparer>> = {
  touchpoints: ensureBatchPartitions,
}

// A contact needs an email or a name (contacts/rules.ts); an external id finds an existing one.
const anyOfFields: Partial<Record<ImportEntity, string[]>> = {
  contacts: ['email', 'firstName', 'lastName', 'externalId', 'sourceId'],
  deals: ['name', 'externalId', 'sourceId'],
}

interface Plan {
  file: CsvFile
  fields: ImportField[]
  mapping: ResolvedMapping
}

async function planImport(
  db: Kysely<DB>,
  input: {
    workspaceId: string
    entity: ImportEntity
    input: Readable
    map?: Record<string, string>
    values?: Record<string, Record<string, string>>
    preset?: ImportPreset
  },
): Promise<Plan & { definitions: Awaited<ReturnType<typeof loadDefinitions>> }> {
  const custom = customEntity[input.entity]
  const definitions = custom ? await loadDefinitions(db, input.workspaceId, custom) : []
  const fields = [...importFields[input.entity], ...customImportFields(definitions)]
  const file = await openCsv(input.input)
  const mapping = resolveMapping({
    headers: file.headers,
    fields,
    preset: presetFor(input.preset, input.entity),
    map: input.map,
    values: input.values,
  })
  return { file, fields, mapping, definitions }
}

/** The file's columns, its first rows and the mapping proposed for them (nothing is written). */
export async function previewImport(
  db: Kysely<DB>,
  input: {
    workspaceId: string
    entity: ImportEntity
    input: Readable
    map?: Record<string, string>
    preset?: ImportPreset
  },
): Promise<ImportPreview> {
  const { file, fields, mapping } = await planImport(db, input)
  const rows: string[][] = []
  try {
    for await (const row of file.rows) {
      rows.push(row.cells)
      if (rows.length >= 10) break
    }
  } catch (error) {
    // The preview may get only the head of a file, cut anywhere: show the rows read before the cut.
    if (rows.length === 0) throw error
  }
  input.input.destroy()
  return {
    headers: file.headers,
    rows,
    mapping: mapping.mapping,
    fields: fields.map((f) => ({ key: f.key, label: f.label, required: f.required === true })),
    delimiter: file.delimiter,
  }
}

class DryRunRollback extends Error {}

/** Writes one batch in its own transaction (rolled back on a dry run). */
async function writeBatch(
  db: Kysely<DB>,
  writer: BatchWriter,
  preparer: BatchPreparer | undefined,
  ctx: ImportContext,
  rows: PreparedRow[],
  dryRun: boolean,
): Promise<BatchOutcome> {
  if (rows.length === 0) return { created: 0, updated: 0, unchanged: 0, errors: [] }
  if (preparer && !dryRun) await preparer(db, ctx, rows)
  let outcome: BatchOutcome | undefined
  try {
    await db.transaction().execute(async (trx) => {
      outcome = await writer(trx, ctx, rows)
      if (dryRun) throw new DryRunRollback()
    })
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error
  }
  return outcome ?? { created: 0, updated: 0, unchanged: 0, errors: [] }
}

/**
 * Imports a CSV file into one workspace: streams and parses it, maps columns and values, and
 * upserts records by natural key in batches of `batchSize`, one transaction each, so a re-run of
 * the same file changes nothing and a killed run re-run leaves no duplicates. Problems with the
 * file throw invalid_input; a bad row goes to onRowError and the rest goes on.
 */
export async function runImport(db: Kysely<DB>, options: ImportOptions): Promise<ImportResult> {
  requirePermission(options.actor, 'records:write')
  const { workspaceId } = options
  const plan = await planImport(db, { ...options, workspaceId })
  checkRequired(plan.mapping, plan.fields, anyOfFields[options.entity])
  const ctx = await loadContext(db, workspaceId, options.actor, plan.definitions)
  const writer = writers[options.entity]
  const preparer = preparers[options.entity]
  const result: ImportResult = {
    rows: 0,
    imported: 0,
    rejected: 0,
    bytes: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
  }
  const reject = (error: RowError) => {
    result.rejected++
    options.onRowError?.(error)
  }
  let order: DateOrder | undefined
  // A batch's errors are reported in line order once it is written.
  const write = async (prepared: PreparedRow[], unreadable: RowError[]) => {
    const outcome = await writeBatch(db, writer, preparer, ctx, prepared, options.dryRun === true)
    for (const error of [...unreadable, ...outcome.errors].sort((a, b) => a.line - b.line))
      reject(error)
    result.imported += prepared.length - outcome.errors.length
    result.created += outcome.created
    result.updated += outcome.updated
    result.unchanged += outcome.unchanged
    result.bytes = plan.file.bytesRead()
    options.onProgress?.(progressOf(result))
  }
  // The next batch is read and checked while the database writes the previous one.
  let writing: Promise<void> = Promise.resolve()
  const flush = async (batch: CsvRow[]) => {
    order ??= decideDateOrder(batch, plan.mapping)
    const prepared: PreparedRow[] = []
    const unreadable: RowError[] = []
    for (const row of batch) {
      const out = prepareRow(row, plan.file.headers.length, plan.mapping, order)
      if ('reason' in out) unreadable.push(out)
      else prepared.push(out)
    }
    await writing
    writing = write(prepared, unreadable)
    // Surfaced by the next await of `writing`; this only keeps it from being unhandled meanwhile.
    writing.catch(() => {})
  }
  let batch: CsvRow[] = []
  try {
    for await (const row of plan.file.rows) {
      options.signal?.throwIfAborted()
      result.rows++
      batch.push(row)
      if (batch.length >= batchSize) {
        await flush(batch)
        batch = []
      }
    }
    await flush(batch)
  } finally {
    // Never return (or throw) while a batch is still being written.
    await writing.catch(() => {})
  }
  await writing
  if (!options.dryRun) await auditImport(db, options, result)
  // A big import changes the table faster than autovacuum re-reads it: refresh the planner's
  // statistics now so lists and duplicate searches keep their plans.
  if (!options.dryRun && result.created >= analyzeAfterCreated)
    await sql`analyze ${sql.table(options.entity)}`.execute(db)
  return result
}

function progressOf(result: ImportResult): ImportProgress {
  return {
    rows: result.rows,
    imported: result.imported,
    rejected: result.rejected,
    bytes: result.bytes,
  }
}

async function auditImport(db: Kysely<DB>, options: ImportOptions, result: ImportResult) {
  await recordAudit(db, options.actor, options.workspaceId, {
    action: 'import.run',
    targetType: options.entity,
    details: {
      entity: options.entity,
      preset: options.preset ?? null,
      rows: result.rows,
      imported: result.imported,
      rejected: result.rejected,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
    },
  })
}
