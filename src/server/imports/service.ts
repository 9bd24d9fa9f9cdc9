import { Readable } from 'node:stream'
import type { Selectable } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { actorFields, type Principal, requirePermission } from '../auth/principal.ts'
import type { AppContext } from '../context.ts'
import { loadDefinitions } from '../custom-fields/values.ts'
import type { ImportsTable } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts'
import { listPipelines } from '../pipelines/service.ts'
import { openCsv } from './csv.ts'
import { previewImport } from './engine.ts'
import { customEntity, importFields } from './fields.ts'
import { enqueueImport } from './job.ts'
import { customImportFields, normalizeValue } from './mapping.ts'
import { presetFor } from './presets.ts'
import {
  type ColumnValues,
  type ImportEntity,
  type ImportMappingPreview,
  importEntities,
  importPresets,
} from './types.ts'
import { findUpload, readUpload, storeUpload } from './uploads.ts'

/** HubSpot's per-file maximum (issue 4); the CLI has no limit. */
export const maxUploadBytes = 512 * 1024 * 1024
/** The preview reads only the start of the file. */
export const previewBytes = 64 * 1024

/** One part of a multipart form, as the HTTP edge hands it over. */
export type FormPart =
  | { type: 'field'; name: string; value: string }
  | { type: 'file'; name: string; fileName: string; contentType: string; stream: Readable }

function jsonOf<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text)
      } catch {
        ctx.addIssue({ code: 'custom', message: 'Not valid JSON' })
        return z.NEVER
      }
    })
    .pipe(schema)
}
const Flag = z.enum(['true', 'false', '1', '0', 'on']).transform((v) => v !== 'false' && v !== '0')

export const ImportFields = z.object({
  entity: z.enum(importEntities),
  preset: z.enum(importPresets).optional(),
  map: jsonOf(z.record(z.string(), z.string())).optional(),
  values: jsonOf(z.record(z.string(), z.record(z.string(), z.string()))).optional(),
  dryRun: Flag.optional(),
  route: Flag.optional(),
})
export type ImportFields = z.infer<typeof ImportFields>

function parseFields(fields: Record<string, string>): ImportFields {
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''))
  const parsed = ImportFields.safeParse(present)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((issue) => ({
    field: ['body', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }))
  const first = issues[0]
  throw new AppError('invalid_input', first ? `${first.field}: ${first.message}` : 'Invalid form', {
    issues,
  })
}

function noFile(): AppError {
  return new AppError('invalid_input', 'body.file: Send the CSV file as the form part "file"', {
    field: 'file',
  })
}

export function tooLarge(): AppError {
  return new AppError('too_large', 'The file is over the 512 MB upload limit', {
    limit: maxUploadBytes,
  })
}

/** Busboy's "file over the limit", by its code (never by message text). */
function asTooLarge(error: unknown): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : ''
  return code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge() : error
}

/** The file's first bytes, cut after the last whole line; the rest flows on unread. */
function readHead(stream: Readable): Promise<{ head: Buffer; isWholeFile: boolean }> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = []
    let size = 0
    let done = false
    const finish = (cut: boolean) => {
      if (done) return
      done = true
      const head = Buffer.concat(pieces)
      const end = cut ? head.lastIndexOf(0x0a, previewBytes) : -1
      resolve({
        head: end > 0 ? head.subarray(0, end + 1) : head.subarray(0, previewBytes),
        isWholeFile: !cut,
      })
    }
    stream.on('data', (piece: Buffer) => {
      if (done) return
      pieces.push(piece)
      size += piece.length
      if (size >= previewBytes) finish(true)
    })
    stream.on('end', () => finish(false))
    stream.on('error', (error) => (done ? undefined : reject(error)))
  })
}

/**
 * What the mapping step shows for a file: its columns, first rows and the proposed mapping, and
 * for value mapping each field's allowed values and the distinct values of each column.
 */
export async function previewUpload(
  ctx: AppContext,
  principal: Principal,
  parts: AsyncIterable<FormPart>,
): Promise<ImportMappingPreview> {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const fields: Record<string, string> = {}
  let file: { head: Buffer; isWholeFile: boolean } | undefined
  try {
    for await (const part of parts) {
      if (part.type === 'field') fields[part.name] = part.value
      else if (part.name === 'file' && file === undefined) file = await readHead(part.stream)
      else part.stream.resume()
    }
  } catch (error) {
    throw asTooLarge(error)
  }
  const form = parseFields(fields)
  if (file === undefined) throw noFile()
  const preview = await previewImport(ctx.db, {
    workspaceId,
    entity: form.entity,
    input: Readable.from([file.head]),
    map: form.map,
    preset: form.preset,
  })
  const [allowed, sample] = await Promise.all([
    allowedValues(ctx, principal, workspaceId, form.entity),
    readColumnValues(file.head),
  ])
  return {
    ...preview,
    fields: preview.fields.map((f) => {
      const values = allowed.get(f.key)
      return values ? { ...f, values: [...values] } : f
    }),
    sample: { rows: sample.rows, isWholeFile: file.isWholeFile },
    columnValues: sample.columnValues,
    valueMapping: presetFor(form.preset, form.entity)?.values ?? {},
  }
}

/**
 * Fields with a fixed set of values: enumerations and select custom fields, and on deals the
 * workspace's pipeline and stage names (the writer finds both by name).
 */
async function allowedValues(
  ctx: AppContext,
  principal: Principal,
  workspaceId: string,
  entity: ImportEntity,
): Promise<Map<string, readonly string[]>> {
  const custom = customEntity[entity]
  const definitions = custom ? await loadDefinitions(ctx.db, workspaceId, custom) : []
  const allowed = new Map<string, readonly string[]>()
  for (const field of [...importFields[entity], ...customImportFields(definitions)])
    if (field.type === 'enum' && field.values) allowed.set(field.key, field.values)
  if (entity === 'deals') {
    const pipelines = (await listPipelines(ctx.db, principal)).data
    const stages = new Map<string, string>()
    for (const stage of pipelines.flatMap((p) => p.stages))
      if (!stages.has(stage.name.toLowerCase())) stages.set(stage.name.toLowerCase(), stage.name)
    allowed.set(
      'pipeline',
      pipelines.map((p) => p.name),
    )
    allowed.set('stage', [...stages.values()])
  }
  return allowed
}

/** Up to this many distinct values are listed per column: more means free text, not a set. */
const maxColumnValues = 50

/** The distinct values of each column over the rows of the file's head, most frequent first. */
async function readColumnValues(head: Buffer) {
  const file = await openCsv(Readable.from([head]))
  const seen = file.headers.map(() => new Map<string, { value: string; rows: number }>())
  const more = file.headers.map(() => false)
  let rows = 0
  try {
    for await (const row of file.rows) {
      rows++
      row.cells.forEach((cell, index) => {
        const value = cell.trim()
        const counts = seen[index]
        if (value === '' || !counts) return
        // Value mapping compares trimmed, lower-cased values: "Hot" and "hot" are one value.
        const key = normalizeValue(value)
        const entry = counts.get(key)
        if (entry) entry.rows++
        else if (counts.size < maxColumnValues) counts.set(key, { value, rows: 1 })
        else more[index] = true
      })
    }
  } catch {
    // The head may be cut anywhere; the preview already refused a file that is wrong throughout.
  }
  const columnValues: Record<string, ColumnValues> = {}
  file.headers.forEach((header, index) => {
    const values = [...(seen[index]?.values() ?? [])].sort(
      (a, b) => b.rows - a.rows || a.value.localeCompare(b.value),
    )
    columnValues[header] = { values, more: more[index] ?? false }
  })
  return { rows, columnValues }
}

/**
 * Stores the uploaded file in chunks, records the import and queues its job, all in one
 * transaction: a failed or refused upload leaves nothing behind.
 */
export async function createImport(
  ctx: AppContext,
  principal: Principal,
  parts: AsyncIterable<FormPart>,
): Promise<Selectable<ImportsTable>> {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const actor = actorFields(principal)
  return ctx.db.transaction().execute(async (trx) => {
    const fields: Record<string, string> = {}
    let file: { id: string; size: number; fileName: string } | undefined
    try {
      for await (const part of parts) {
        if (part.type === 'field') {
          fields[part.name] = part.value
        } else if (part.name === 'file' && file === undefined) {
          const meta = {
            workspaceId,
            fileName: part.fileName,
            contentType: part.contentType,
            createdBy: actor.actorId,
          }
          const stored = await storeUpload(trx, meta, part.stream)
          file = { ...stored, fileName: part.fileName }
        } else {
          part.stream.resume()
        }
      }
    } catch (error) {
      throw asTooLarge(error)
    }
    const form = parseFields(fields)
    if (file === undefined) throw noFile()
    const { entity, ...options } = form
    const row = await trx
      .insertInto('imports')
      .values({
        workspaceId,
        id: uuidv7(),
        entity,
        fileName: file.fileName,
        fileSize: file.size,
        uploadId: file.id,
        options: JSON.stringify(options),
        actor: JSON.stringify(principal),
        createdBy: actor.actorName,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, principal, workspaceId, {
      action: 'import.create',
      targetType: 'import',
      targetId: row.id,
      details: { entity, fileName: file.fileName, size: file.size, ...options },
    })
    await enqueueImport(ctx, trx, { workspaceId, importId: row.id })
    return row
  })
}

/** The workspace's imports, newest first. */
export async function listImports(ctx: AppContext, principal: Principal, page: Page) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const after = decodeCursor(page.cursor, ['id'])
  const rows = await ctx.db
    .selectFrom('imports')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .$if(after !== undefined, (q) => q.where('id', '<', String(after?.id)))
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute()
  const more = rows.length > page.limit
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  return { data, nextCursor: more && last ? encodeCursor({ id: last.id }) : null }
}

/** One import with its progress and counts; another workspace's is not_found. */
export async function getImport(ctx: AppContext, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const row = await ctx.db
    .selectFrom('imports')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', 'No such import')
  return row
}

/** The rejected rows of an import as `line,column,reason` CSV, streamed from its chunks. */
export async function openImportErrors(ctx: AppContext, principal: Principal, id: string) {
  const row = await getImport(ctx, principal, id)
  const upload = row.errorsUploadId
    ? await findUpload(ctx.db, row.workspaceId, row.errorsUploadId)
    : undefined
  if (!upload) throw new AppError('not_found', 'This import rejected no rows')
  return {
    fileName: upload.fileName,
    size: upload.size,
    stream: readUpload(ctx.db, row.workspaceId, upload.id),
  }
}
