import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'kysely'
import type pg from 'pg'
import { type Database, withConnection } from '../db/database.ts'
import { AppError, fromDatabaseError } from '../errors.ts'
import { ensureTouchpointPartitions } from '../touchpoints/partitions.ts'
import type { SpecMessage } from './spec.ts'
import { mapYielding, monthsOf, type ReceivedMessage, writeMessages } from './writer.ts'

/**
 * The second half of ingestion (docs/ingestion.md, "Throughput and overload"): acknowledged
 * requests wait in `ingest_inbox`; this turns them into contacts, accounts and touchpoints, a few
 * thousand events per transaction, oldest first. Each transaction deletes the inbox rows it wrote,
 * so an event is written exactly once even if a process dies half-way. Every API process runs one;
 * a workspace is worked by one process at a time (an advisory lock), so identity links are made in
 * the order the events were acknowledged.
 */

export interface IngestProcessorOptions {
  /** Events written per transaction. */
  maxEvents?: number
  /** How often the inbox is looked at when nothing woke the processor (rows of other processes). */
  pollMs?: number
  /**
   * How long acknowledged events may gather before a pass that would not be full starts: under
   * light load one transaction per request would spend more on each transaction than on the events.
   */
  gatherMs?: number
}

interface InboxRow {
  id: number
  receivedAt: Date
  ip: string | null
  events: number
  messages: string
  attempts: number
}

/** Failures of one inbox row that is not bad data are retried this often before it is set aside. */
const maxAttempts = 5
/** Rows read per transaction at most (a row is one request: up to 2,500 events). */
const maxRows = 500

/** The inbox's text of a request's messages (dates as ISO strings). */
export function serializeMessages(messages: readonly SpecMessage[]): string {
  return JSON.stringify(messages)
}

export function deserializeMessages(text: string): SpecMessage[] {
  const parsed = JSON.parse(text) as SpecMessage[]
  if (!Array.isArray(parsed)) throw new AppError('invalid_input', 'inbox row is not a list')
  for (const m of parsed) {
    if (typeof m.timestamp === 'string') m.timestamp = new Date(m.timestamp)
    if (typeof m.sentAt === 'string') m.sentAt = new Date(m.sentAt)
  }
  return parsed
}

export class IngestProcessor {
  private readonly maxEvents: number
  private readonly pollMs: number
  private readonly gatherMs: number
  private gathering: NodeJS.Timeout | undefined
  private loop: Promise<void> | undefined
  private isWakeRequested = false
  private isStopped = false
  private timer: NodeJS.Timeout | undefined
  private readonly partitionMonths = new Set<number>()
  /** Events waiting in the inbox, as last counted plus those added since by this process. */
  private waiting = 0
  /** Contacts and identity links made since the planner statistics were last refreshed. */
  private grown = 0
  private analyzedRows = 0

  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly log: FastifyBaseLogger,
    options: IngestProcessorOptions = {},
  ) {
    this.maxEvents = options.maxEvents ?? 5000
    this.pollMs = options.pollMs ?? 1000
    this.gatherMs = options.gatherMs ?? 200
  }

  /** Events acknowledged and not yet written (all processes), as this process last saw it. */
  get backlog(): number {
    return this.waiting
  }

  start() {
    this.timer = setInterval(() => this.wake(), this.pollMs)
    this.timer.unref()
    this.wake()
  }

  /**
   * Called after events were added to the inbox: writes them once a full pass is waiting, or
   * `gatherMs` after the first of them.
   */
  added(events: number) {
    this.waiting += events
    if (this.waiting >= this.maxEvents) this.wake()
    else if (!this.gathering) {
      this.gathering = setTimeout(() => this.wake(), this.gatherMs)
      this.gathering.unref()
    }
  }

  wake() {
    if (this.gathering) clearTimeout(this.gathering)
    this.gathering = undefined
    if (this.isStopped) return
    if (this.loop) {
      this.isWakeRequested = true
      return
    }
    this.loop = this.passes().finally(() => {
      this.loop = undefined
    })
  }

  /** Stops taking work; resolves once the running transaction is done (what is left stays). */
  async stop() {
    this.isStopped = true
    if (this.timer) clearInterval(this.timer)
    if (this.gathering) clearTimeout(this.gathering)
    await this.loop
  }

  /**
   * Resolves once nothing is left in the inbox to write (rows set aside as failed do not count):
   * what a test awaits before reading what its events became.
   */
  async settle(): Promise<void> {
    for (;;) {
      this.wake()
      await this.loop
      if ((await this.countWaiting()) === 0) return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  private async passes() {
    do {
      this.isWakeRequested = false
      try {
        // Each waiting workspace once, oldest first; again only while its passes are full (what
        // arrives meanwhile gathers for the next wake).
        const written = new Set<string>()
        while (!this.isStopped && (await this.pass(written))) await this.refreshStatistics()
        this.waiting = await this.countWaiting()
      } catch (error) {
        // The database is away or something else went wrong: the rows stay, the poll retries.
        this.log.error({ err: error }, 'ingestion processor pass failed; retrying shortly')
        return
      }
    } while (this.isWakeRequested && !this.isStopped)
  }

  /**
   * Tracking grows a workspace fast: a new site sends tens of thousands of visitors in minutes.
   * The planner's statistics then still describe the workspace as it was (tiny) and its lookups
   * of contacts and identities by key pick scans of the whole workspace. Past a fifth more rows
   * (at least 1,000) than at the last refresh, ANALYZE them (one process at a time), ahead of
   * autovacuum.
   */
  private async refreshStatistics() {
    if (this.grown < Math.max(1000, this.analyzedRows / 5)) return
    this.grown = 0
    const rows = await this.db.transaction().execute(async (trx) => {
      const locked = await sql<{ locked: boolean }>`
        select pg_try_advisory_xact_lock(hashtextextended('tandem.ingest.analyze', 0)) as locked
      `.execute(trx)
      if (!locked.rows[0]?.locked) return undefined
      await sql`analyze contacts, identities, accounts`.execute(trx)
      const size = await sql<{ rows: number }>`
        select coalesce(sum(reltuples), 0)::float8 as rows from pg_class
        where oid in ('contacts'::regclass, 'identities'::regclass)
      `.execute(trx)
      return size.rows[0]?.rows ?? 0
    })
    if (rows !== undefined) this.analyzedRows = rows
  }

  private async countWaiting() {
    const row = await sql<{ events: number }>`
      select coalesce(sum(events), 0)::int as events from ingest_inbox where failed_at is null
    `.execute(this.db)
    return row.rows[0]?.events ?? 0
  }

  /**
   * Writes the oldest waiting events of one workspace not in `written` (to which it is added unless
   * more of its events wait); false when there was nothing to take.
   */
  private async pass(written: Set<string>): Promise<boolean> {
    const skip = new Set(written)
    for (;;) {
      const next = await this.db
        .selectFrom('ingestInbox')
        .select('workspaceId')
        .where('failedAt', 'is', null)
        .$if(skip.size > 0, (q) => q.where('workspaceId', 'not in', [...skip]))
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
      if (!next) return false
      const outcome = await this.writeOldest(next.workspaceId)
      if (outcome !== 'full') written.add(next.workspaceId)
      if (outcome !== 'busy') return true
      // Another process is writing this workspace: take the next one, if any.
      skip.add(next.workspaceId)
    }
  }

  /** 'full' when more of the workspace's events wait than one pass takes. */
  private async writeOldest(workspaceId: string): Promise<'full' | 'written' | 'busy'> {
    let taken: InboxRow[] = []
    try {
      return await this.transaction(async (trx, client) => {
        const locked = await sql<{ locked: boolean }>`
          select pg_try_advisory_xact_lock(hashtextextended(${`tandem.ingest:${workspaceId}`}, 0)) as locked
        `.execute(trx)
        if (!locked.rows[0]?.locked) return 'busy'
        const rows = await trx
          .selectFrom('ingestInbox')
          .select(['id', 'receivedAt', 'ip', 'events', 'messages', 'attempts'])
          .where('workspaceId', '=', workspaceId)
          .where('failedAt', 'is', null)
          .orderBy('id')
          .limit(maxRows)
          .execute()
        let events = 0
        taken = []
        for (const row of rows) {
          if (taken.length > 0 && events + row.events > this.maxEvents) break
          taken.push(row)
          events += row.events
        }
        if (taken.length === 0) return 'written'
        await this.writeRows(trx, client, workspaceId, taken)
        this.waiting = Math.max(0, this.waiting - events)
        return taken.length < rows.length || rows.length === maxRows ? 'full' : 'written'
      })
    } catch (error) {
      if (taken.length === 0) throw error
      await this.writeAlone(workspaceId, taken, error)
      return 'written'
    }
  }

  /** Writes the events of these inbox rows and deletes the rows, in the caller's transaction. */
  private async writeRows(
    trx: Database,
    client: pg.PoolClient,
    workspaceId: string,
    rows: InboxRow[],
  ) {
    const items = (await mapYielding(rows, itemsOf)).flat()
    await this.ensurePartitions(items)
    const written = await writeMessages(trx, workspaceId, items, { copyClient: client })
    this.grown += written.contactsCreated + written.identitiesAdded
    await trx
      .deleteFrom('ingestInbox')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute()
  }

  /**
   * A transaction of several rows failed: writes them one by one so that one row's bad data holds
   * up nothing else. A row failing alone with bad data is set aside at once; any other failure is
   * retried (the next pass) and set aside after `maxAttempts`.
   */
  private async writeAlone(workspaceId: string, rows: InboxRow[], first: unknown) {
    for (const row of rows) {
      const error =
        rows.length === 1
          ? first
          : await this.transaction((trx, client) =>
              // writeMessages takes the workspace's lock (waiting for another process, if any).
              this.writeRows(trx, client, workspaceId, [row]),
            ).then(
              () => undefined,
              (failed: unknown) => failed ?? new Error('failed'),
            )
      if (error === undefined) continue
      const isBadData = error instanceof SyntaxError || isDataError(error)
      const attempts = row.attempts + 1
      const isSetAside = isBadData || attempts >= maxAttempts
      await this.db
        .updateTable('ingestInbox')
        .set({
          attempts,
          ...(isSetAside ? { failedAt: new Date(), error: describe(error) } : {}),
        })
        .where('id', '=', row.id)
        .execute()
      this.log.error(
        { err: error, inboxId: row.id, workspaceId, events: row.events, isSetAside },
        isSetAside
          ? 'ingestion could not write a request; it is kept in ingest_inbox as failed'
          : 'ingestion could not write a request; it will be retried',
      )
      // Later rows of the workspace wait for this one (their order matters for identities).
      if (!isSetAside) throw error
    }
  }

  /**
   * A transaction on a connection of its own, so that touchpoints can go in by COPY. Its commit
   * does not wait for the disk: were it lost in a crash, so would be the deletion of its inbox
   * rows, which are then written again. The acknowledgements, which do wait, wait less.
   */
  private transaction<T>(work: (trx: Database, client: pg.PoolClient) => Promise<T>) {
    return withConnection(this.pool, (db, client) =>
      db.transaction().execute(async (trx) => {
        await sql`set local synchronous_commit = off`.execute(trx)
        return work(trx, client)
      }),
    )
  }

  // A touch must land in its month's partition: one left in the default partition would stop that
  // month's partition from ever being made. On its own connection, once per month and process.
  private async ensurePartitions(items: ReceivedMessage[]) {
    for (const month of monthsOf(items)) {
      if (this.partitionMonths.has(month.getTime())) continue
      await ensureTouchpointPartitions(this.db, month, month)
      this.partitionMonths.add(month.getTime())
    }
  }
}

function itemsOf(row: InboxRow): ReceivedMessage[] {
  return deserializeMessages(row.messages).map((message) => ({
    message,
    receivedAt: row.receivedAt,
    ip: row.ip,
  }))
}

function isDataError(error: unknown) {
  if (error instanceof AppError) return error.code === 'invalid_input'
  return fromDatabaseError(error)?.code === 'invalid_input'
}

function describe(error: unknown) {
  const text = error instanceof Error ? error.message : String(error)
  return text.slice(0, 1000)
}
