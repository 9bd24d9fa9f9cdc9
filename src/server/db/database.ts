import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { DB } from './schema.ts'

// COUNT(*) and bigint columns arrive as numbers (minor-unit amounts stay far below 2^53).
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10))
// Dates stay 'YYYY-MM-DD' text: a close date has no time zone.
pg.types.setTypeParser(1082, (value) => value)

export type Database = Kysely<DB>

export interface DatabaseHandle {
  db: Database
  pool: pg.Pool
  url: string
  close(): Promise<void>
}

/** The pool behind each Kysely of `openDatabase`, for work that needs a raw client (COPY). */
const pools = new WeakMap<Kysely<DB>, pg.Pool>()

/** The pool of a Kysely opened by `openDatabase` (not a transaction's or a connection's). */
export function poolOf(db: Kysely<DB>): pg.Pool {
  const pool = pools.get(db)
  if (!pool) throw new Error('poolOf: this Kysely was not opened by openDatabase')
  return pool
}

const plugins = () => [new CamelCasePlugin({ maintainNestedObjectKeys: true })]

/** One pool and one Kysely per process; tables snake_case in SQL, camelCase in TypeScript. */
export function openDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 })
  pool.on('error', () => {
    // An idle client lost its connection (e.g. the server restarted); the pool replaces it.
  })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: plugins() })
  pools.set(db, pool)
  return {
    db,
    pool,
    url,
    close: async () => {
      await db.destroy()
    },
  }
}

/**
 * Runs `work` on one connection of the pool, given a Kysely bound to that connection and the raw
 * client: for a transaction that mixes Kysely statements with COPY. A connection whose work failed
 * is closed rather than returned to the pool.
 */
export async function withConnection<T>(
  pool: pg.Pool,
  work: (db: Database, client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  // Kysely releases its connection after each statement: this one stays ours until `work` ends.
  const borrowed = { query: client.query.bind(client), release: () => {} }
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool: { connect: async () => borrowed as unknown as pg.PoolClient, end: async () => {} },
    }),
    plugins: plugins(),
  })
  let isFailed = false
  try {
    return await work(db, client)
  } catch (error) {
    isFailed = true
    throw error
  } finally {
    await db.destroy()
    client.release(isFailed)
  }
}
