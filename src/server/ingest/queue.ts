import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/database.ts'
import { AppError, fromDatabaseError } from '../errors.ts'
import { type IngestProcessor, serializeMessages } from './processor.ts'
import { checkEventNameCap, eventNamesOf, type SpecMessage } from './spec.ts'

/**
 * The micro-batcher between the /v1/* requests and the database (ARCHITECTURE.md, "Paths that must
 * stay fast"): requests wait here while one flush is written; the next flush takes every waiting
 * request (up to `maxEvents` events) into one insert into `ingest_inbox`, one row per request, so
 * under load many requests share a commit and when idle a request is written at once. A request's
 * promise settles only after its flush committed: an acknowledged event is never lost. The
 * IngestProcessor then turns the inbox into contacts and touchpoints. Past `maxPending` events
 * waiting here, or `maxBacklog` events waiting in the inbox, new requests are refused with 503 and
 * Retry-After, so memory and the delay before events show stay bounded under overload.
 */

export interface IngestQueueOptions {
  /** Events per flush (ARCHITECTURE.md: 1,000). */
  maxEvents?: number
  /** Events waiting for the inbox insert past which requests are refused. */
  maxPending?: number
  /** Events acknowledged and not yet written past which requests are refused. */
  maxBacklog?: number
  /** Flushes written at once (different workspaces run in parallel; one workspace waits its turn). */
  concurrency?: number
}

interface Waiting {
  workspaceId: string
  messages: readonly SpecMessage[]
  receivedAt: Date
  ip: string | null
  resolve: () => void
  reject: (error: unknown) => void
}

/** Seconds a refused sender is asked to wait (Retry-After). */
export const retryAfterSeconds = 1

export class IngestQueue {
  private waiting: Waiting[] = []
  private waitingEvents = 0
  private running = 0
  private isScheduled = false
  private readonly maxEvents: number
  private readonly maxPending: number
  private readonly maxBacklog: number
  private readonly concurrency: number
  private idle: (() => void)[] = []

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
    private readonly processor: IngestProcessor,
    options: IngestQueueOptions = {},
  ) {
    this.maxEvents = options.maxEvents ?? 1000
    this.maxPending = options.maxPending ?? 10_000
    this.maxBacklog = options.maxBacklog ?? 50_000
    this.concurrency = options.concurrency ?? 2
  }

  /** Whether new requests are being refused (checked before their body is read). */
  get isOverloaded(): boolean {
    return this.waitingEvents >= this.maxPending || this.processor.backlog >= this.maxBacklog
  }

  /** Resolves once the messages are committed; rejects with an AppError otherwise. */
  submit(
    workspaceId: string,
    messages: readonly SpecMessage[],
    receivedAt: Date,
    ip: string | null,
  ) {
    if (this.isOverloaded) throw overloaded()
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ workspaceId, messages, receivedAt, ip, resolve, reject })
      this.waitingEvents += messages.length
      this.schedule()
    })
  }

  /** Waits until every submitted request is settled (server shutdown). */
  drain(): Promise<void> {
    if (this.waiting.length === 0 && this.running === 0) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  private schedule() {
    if (this.isScheduled || this.running >= this.concurrency) return
    this.isScheduled = true
    // Requests that arrive in the same turn of the event loop share the flush.
    setImmediate(() => {
      this.isScheduled = false
      this.startFlushes()
    })
  }

  private startFlushes() {
    while (this.waiting.length > 0 && this.running < this.concurrency) {
      const batch: Waiting[] = []
      let events = 0
      while (this.waiting.length > 0 && (batch.length === 0 || events < this.maxEvents)) {
        const next = this.waiting[0] as Waiting
        if (batch.length > 0 && events + next.messages.length > this.maxEvents) break
        batch.push(next)
        events += next.messages.length
        this.waiting.shift()
      }
      this.running += 1
      void this.run(batch, events).finally(() => {
        this.running -= 1
        this.waitingEvents -= events
        if (this.waiting.length > 0) this.schedule()
        else if (this.running === 0) for (const done of this.idle.splice(0)) done()
      })
    }
  }

  private async run(batch: Waiting[], events: number) {
    try {
      await this.write(batch)
      for (const request of batch) request.resolve()
    } catch (error) {
      if (batch.length === 1) {
        ;(batch[0] as Waiting).reject(this.explain(error))
        return
      }
      // One request's data may be what failed: write each alone so the others still land.
      this.log.warn(
        { err: error, events },
        'ingestion flush failed; writing its requests one by one',
      )
      for (const request of batch) {
        try {
          await this.write([request])
          request.resolve()
        } catch (single) {
          request.reject(this.explain(single))
        }
      }
    }
  }

  private async write(batch: Waiting[]) {
    const rows = batch.map((request) => ({
      workspaceId: request.workspaceId,
      receivedAt: request.receivedAt,
      ip: request.ip,
      events: request.messages.length,
      messages: serializeMessages(request.messages),
    }))
    await this.db.insertInto('ingestInbox').values(rows).execute()
    this.processor.added(rows.reduce((sum, row) => sum + row.events, 0))
  }

  private explain(error: unknown): AppError {
    if (error instanceof AppError) return error
    const database = fromDatabaseError(error)
    if (database?.code === 'invalid_input') {
      return new AppError(
        'invalid_input',
        'An event holds a value the database cannot store; nothing of this request was kept',
        database.details,
      )
    }
    this.log.error({ err: error }, 'ingestion flush failed')
    return new AppError(
      'unavailable',
      'The events could not be stored now; nothing was kept, retry',
    )
  }
}

function overloaded() {
  return new AppError(
    'unavailable',
    `Tandem is receiving more events than it can store; retry in ${retryAfterSeconds} s`,
  )
}

/** Workspaces' known custom event names, to enforce the cap of distinct names before queueing. */
export class EventNameRegistry {
  private readonly known = new Map<string, Set<string>>()

  constructor(private readonly db: Database) {}

  async check(workspaceId: string, messages: readonly SpecMessage[]) {
    const names = eventNamesOf(messages)
    if (names.size === 0) return
    let set = this.known.get(workspaceId)
    if (set && [...names].every((n) => set?.has(n))) return
    // A name this process has not seen: other processes may have; read the workspace's list.
    const rows = await this.db
      .selectFrom('eventNames')
      .select('name')
      .where('workspaceId', '=', workspaceId)
      .execute()
    set = new Set(rows.map((r) => r.name))
    const known = set
    const added = [...names].filter((n) => !known.has(n))
    checkEventNameCap(set.size, added)
    for (const name of added) set.add(name)
    this.known.set(workspaceId, set)
  }
}
