import { CompiledQuery, type Kysely, sql, type Updateable } from 'kysely'
import PgBoss from 'pg-boss'
import type { Principal } from '../auth/principal.ts'
import type { AppContext } from '../context.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { runImport } from './engine.ts'
import type { ImportEntity, ImportOptions, ImportProgress, RowError } from './types.ts'
import { deleteUpload, readUpload, UploadWriter } from './uploads.ts'

export const importQueue = 'import.run'
export interface ImportJobData {
  workspaceId: string
  importId: string
}

/** A 512 MB file takes minutes, not the 15 minutes pg-boss allows by default; a crash retries it. */
const queueOptions = { name: importQueue, expireInSeconds: 6 * 3600, retryLimit: 2, retryDelay: 30 }
/** Progress reaches the imports row at most this often. */
const progressEveryMs = 500
/** A running import whose row has not moved for this long was left by a stopped worker. */
const staleAfterMs = 60_000
const heartbeatMs = 5_000

/** The worker's side: the queue and its handler (called from the job registry). */
export async function registerImportJobs(boss: PgBoss, ctx: AppContext): Promise<void> {
  await boss.createQueue(importQueue, queueOptions)
  await boss.work<ImportJobData>(importQueue, async (jobs) => {
    for (const job of jobs) await runImportJob(ctx, job.data)
  })
}

// The API's side: a pg-boss that only sends (no polling, no schedules), on the app's own pool.
const senders = new WeakMap<object, Promise<PgBoss>>()

function senderFor(ctx: AppContext): Promise<PgBoss> {
  const pool = ctx.handle.pool
  let sender = senders.get(pool)
  if (!sender) {
    const boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema: 'pgboss',
      supervise: false,
      schedule: false,
      migrate: true,
    })
    boss.on('error', (error) => ctx.log.warn({ err: error }, 'import queue error'))
    sender = boss.start().then(async () => {
      await boss.createQueue(importQueue, queueOptions)
      return boss
    })
    senders.set(pool, sender)
    sender.catch(() => senders.delete(pool))
  }
  return sender
}

/** Queues an import in the caller's transaction: the job exists exactly when the import does. */
export async function enqueueImport(
  ctx: AppContext,
  trx: Kysely<DB>,
  data: ImportJobData,
): Promise<void> {
  const boss = await senderFor(ctx)
  await boss.send(importQueue, data, {
    db: {
      executeSql: async (text, values) =>
        trx.executeQuery(CompiledQuery.raw(text, (values ?? []) as unknown[])),
    },
  })
}

/** The fields of a stored import that runImport needs back. */
interface StoredOptions {
  map?: Record<string, string>
  values?: Record<string, Record<string, string>>
  preset?: ImportOptions['preset']
  dryRun?: boolean
  route?: boolean
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** Row errors as `line,column,reason` CSV, written chunk by chunk as they come. */
class ErrorFile {
  readonly writer: UploadWriter
  count = 0
  #text = ''
  #chain: Promise<void> = Promise.resolve()

  constructor(db: Kysely<DB>, workspaceId: string, fileName: string) {
    this.writer = new UploadWriter(db, {
      workspaceId,
      fileName: `${fileName}.errors.csv`,
      contentType: 'text/csv',
      createdBy: null,
    })
  }

  add(error: RowError) {
    if (this.count === 0) this.#text += 'line,column,reason\n'
    this.count += 1
    this.#text += `${error.line},${csvField(error.column ?? '')},${csvField(error.reason)}\n`
    if (this.#text.length >= 256 * 1024) this.#flush()
  }

  #flush() {
    const bytes = Buffer.from(this.#text)
    this.#text = ''
    this.#chain = this.#chain.then(() => this.writer.write(bytes))
  }

  /** The upload's id, or null when no row was rejected. */
  async finish(): Promise<string | null> {
    if (this.count === 0) return null
    this.#flush()
    await this.#chain
    return this.writer.finish()
  }
}

/**
 * Runs one queued import: claims it (so two workers never run it twice), streams the upload
 * through the engine, keeps progress in the imports row and stores rejected rows as a CSV.
 */
export async function runImportJob(ctx: AppContext, data: ImportJobData): Promise<void> {
  const { db } = ctx
  const claimed = await db
    .updateTable('imports')
    .set({ status: 'running', startedAt: new Date(), updatedAt: new Date() })
    .where('workspaceId', '=', data.workspaceId)
    .where('id', '=', data.importId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'queued'),
        eb.and([
          eb('status', '=', 'running'),
          eb('updatedAt', '<', new Date(Date.now() - staleAfterMs)),
        ]),
      ]),
    )
    .returningAll()
    .executeTakeFirst()
  if (!claimed) return
  const row = claimed
  if (row.errorsUploadId) await deleteUpload(db, row.workspaceId, row.errorsUploadId)

  const update = (values: Updateable<DB['imports']>) =>
    db
      .updateTable('imports')
      .set({ ...values, updatedAt: sql<Date>`now()` })
      .where('workspaceId', '=', row.workspaceId)
      .where('id', '=', row.id)
      .execute()

  let latest: ImportProgress = { rows: 0, imported: 0, rejected: 0, bytes: 0 }
  let lastWrite = 0
  let writing: Promise<unknown> = Promise.resolve()
  const progressValues = (p: ImportProgress) => ({
    rows: p.rows,
    imported: p.imported,
    rejected: p.rejected,
    bytesRead: p.bytes,
  })
  const writeProgress = () => {
    lastWrite = Date.now()
    writing = writing
      .then(() => update(progressValues(latest)))
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'import progress not saved'))
  }
  const heartbeat = setInterval(writeProgress, heartbeatMs)
  heartbeat.unref()

  const errors = new ErrorFile(db, row.workspaceId, row.fileName)
  try {
    if (!row.uploadId) throw new AppError('invalid_input', 'The uploaded file is gone')
    const options = row.options as StoredOptions
    const result = await runImport(db, {
      workspaceId: row.workspaceId,
      actor: row.actor as unknown as Principal,
      entity: row.entity as ImportEntity,
      input: readUpload(db, row.workspaceId, row.uploadId),
      ...options,
      onProgress: (progress) => {
        latest = progress
        if (Date.now() - lastWrite >= progressEveryMs) writeProgress()
      },
      onRowError: (error) => errors.add(error),
    })
    clearInterval(heartbeat)
    await writing
    const errorsUploadId = await errors.finish()
    await update({
      status: 'done',
      ...progressValues(result),
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      errorsUploadId,
      finishedAt: new Date(),
    })
  } catch (error) {
    clearInterval(heartbeat)
    await writing
    const known = error instanceof AppError
    if (!known) ctx.log.error({ err: error, importId: row.id }, 'import failed')
    const errorsUploadId = await errors.finish().catch(() => null)
    await update({
      status: 'failed',
      ...progressValues(latest),
      error: known ? error.message : 'The import failed on our side; see the server log',
      errorsUploadId,
      finishedAt: new Date(),
    })
  }
  if (row.uploadId) await deleteUpload(db, row.workspaceId, row.uploadId)
}
