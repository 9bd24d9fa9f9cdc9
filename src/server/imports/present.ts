import type { Selectable } from 'kysely'
import { z } from 'zod'
import type { ImportsTable } from '../db/schema.ts'
import { importEntities, importPresets } from './types.ts'

export const ImportRecord = z
  .object({
    id: z.string(),
    entity: z.enum(importEntities),
    fileName: z.string(),
    fileSize: z.number().int(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    options: z.object({
      map: z.record(z.string(), z.string()).optional(),
      values: z.record(z.string(), z.record(z.string(), z.string())).optional(),
      preset: z.enum(importPresets).optional(),
      dryRun: z.boolean().optional(),
      route: z.boolean().optional(),
    }),
    rows: z.number().int(),
    imported: z.number().int(),
    rejected: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    bytesRead: z.number().int(),
    /** Share of the file read, 0 to 1. */
    progress: z.number(),
    error: z.string().nullable(),
    errorsUrl: z.string().nullable().describe('The rejected rows as CSV (line,column,reason)'),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Import' })
export type ImportRecord = z.infer<typeof ImportRecord>

export const ImportPreviewSchema = z
  .object({
    headers: z.array(z.string()),
    rows: z.array(z.array(z.string())),
    mapping: z
      .record(z.string(), z.string().nullable())
      .describe('csvColumn → field key, or null when the column is ignored'),
    fields: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        required: z.boolean(),
        values: z
          .array(z.string())
          .optional()
          .describe(
            'The values the field takes, when they are a fixed set (enumerations, select custom fields, a deal’s pipeline and stage names): the targets of value mapping',
          ),
      }),
    ),
    delimiter: z.string(),
    sample: z
      .object({ rows: z.number().int(), isWholeFile: z.boolean() })
      .describe('The data rows `columnValues` were counted over (the first 64 KB of the file)'),
    columnValues: z
      .record(
        z.string(),
        z.object({
          values: z.array(z.object({ value: z.string(), rows: z.number().int() })),
          more: z.boolean().describe('The column has more distinct values than the 50 listed'),
        }),
      )
      .describe(
        'csvColumn → its distinct non-empty values (compared trimmed and case-insensitively), most frequent first',
      ),
    valueMapping: z
      .record(z.string(), z.record(z.string(), z.string()))
      .describe(
        'field → csv value → our value: the preset’s value mapping, applied before the `values` sent with the import',
      ),
  })
  .meta({ id: 'ImportPreview' })

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString())

export function presentImport(row: Selectable<ImportsTable>): ImportRecord {
  const done = row.status === 'done'
  return {
    id: row.id,
    entity: row.entity as ImportRecord['entity'],
    fileName: row.fileName,
    fileSize: row.fileSize,
    status: row.status,
    options: row.options as ImportRecord['options'],
    rows: row.rows,
    imported: row.imported,
    rejected: row.rejected,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    bytesRead: row.bytesRead,
    progress: done ? 1 : row.fileSize > 0 ? Math.min(1, row.bytesRead / row.fileSize) : 0,
    error: row.error,
    errorsUrl: row.errorsUploadId ? `/api/v1/imports/${row.id}/errors.csv` : null,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  }
}
