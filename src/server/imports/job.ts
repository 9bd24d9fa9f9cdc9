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
/** A running import keeps its row fresh this often, even while one batch takes long. */
const heartbeatMs = 5_000
/** A running import whose row has not moved for this long was left by a stopped worker. */
export const staleAfterMs = 60_000
const recoverQueue = 'import.recover'

/** The worker's side: the queue and its handler (called from the job registry). */
export async function registerImportJobs(boss: PgBoss, ctx: AppContext): Promise<void> {
  await boss.createQueue(importQueue, queueOptions)
  await boss.work<ImportJobData>(importQueue, async (jobs) => {
    for (const job of jobs) await runImportJob(ctx, job.data)
  })
  // A worker killed mid-import (kill -9, a crash, a lost machine) leaves its import running with
  // a job pg-boss would only retry hours later: every minute, such imports are queued again.
  await boss.createQueue(recoverQueue)
  await boss.schedule(recoverQueue, '* * * * *')
  await boss.work(recoverQueue, async () => {
    await recoverStaleImports(ctx)
  })
}

/**
 * Queues again each import left running by a stopped worker (its row untouched for
 * `olderThanMs`): it re-runs from the start of its file, which changes nothing for the rows the
 * first run committed (imports are idempotent). Also removes the partial error files such runs
 * left behind. Returns the ids queued again.
 */
export async function recoverStaleImports(
  ctx: AppContext,
  olderThanMs = staleAfterMs,
): Promise<string[]> {
  const requeued = await ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('imports')
      .set({ status: 'queued', updatedAt: new Date() })
      .where('status', '=', 'running')
      .where('updatedAt', '<', new Date(Date.now() - olderThanMs))
      .returning(['workspaceId', 'id'])
      .execute()
    for (const row of rows)
      await enqueueImport(ctx, trx, { workspaceId: row.workspaceId, importId: row.id })
    return rows
  })
  for (const row of requeued)
    ctx.log.warn({ importId: row.id }, 'import left running by a stopped worker: queued again')
  await sql`
    delete from file_uploads u
    where u.file_name like '%.errors.csv'
      and u.created_at < now() - interval '1 day'
      and not exists (select 1 from imports i
        where i.workspace_id = u.workspace_id
          and (i.errors_upload_id = u.id or i.status in ('queued', 'running')))
  `.execute(ctx.db)
  return requeued.map((row) => row.id)
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
 * Runs one queued import: claims it (so two workers never run it twice; an import left running
 * by a stopped worker comes back through recoverStaleImports), streams the upload
 * through the engine, keeps progress in the imports row and stores rejected rows as a CSV.
 */
export async function runImportJob(ctx: AppContext, data: ImportJobData): Promise<void> {
  const { db } = ctx
  const startedAt = new Date()
  const claimed = await db
    .updateTable('imports')
    .set({ status: 'running', startedAt, updatedAt: new Date() })
    .where('workspaceId', '=', data.workspaceId)
    .where('id', '=', data.importId)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst()
  if (!claimed) return
  const row = claimed
  if (row.errorsUploadId) await deleteUpload(db, row.workspaceId, row.errorsUploadId)

  // This run's writes to the row count only while the run still owns it: a run thought dead and
  // queued again (recoverStaleImports) stops at its next heartbeat instead of racing the new one.
  const owner = new AbortController()
  const update = async (values: Updateable<DB['imports']>) => {
    const result = await db
      .updateTable('imports')
      .set({ ...values, updatedAt: sql<Date>`now()` })
      .where('workspaceId', '=', row.workspaceId)
      .where('id', '=', row.id)
      .where('status', '=', 'running')
      .where('startedAt', '=', startedAt)
      .executeTakeFirst()
    if (result.numUpdatedRows === 0n)
      owner.abort(new AppError('conflict', 'The import was taken over by another run'))
  }

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
      signal: owner.signal,
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
    if (owner.signal.aborted) {
      // Another run owns the import now: leave its row and its upload alone.
      ctx.log.warn({ importId: row.id }, 'import run stopped: taken over by another run')
      return
    }
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
