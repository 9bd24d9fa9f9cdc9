/**
 * What the Bridge's reports (issue 8: voice of sales, funnel, alignment, drill-down) share: their
 * date range (default the last 12 months up to today, in the workspace time zone), the groupings
 * they accept, the segment of an account (DEFINITIONS.md "Segment"), and the link from a number to
 * the records behind it (the web app's drill-down page, /bridge/records).
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { z } from 'zod'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { IsoDate } from '../records/fields.ts'
import { reportRange } from './sla.ts'

export const bridgeGroupings = ['campaign', 'channel', 'segment', 'team'] as const
export type BridgeGrouping = (typeof bridgeGroupings)[number]

/** from/to of every Bridge report, documented once for the OpenAPI document. */
export const BridgeRangeQuery = z.object({
  from: IsoDate.optional().describe(
    'First day (workspace time zone); default 12 months before `to`',
  ),
  to: IsoDate.optional().describe('Last day, inclusive; default today'),
})

/** A groupBy query parameter limited to `allowed`, with an error that lists them. */
export function groupByParam<const T extends readonly [BridgeGrouping, ...BridgeGrouping[]]>(
  allowed: T,
) {
  return z
    .enum(allowed, { error: () => `must be one of ${allowed.join(', ')}` })
    .optional()
    .describe(`Group rows by ${allowed.join(', ')}; omitted: one group for everything`)
}

export interface BridgeRange {
  from: string
  to: string
  /** Start of `from` and of the day after `to`, in the workspace time zone. */
  start: Date
  end: Date
  timeZone: string
}

/** The workspace's time zone, or 404 when the workspace does not exist. */
export async function workspaceTimeZone(db: Kysely<DB>, workspaceId: string): Promise<string> {
  const workspace = await db
    .selectFrom('workspaces')
    .select('timeZone')
    .where('id', '=', workspaceId)
    .executeTakeFirst()
  if (!workspace) throw new AppError('not_found', 'Workspace not found')
  return workspace.timeZone
}

/**
 * [from, to] of a Bridge report: `to` defaults to today and `from` to 12 months before it (the
 * first of the month, so the first month is whole). Inverted ranges and ranges over ~3 years are
 * refused naming the field.
 */
export function bridgeRange(
  query: { from?: string | undefined; to?: string | undefined },
  timeZone: string,
  now: Date,
): BridgeRange {
  const today = DateTime.fromJSDate(now, { zone: timeZone })
  const to = query.to ?? today.toISODate()
  const from =
    query.from ??
    DateTime.fromISO(to ?? '', { zone: timeZone })
      .minus({ months: 11 })
      .startOf('month')
      .toISODate()
  if (!to || !from) throw new AppError('invalid_input', 'to: could not compute the default range')
  return { ...reportRange({ from, to }, timeZone, now), timeZone }
}

/** Default segments by account employees (DEFINITIONS.md): smb < 200 ≤ mid_market < 2,000 ≤ enterprise. */
export function segmentOfEmployees(employees: number | null | undefined) {
  if (employees === null || employees === undefined) return null
  if (employees < 200) return 'smb' as const
  if (employees < 2000) return 'mid_market' as const
  return 'enterprise' as const
}

/** The same rule in SQL over an `employees` column expression. */
export const segmentSql = (column: string) =>
  `case when ${column} is null then null when ${column} < 200 then 'smb' when ${column} < 2000 then 'mid_market' else 'enterprise' end`

export type DrillKind = 'handoffs' | 'deals' | 'contacts'

/**
 * The web app's link to the records behind a number: /bridge/records?kind=…&from=…&to=…&…
 * (src/server/reports/records.ts documents every filter). Undefined and null filters are left out.
 */
export function drillLink(
  kind: DrillKind,
  range: Pick<BridgeRange, 'from' | 'to'>,
  filters: Record<string, string | number | boolean | null | undefined> = {},
): string {
  const params = new URLSearchParams({ kind, from: range.from, to: range.to })
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null) params.set(key, String(value))
  }
  return `/bridge/records?${params.toString()}`
}
