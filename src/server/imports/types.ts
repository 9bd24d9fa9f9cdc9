import type { Readable } from 'node:stream'
import type { Principal } from '../auth/principal.ts'

/** What `tandem import`, `POST /api/v1/imports` and the Import page can bring in. */
export const importEntities = [
  'accounts',
  'contacts',
  'products',
  'deals',
  'activities',
  'campaigns',
  'touchpoints',
] as const
export type ImportEntity = (typeof importEntities)[number]

export const importPresets = ['hubspot', 'salesforce'] as const
export type ImportPreset = (typeof importPresets)[number]

export interface ImportProgress {
  /** Data rows read so far (the header excluded). */
  rows: number
  imported: number
  rejected: number
  /** Bytes of the file read so far, for a progress bar over the file's size. */
  bytes: number
}

/** A row that could not be imported; the rest of the file goes on. */
export interface RowError {
  /** 1-based line of the file (the header is line 1). */
  line: number
  /** The file's column at fault, when one is. */
  column: string | null
  reason: string
}

export interface ImportOptions {
  workspaceId: string
  /** Who imports: owner of created records when the file names none, and the audit's actor. */
  actor: Principal
  entity: ImportEntity
  /** The raw bytes of the CSV file. */
  input: Readable
  /** csvColumn → field, over the preset's (or the automatic) mapping. */
  map?: Record<string, string>
  /** field → csvValue → our value, over the preset's value mapping. */
  values?: Record<string, Record<string, string>>
  preset?: ImportPreset
  /** Reads and checks every row, writes nothing. */
  dryRun?: boolean
  /** Route imported contacts at MQL or beyond (off by default). */
  route?: boolean
  onProgress?: (progress: ImportProgress) => void
  onRowError?: (error: RowError) => void
  signal?: AbortSignal
}

export interface ImportResult extends ImportProgress {
  created: number
  updated: number
  unchanged: number
}

/** What the mapping step shows: the file's columns, its first rows and the proposed mapping. */
export interface ImportPreview {
  headers: string[]
  rows: string[][]
  /** csvColumn → field, or null when the column is ignored. */
  mapping: Record<string, string | null>
  fields: { key: string; label: string; required: boolean }[]
  delimiter: string
}

/** Distinct values of one column in the rows the preview read, most frequent first. */
export interface ColumnValues {
  values: { value: string; rows: number }[]
  /** The column has more distinct values than listed. */
  more: boolean
}

/**
 * The Import page's mapping step: the preview plus what value mapping needs, i.e. each field's
 * allowed values, the values each column holds and the preset's own value mapping.
 */
export interface ImportMappingPreview extends ImportPreview {
  fields: { key: string; label: string; required: boolean; values?: string[] }[]
  /** How many data rows the column values come from, and whether that is the whole file. */
  sample: { rows: number; isWholeFile: boolean }
  columnValues: Record<string, ColumnValues>
  /** field → csv value → our value: what the preset translates before the user's mapping. */
  valueMapping: Record<string, Record<string, string>>
}
