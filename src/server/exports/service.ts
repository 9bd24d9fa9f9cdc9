import type { Readable } from 'node:stream'
import { type AliasedRawBuilder, type Kysely, sql } from 'kysely'
import type pg from 'pg'
import { z } from 'zod'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { customFilterFields, loadDefinitions } from '../custom-fields/values.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { compileFilter, parseFilterParam } from '../records/filter.ts'
import { orderBy, parseSort } from '../records/list.ts'
import { csvValue, jsonValue } from './columns.ts'
import { copyOut, inlineParameters } from './copy.ts'
import { type EntitySpec, type ExportEntity, entitySpecs, exportEntities } from './entities.ts'

export const exportFormats = ['csv', 'jsonl'] as const
export type ExportFormat = (typeof exportFormats)[number]

export const ExportQuery = z.object({
  format: z.enum(exportFormats).default('csv'),
  q: z.string().trim().max(200).optional(),
  filter: z.string().max(20_000).optional(),
  sort: z.string().max(60).optional(),
})
export type ExportQuery = z.infer<typeof ExportQuery>

/** A ready export: the COPY statement, the CSV header line, and what to call the file. */
export interface PreparedExport {
  entity: ExportEntity
  format: ExportFormat
  workspaceId: string
  /** Text written before the rows (the CSV header), empty for JSONL. */
  header: string
  copy: string
  count: { sql: string; parameters: readonly unknown[] }
}

export function parseEntity(raw: string): ExportEntity {
  const found = exportEntities.find((e) => e === raw)
  if (!found) {
    throw new AppError(
      'invalid_input',
      `entity: unknown "${raw}"; use one of ${exportEntities.join(', ')}`,
      { field: 'entity' },
    )
  }
  return found
}

const csvHeaderCell = (key: string) => (/[",\r\n]/.test(key) ? `"${key.replace(/"/g, '""')}"` : key)

/**
 * Prepares an export of one entity with the list's `q`, `filter` and `sort` (records:read): one
 * `COPY (select …) TO STDOUT` whose rows are already in the API's representation, so the rows
 * stream from PostgreSQL to the client without a JavaScript step per row. Without `sort` the
 * rows come in storage order (the fastest); with it, in the list's order.
 */
export async function prepareExport(
  db: Kysely<DB>,
  principal: Principal,
  entity: ExportEntity,
  query: ExportQuery,
): Promise<PreparedExport> {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const spec: EntitySpec = entitySpecs[entity]
  const definitions = spec.custom ? await loadDefinitions(db, workspaceId, spec.custom) : []
  const filter = parseFilterParam(query.filter)
  const fields = { ...spec.fields, ...customFilterFields(definitions, spec.alias) }
  const where = [spec.search(query.q), filter ? compileFilter(filter, fields) : undefined].filter(
    (w) => w !== undefined,
  )
  const order = query.sort
    ? orderBy(parseSort(query.sort, spec.sorts, query.sort), `${spec.alias}.id`)
    : undefined
  const custom = sql.ref(`${spec.alias}.custom`)

  let header = ''
  let select: AliasedRawBuilder<unknown, string>[]
  if (query.format === 'csv') {
    const cells = spec.columns.map((column, i) => csvValue(column).as(`c${i}`))
    const customCells = definitions.map((d, i) =>
      (d.type === 'multi_select'
        ? sql`(${custom}->${sql.lit(d.key)})::text`
        : sql`${custom}->>${sql.lit(d.key)}`
      ).as(`x${i}`),
    )
    select = [...cells, ...customCells]
    const keys = [...spec.columns.map((c) => c.key), ...definitions.map((d) => `custom.${d.key}`)]
    header = `${keys.map(csvHeaderCell).join(',')}\n`
  } else {
    const pairs = spec.columns.flatMap((column) => [sql.lit(column.key), jsonValue(column)])
    if (spec.custom) pairs.push(sql.lit('custom'), sql`${custom}`)
    select = [sql`json_build_object(${sql.join(pairs)})::text`.as('line')]
  }
  const compiled = spec.query(db, workspaceId, { select, where, order }).compile()
  const inner = inlineParameters(compiled.sql, compiled.parameters)
  // JSONL: one text column written as CSV with a quote and a delimiter that JSON text never holds
  // (it escapes every control character), so each line is the JSON exactly.
  const options =
    query.format === 'csv' ? '(format csv)' : `(format csv, delimiter E'\\x02', quote E'\\x01')`
  const count = spec
    .query(db, workspaceId, { select: [sql`count(*)::int`.as('n')], where, order: undefined })
    .compile()
  return {
    entity,
    format: query.format,
    workspaceId,
    header,
    copy: `copy (${inner}) to stdout ${options}`,
    count: { sql: count.sql, parameters: count.parameters },
  }
}

/** How many rows the export will write (for a progress bar). */
export async function countExport(pool: pg.Pool, prepared: PreparedExport): Promise<number> {
  const result = await pool.query<{ n: number }>(prepared.count.sql, [...prepared.count.parameters])
  return result.rows[0]?.n ?? 0
}

/**
 * Starts the export on a connection of its own and answers the stream of the file once
 * PostgreSQL has accepted the statement (so a failure is an error, not a cut-off file).
 */
export function streamExport(pool: pg.Pool, prepared: PreparedExport): Promise<Readable> {
  return copyOut(pool, prepared.copy, prepared.header)
}

/** `<entity>-<workspace>-<date>.<format>`, the workspace's name made safe for a file name. */
export async function exportFileName(db: Kysely<DB>, prepared: PreparedExport, at = new Date()) {
  const row = await db
    .selectFrom('workspaces')
    .select('name')
    .where('id', '=', prepared.workspaceId)
    .executeTakeFirst()
  const slug =
    (row?.name ?? 'workspace')
      .normalize('NFKD')
      .replace(/[^\w-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'workspace'
  return `${prepared.entity}-${slug}-${at.toISOString().slice(0, 10)}.${prepared.format}`
}

/** The workspace the CLI exports: the one named, else the only one there is. */
export async function chooseWorkspace(db: Kysely<DB>, nameOrId: string | undefined) {
  const rows = await db.selectFrom('workspaces').select(['id', 'name']).orderBy('name').execute()
  if (nameOrId === undefined) {
    const [only, ...more] = rows
    if (!only) throw new AppError('not_found', 'There is no workspace yet')
    if (more.length > 0) {
      throw new AppError(
        'invalid_input',
        `--workspace: name one of ${rows.map((r) => `"${r.name}"`).join(', ')}`,
      )
    }
    return only
  }
  const found = rows.find((r) => r.id === nameOrId) ?? rows.find((r) => r.name === nameOrId)
  if (!found) throw new AppError('not_found', `No workspace named or with id "${nameOrId}"`)
  return found
}
