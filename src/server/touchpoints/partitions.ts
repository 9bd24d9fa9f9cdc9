import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface PartitionReport {
  /** Partitions made by this call. */
  created: string[]
  /** Partitions that were already there. */
  existing: string[]
  /** Months left to the default partition because it already holds rows of them. */
  skipped: string[]
}

const maxMonths = 1200

function monthName(year: number, month: number) {
  return `touchpoints_y${year}m${String(month + 1).padStart(2, '0')}`
}

function monthStart(year: number, month: number) {
  return new Date(Date.UTC(year, month, 1)).toISOString()
}

/**
 * Makes sure `touchpoints` has a monthly partition `touchpoints_yYYYYmMM` (UTC months) for every
 * month from `from` to `to`, so bulk loads land in proper partitions. A month whose rows already
 * sit in the default partition is skipped and reported: PostgreSQL refuses a partition while the
 * default one holds rows of its range, and moving them is a job for a maintenance window, not for
 * this helper. Those rows stay readable; the month just is not pruned. Safe to run concurrently.
 */
export async function ensureTouchpointPartitions(
  db: Kysely<DB>,
  from: Date,
  to: Date,
): Promise<PartitionReport> {
  const report: PartitionReport = { created: [], existing: [], skipped: [] }
  let year = from.getUTCFullYear()
  let month = from.getUTCMonth()
  const lastYear = to.getUTCFullYear()
  const lastMonth = to.getUTCMonth()
  for (let i = 0; i < maxMonths; i++) {
    if (year > lastYear || (year === lastYear && month > lastMonth)) break
    const name = monthName(year, month)
    const next = month === 11 ? { year: year + 1, month: 0 } : { year, month: month + 1 }
    const outcome = await ensureMonth(
      db,
      name,
      monthStart(year, month),
      monthStart(next.year, next.month),
    )
    report[outcome].push(name)
    ;({ year, month } = next)
  }
  return report
}

// One short transaction per month, so a long load does not hold locks on the whole table; inside
// a caller's transaction (the demo seed) the months become part of it.
async function ensureMonth(
  db: Kysely<DB>,
  name: string,
  start: string,
  end: string,
): Promise<keyof PartitionReport> {
  const inTransaction = <T>(work: (trx: Kysely<DB>) => Promise<T>) =>
    db.isTransaction ? work(db) : db.transaction().execute(work)
  return inTransaction(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('touchpoints.partitions'))`.execute(trx)
    const found = await sql<{ exists: boolean }>`
      select to_regclass(${name}) is not null as exists
    `.execute(trx)
    if (found.rows[0]?.exists) return 'existing'
    const inDefault = await sql<{ exists: boolean }>`
      select exists (select 1 from touchpoints_default
        where occurred_at >= ${start}::timestamptz and occurred_at < ${end}::timestamptz) as exists
    `.execute(trx)
    if (inDefault.rows[0]?.exists) return 'skipped'
    // Partition bounds must be literals; name, start and end are built from numbers above.
    await sql`
      create table ${sql.raw(name)} partition of touchpoints
        for values from (${sql.lit(start)}) to (${sql.lit(end)})
    `.execute(trx)
    return 'created'
  })
}
