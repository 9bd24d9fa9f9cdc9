import { createHmac } from 'node:crypto'
import type { Kysely } from 'kysely'
import type PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'
import type { DB } from '../db/schema.ts'
import { version } from '../version.ts'

/** A delivery is given up (status `failed`) after this many attempts; replay starts it again. */
export const maxAttempts = 8
const defaultTimeoutMs = 10_000
const defaultLimit = 50
const dispatchEveryMs = 5_000

/**
 * Minutes to wait after the n-th failed attempt (n ≥ 1): 1, 4, 16, 64, 256, 1024, 4096. Growing by
 * four, eight attempts span about 3.8 days, so a receiver down over a weekend still gets its events.
 */
export function backoffMinutes(failedAttempts: number): number {
  return 4 ** Math.max(0, failedAttempts - 1)
}

/** The Tandem-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000)
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')
  return `t=${t},v1=${v1}`
}

export interface DeliverOptions {
  /** Most deliveries claimed in one run (default 50); they are sent side by side. */
  limit?: number
  /** How long one receiver may take to answer (default 10 s). */
  timeoutMs?: number
  fetchImpl?: typeof fetch
}

interface Claimed {
  workspaceId: string
  id: string
  eventType: string
  idempotencyKey: string
  payload: Record<string, unknown>
  attempts: number
  url: string
  secret: string
}

interface Outcome {
  ok: boolean
  statusCode: number | null
  error: string | null
}

/**
 * Claims due deliveries by pushing their next attempt past the send (a lease): `skip locked` keeps
 * two processes from claiming one delivery, and the row lock is held only for the claim, so a slow
 * receiver blocks nobody. A process that dies mid-send leaves the lease to expire: the delivery is
 * then sent again with the same Idempotency-Key.
 */
async function claimDue(db: Kysely<DB>, now: Date, limit: number, leaseUntil: Date) {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('webhookDeliveries as d')
      .innerJoin('webhookSubscriptions as s', (join) =>
        join.onRef('s.workspaceId', '=', 'd.workspaceId').onRef('s.id', '=', 'd.subscriptionId'),
      )
      .select(['d.workspaceId', 'd.id'])
      .where('d.status', '=', 'pending')
      .where('d.nextAttemptAt', '<=', now)
      // A paused subscription keeps its deliveries pending until it is resumed.
      .where('s.isActive', '=', true)
      .orderBy('d.nextAttemptAt')
      .limit(limit)
      .forUpdate('d')
      .skipLocked()
      .execute()
    if (due.length === 0) return []
    return trx
      .updateTable('webhookDeliveries as d')
      .from('webhookSubscriptions as s')
      .set({ nextAttemptAt: leaseUntil })
      .whereRef('s.workspaceId', '=', 'd.workspaceId')
      .whereRef('s.id', '=', 'd.subscriptionId')
      .where((eb) =>
        eb(
          eb.refTuple('d.workspaceId', 'd.id'),
          'in',
          due.map((row) => eb.tuple(row.workspaceId, row.id)),
        ),
      )
      .returning([
        'd.workspaceId',
        'd.id',
        'd.eventType',
        'd.idempotencyKey',
        'd.payload',
        'd.attempts',
        's.url',
        's.secret',
      ])
      .execute()
  })
}

/** The first characters of an answer, for the delivery log; reads no more than it keeps. */
async function answerSnippet(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < 500) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.length
  }
  await reader.cancel().catch(() => {})
  return Buffer.concat(chunks).toString('utf8').slice(0, 500).trim()
}

async function send(
  delivery: Claimed,
  now: Date,
  timeoutMs: number,
  fetchImpl: typeof fetch,
): Promise<Outcome> {
  const body = JSON.stringify(delivery.payload)
  try {
    const response = await fetchImpl(delivery.url, {
      method: 'POST',
      body,
      // A redirect is an answer to fix at the receiver, not one to follow with the signed body.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': `Tandem-Webhooks/${version}`,
        'Tandem-Event': delivery.eventType,
        'Tandem-Delivery': delivery.id,
        'Idempotency-Key': delivery.idempotencyKey,
        'Tandem-Signature': signatureHeader(delivery.secret, body, now),
      },
    })
    const snippet = await answerSnippet(response).catch(() => '')
    if (response.status >= 200 && response.status < 300) {
      return { ok: true, statusCode: response.status, error: null }
    }
    const error = `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`
    return { ok: false, statusCode: response.status, error }
  } catch (error) {
    const name = error instanceof Error ? error.name : ''
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, statusCode: null, error: `No answer within ${timeoutMs} ms` }
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : ''
    const message = error instanceof Error ? error.message : String(error)
    return { ok: false, statusCode: null, error: cause ? `${message}: ${cause}` : message }
  }
}

/**
 * Records an attempt. It only touches a delivery still holding this run's lease, so a replay made
 * during the send is not overwritten.
 */
async function record(
  db: Kysely<DB>,
  delivery: Claimed,
  outcome: Outcome,
  now: Date,
  leaseUntil: Date,
) {
  const attempts = delivery.attempts + 1
  const gaveUp = !outcome.ok && attempts >= maxAttempts
  await db
    .updateTable('webhookDeliveries')
    .set({
      status: outcome.ok ? 'succeeded' : gaveUp ? 'failed' : 'pending',
      attempts,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error?.slice(0, 1000) ?? null,
      deliveredAt: outcome.ok ? new Date() : null,
      nextAttemptAt:
        outcome.ok || gaveUp ? null : new Date(now.getTime() + backoffMinutes(attempts) * 60_000),
    })
    .where('workspaceId', '=', delivery.workspaceId)
    .where('id', '=', delivery.id)
    .where('status', '=', 'pending')
    .where('nextAttemptAt', '=', leaseUntil)
    .execute()
}

/**
 * Sends every due delivery (up to `limit`) side by side, each with its own timeout, and records
 * each outcome: 2xx succeeded, anything else retried with backoff until maxAttempts. Answers how
 * many were attempted. `now` is the clock the due times and backoff are read against.
 */
export async function deliverDue(
  db: Kysely<DB>,
  now: Date = new Date(),
  options: DeliverOptions = {},
): Promise<number> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs
  const fetchImpl = options.fetchImpl ?? fetch
  // The lease outlasts the longest send, so no other process picks the delivery up meanwhile.
  const leaseUntil = new Date(now.getTime() + timeoutMs + 60_000)
  const claimed = await claimDue(db, now, options.limit ?? defaultLimit, leaseUntil)
  await Promise.all(
    claimed.map(async (delivery) => {
      const outcome = await send(delivery, now, timeoutMs, fetchImpl)
      await record(db, delivery, outcome, now, leaseUntil)
    }),
  )
  return claimed.length
}

/**
 * The worker's in-process dispatcher: runs deliverDue every 5 s (and at once again while a run
 * found a full batch). Errors are logged, never thrown: a bad run must not stop the worker.
 */
export function startWebhookDispatcher(
  ctx: Pick<AppContext, 'db' | 'log'>,
  options: DeliverOptions & { everyMs?: number } = {},
): { stop(): Promise<void> } {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  const limit = options.limit ?? defaultLimit
  const tick = async () => {
    let sent = limit
    try {
      while (!stopped && sent >= limit) sent = await deliverDue(ctx.db, new Date(), options)
    } catch (error) {
      ctx.log.error({ err: error }, 'webhook dispatch failed')
    }
    if (!stopped) {
      timer = setTimeout(() => {
        running = tick()
      }, options.everyMs ?? dispatchEveryMs)
      timer.unref()
    }
  }
  running = tick()
  return {
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

/** How long the delivery log keeps settled deliveries (docs/webhooks.md). */
export const deliveryLogDays = 30

/** Deletes succeeded and failed deliveries older than the log keeps; pending ones always stay. */
export async function purgeDeliveryLog(db: Kysely<DB>, now: Date = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('webhookDeliveries')
    .where('status', '<>', 'pending')
    .where('createdAt', '<', new Date(now.getTime() - deliveryLogDays * 86_400_000))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * A pg-boss cron each minute, the safety net should no worker's dispatcher loop be running, and a
 * nightly purge of the delivery log.
 */
export async function registerWebhookJobs(
  boss: PgBoss,
  ctx: Pick<AppContext, 'db' | 'log'>,
): Promise<void> {
  await boss.createQueue('webhooks.deliver')
  await boss.schedule('webhooks.deliver', '* * * * *')
  await boss.work('webhooks.deliver', async () => {
    try {
      await deliverDue(ctx.db)
    } catch (error) {
      ctx.log.error({ err: error }, 'webhook dispatch failed')
    }
  })
  await boss.createQueue('webhooks.purge')
  await boss.schedule('webhooks.purge', '47 3 * * *')
  await boss.work('webhooks.purge', async () => {
    await purgeDeliveryLog(ctx.db)
  })
}
