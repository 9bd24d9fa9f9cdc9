import { Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { DB } from '../db/schema.ts'

/** Files live in PostgreSQL as ~1 MB rows (ARCHITECTURE.md, Data), never as one huge value. */
export const chunkBytes = 1024 * 1024

export interface UploadMeta {
  workspaceId: string
  fileName: string
  contentType?: string
  createdBy: string | null
}

/**
 * Writes a file chunk by chunk as its bytes arrive: holds at most one chunk in memory. Used for
 * uploads (inside the request's transaction) and for files a job writes (such as an error file).
 */
export class UploadWriter {
  readonly id = uuidv7()
  #pending: Buffer[] = []
  #pendingBytes = 0
  #seq = 0
  #size = 0
  #started = false

  constructor(
    private readonly db: Kysely<DB>,
    private readonly meta: UploadMeta,
  ) {}

  get size() {
    return this.#size
  }

  async write(bytes: Buffer): Promise<void> {
    await this.#start()
    this.#pending.push(bytes)
    this.#pendingBytes += bytes.length
    this.#size += bytes.length
    while (this.#pendingBytes >= chunkBytes) {
      const all = Buffer.concat(this.#pending)
      await this.#insert(all.subarray(0, chunkBytes))
      const rest = all.subarray(chunkBytes)
      this.#pending = rest.length > 0 ? [rest] : []
      this.#pendingBytes = rest.length
    }
  }

  /** Writes what is left and records the file's size; returns the upload's id. */
  async finish(): Promise<string> {
    await this.#start()
    if (this.#pendingBytes > 0) await this.#insert(Buffer.concat(this.#pending))
    this.#pending = []
    this.#pendingBytes = 0
    await this.db
      .updateTable('fileUploads')
      .set({ size: this.#size, chunks: this.#seq })
      .where('workspaceId', '=', this.meta.workspaceId)
      .where('id', '=', this.id)
      .execute()
    return this.id
  }

  async #start() {
    if (this.#started) return
    this.#started = true
    await this.db
      .insertInto('fileUploads')
      .values({
        workspaceId: this.meta.workspaceId,
        id: this.id,
        fileName: this.meta.fileName,
        contentType: this.meta.contentType ?? 'application/octet-stream',
        createdBy: this.meta.createdBy,
      })
      .execute()
  }

  async #insert(data: Buffer) {
    await this.db
      .insertInto('fileChunks')
      .values({ workspaceId: this.meta.workspaceId, uploadId: this.id, seq: this.#seq, data })
      .execute()
    this.#seq += 1
  }
}

/** Stores a stream as an upload; call inside a transaction so a failed upload leaves nothing. */
export async function storeUpload(
  db: Kysely<DB>,
  meta: UploadMeta,
  input: AsyncIterable<Buffer | string>,
): Promise<{ id: string; size: number }> {
  const writer = new UploadWriter(db, meta)
  for await (const bytes of input) {
    await writer.write(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)
  }
  const id = await writer.finish()
  return { id, size: writer.size }
}

export function findUpload(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('fileUploads')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Reads an upload back as a stream, one chunk (one query) at a time. */
export function readUpload(db: Kysely<DB>, workspaceId: string, id: string): Readable {
  async function* chunks() {
    for (let seq = 0; ; seq += 1) {
      const row = await db
        .selectFrom('fileChunks')
        .select('data')
        .where('workspaceId', '=', workspaceId)
        .where('uploadId', '=', id)
        .where('seq', '=', seq)
        .executeTakeFirst()
      if (!row) return
      yield row.data
    }
  }
  return Readable.from(chunks(), { objectMode: false })
}

export async function deleteUpload(db: Kysely<DB>, workspaceId: string, id: string) {
  await db
    .deleteFrom('fileUploads')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}
