import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { DB } from '../db/schema.ts'
import {
  backoffMinutes,
  deliverDue,
  maxAttempts,
  purgeDeliveryLog,
  startWebhookDispatcher,
} from './deliver.ts'
import { emitWebhookEvent, type WebhookEventType } from './events.ts'
import { isSignedBy, type Receiver, startReceiver } from './test-receiver.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let receiver: Receiver
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Hooks Co'))
  receiver = await startReceiver()
})
afterAll(async () => {
  await receiver.close()
  await t.close()
})
// Each test sends only its own deliveries: what an earlier test left pending is set aside.
beforeEach(async () => {
  await t.ctx.db
    .updateTable('webhookDeliveries')
    .set({ status: 'failed', nextAttemptAt: null })
    .where('status', '=', 'pending')
    .execute()
})

interface Subscription {
  id: string
  secret: string
}

async function subscribe(
  path: string,
  options: { eventTypes?: WebhookEventType[]; format?: 'json' | 'slack' } = {},
): Promise<Subscription> {
  const response = await owner.request({
    method: 'POST',
    url: '/api/v1/webhooks',
    workspaceId,
    payload: {
      name: `Receiver ${path}`,
      url: receiver.url(path),
      eventTypes: options.eventTypes ?? ['handoff.created'],
      format: options.format ?? 'json',
    },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data
}

function emit(type: WebhookEventType, data: Record<string, unknown> = {}, text?: string) {
  return t.ctx.db
    .transaction()
    .execute((trx) => emitWebhookEvent(trx, workspaceId, type, data, { text }))
}

function deliveriesOf(subscription: Subscription) {
  return t.ctx.db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('subscriptionId', '=', subscription.id)
    .orderBy('id')
    .execute()
}

async function onlyDeliveryOf(subscription: Subscription) {
  const rows = await deliveriesOf(subscription)
  expect(rows).toHaveLength(1)
  return rows[0] as NonNullable<(typeof rows)[number]>
}

const minutes = (n: number) => n * 60_000

describe('webhook delivery', () => {
  it('sends nothing in the transaction, then a signed JSON payload with its idempotency key', async () => {
    const subscription = await subscribe('/signed')
    await emit('handoff.created', { handoffId: 'h-1', contactName: 'Ada Lovelace' })
    expect(receiver.requests('/signed')).toHaveLength(0)
    const queued = await onlyDeliveryOf(subscription)
    expect(queued).toMatchObject({ status: 'pending', attempts: 0 })

    expect(await deliverDue(t.ctx.db)).toBe(1)
    const [request] = receiver.requests('/signed')
    if (!request) throw new Error('nothing arrived')
    expect(isSignedBy(subscription.secret, request.headers['tandem-signature'], request.body)).toBe(
      true,
    )
    expect(isSignedBy('whsec_wrong', request.headers['tandem-signature'], request.body)).toBe(false)
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'tandem-event': 'handoff.created',
      'tandem-delivery': queued.id,
      'idempotency-key': `${queued.eventId}:${subscription.id}`,
    })
    expect(request.headers['user-agent']).toMatch(/^Tandem-Webhooks\/\d+\.\d+\.\d+/)
    const signedAt = Number(/t=(\d+)/.exec(String(request.headers['tandem-signature']))?.[1])
    expect(Math.abs(signedAt - Date.now() / 1000)).toBeLessThan(60)
    expect(JSON.parse(request.body)).toEqual({
      id: queued.eventId,
      type: 'handoff.created',
      createdAt: queued.createdAt.toISOString(),
      workspaceId,
      data: { handoffId: 'h-1', contactName: 'Ada Lovelace' },
    })
    const sent = await onlyDeliveryOf(subscription)
    expect(sent).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200 })
    expect(sent.deliveredAt).toBeInstanceOf(Date)
    expect(await deliverDue(t.ctx.db)).toBe(0)
  })

  it('retries an answer of 500 after the backoff, with the same idempotency key', async () => {
    const subscription = await subscribe('/flaky')
    receiver.on('/flaky', { status: 500, body: 'database down' }, { status: 204 })
    await emit('handoff.created', { handoffId: 'h-2' })
    const now = new Date()
    await deliverDue(t.ctx.db, now)
    const failed = await onlyDeliveryOf(subscription)
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500: database down',
    })
    expect(failed.nextAttemptAt?.getTime()).toBe(now.getTime() + minutes(backoffMinutes(1)))

    expect(await deliverDue(t.ctx.db, new Date(now.getTime() + 30_000))).toBe(0)
    expect(await deliverDue(t.ctx.db, new Date(now.getTime() + minutes(1)))).toBe(1)
    const [first, second] = receiver.requests('/flaky')
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key'])
    expect(second?.headers['tandem-delivery']).toBe(failed.id)
    expect(second?.body).toBe(first?.body)
    expect(await onlyDeliveryOf(subscription)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      lastStatusCode: 204,
    })
  })

  it('times out a receiver that never answers without holding up the others', async () => {
    const silent = await subscribe('/silent', { eventTypes: ['deal.won'] })
    const quick = await subscribe('/quick', { eventTypes: ['deal.won'] })
    receiver.on('/silent', 'hang')
    await emit('deal.won', { dealId: 'd-1' })
    const started = Date.now()
    const run = deliverDue(t.ctx.db, new Date(), { timeoutMs: 1500 })
    // While the first run waits on the silent receiver, a second process claims nothing twice.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await deliverDue(t.ctx.db, new Date(), { timeoutMs: 1500 })).toBe(0)
    expect(await run).toBe(2)

    const quickArrival = receiver.requests('/quick')[0]?.at ?? Number.POSITIVE_INFINITY
    expect(quickArrival - started).toBeLessThan(1500)
    expect(await onlyDeliveryOf(quick)).toMatchObject({ status: 'succeeded', attempts: 1 })
    const timedOut = await onlyDeliveryOf(silent)
    expect(timedOut).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'No answer within 1500 ms',
    })
    expect(receiver.requests('/silent')).toHaveLength(1)

    receiver.on('/silent', { status: 200 })
    await deliverDue(t.ctx.db, new Date(Date.now() + minutes(2)))
    expect(await onlyDeliveryOf(silent)).toMatchObject({ status: 'succeeded', attempts: 2 })
  })

  it(`gives up after ${maxAttempts} attempts, waiting longer each time`, async () => {
    // The schedule docs/webhooks.md promises: about 3.8 days from the first to the last attempt.
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMinutes)).toEqual([1, 4, 16, 64, 256, 1024, 4096])
    expect(maxAttempts).toBe(8)
    const subscription = await subscribe('/down', { eventTypes: ['deal.lost'] })
    receiver.on('/down', { status: 503 })
    await emit('deal.lost', { dealId: 'd-2' })
    let now = new Date()
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      expect(await deliverDue(t.ctx.db, now)).toBe(1)
      const row = await onlyDeliveryOf(subscription)
      expect(row.attempts).toBe(attempt)
      if (attempt < maxAttempts) {
        expect(row.status).toBe('pending')
        expect(row.nextAttemptAt?.getTime()).toBe(now.getTime() + minutes(backoffMinutes(attempt)))
        now = row.nextAttemptAt as Date
      }
    }
    const gaveUp = await onlyDeliveryOf(subscription)
    expect(gaveUp).toMatchObject({ status: 'failed', nextAttemptAt: null, lastStatusCode: 503 })
    expect(await deliverDue(t.ctx.db, new Date(now.getTime() + minutes(100_000)))).toBe(0)
    expect(receiver.requests('/down')).toHaveLength(maxAttempts)
  })

  it('replays a delivery with the same payload and idempotency key', async () => {
    const subscription = await subscribe('/replay', { eventTypes: ['handoff.accepted'] })
    await emit('handoff.accepted', { handoffId: 'h-3' })
    await deliverDue(t.ctx.db)
    const sent = await onlyDeliveryOf(subscription)
    expect(sent.status).toBe('succeeded')

    const replay = await owner.request({
      method: 'POST',
      url: `/api/v1/webhooks/deliveries/${sent.id}/replay`,
      workspaceId,
    })
    expect(replay.statusCode, replay.body).toBe(202)
    expect(replay.json().data).toMatchObject({ id: sent.id, status: 'pending', attempts: 0 })
    expect(await deliverDue(t.ctx.db)).toBe(1)
    const [first, again] = receiver.requests('/replay')
    expect(again?.headers['idempotency-key']).toBe(sent.idempotencyKey)
    expect(again?.body).toBe(first?.body)
    expect(await onlyDeliveryOf(subscription)).toMatchObject({ status: 'succeeded', attempts: 1 })
  })

  it('sends Slack-format subscriptions a message with text and blocks', async () => {
    await subscribe('/slack', { eventTypes: ['handoff.breached'], format: 'slack' })
    await emit('handoff.breached', { handoffId: 'h-4', ownerName: 'Bo <Sales>' })
    await emit('handoff.breached', { handoffId: 'h-5' }, 'Handoff of Ada breached its SLA')
    await deliverDue(t.ctx.db)
    const bodies = receiver.requests('/slack').map((r) => JSON.parse(r.body))
    const texts = bodies.map((b) => b.text).sort()
    expect(texts).toEqual([
      'Handoff of Ada breached its SLA',
      'SLA breached on a handoff: handoffId h-4, ownerName Bo &lt;Sales&gt;',
    ])
    for (const body of bodies) {
      expect(body.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: body.text } })
    }
  })

  it('queues deliveries only for active subscriptions to the event type', async () => {
    const handoffs = await subscribe('/types-a', { eventTypes: ['handoff.rejected'] })
    const deals = await subscribe('/types-b', { eventTypes: ['deal.won'] })
    const paused = await subscribe('/types-c', { eventTypes: ['handoff.rejected'] })
    const pause = await owner.request({
      method: 'PATCH',
      url: `/api/v1/webhooks/${paused.id}`,
      workspaceId,
      payload: { isActive: false },
    })
    expect(pause.statusCode).toBe(200)
    const other = await makeWorkspace(t, 'Other Co')
    await emitWebhookEvent(t.ctx.db, other.workspaceId, 'handoff.rejected', {})

    await emit('handoff.rejected', { handoffId: 'h-6', reason: 'no_budget' })
    expect(await deliveriesOf(handoffs)).toHaveLength(1)
    expect(await deliveriesOf(deals)).toHaveLength(0)
    expect(await deliveriesOf(paused)).toHaveLength(0)
  })

  it('leaves no delivery when the emitting transaction rolls back', async () => {
    const subscription = await subscribe('/rollback', { eventTypes: ['lifecycle.changed'] })
    await expect(
      t.ctx.db.transaction().execute(async (trx) => {
        await emitWebhookEvent(trx, workspaceId, 'lifecycle.changed', { stage: 'mql' })
        throw new Error('the stage change failed')
      }),
    ).rejects.toThrow('the stage change failed')
    expect(await deliveriesOf(subscription)).toHaveLength(0)
    await deliverDue(t.ctx.db)
    expect(receiver.requests('/rollback')).toHaveLength(0)
  })

  it('never sends one delivery twice when several processes deliver at once', async () => {
    const subscription = await subscribe('/busy', { eventTypes: ['handoff.escalated'] })
    for (let i = 0; i < 30; i += 1) await emit('handoff.escalated', { n: i })
    const counts = await Promise.all([1, 2, 3].map(() => deliverDue(t.ctx.db, new Date())))
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(30)
    const keys = receiver.requests('/busy').map((r) => r.headers['idempotency-key'])
    expect(new Set(keys).size).toBe(30)
    expect(keys).toHaveLength(30)
    const rows = await deliveriesOf(subscription)
    expect(rows.every((row) => row.status === 'succeeded')).toBe(true)
  })

  it("sends from the worker's dispatcher loop, which logs errors and keeps going", async () => {
    await subscribe('/background', { eventTypes: ['deal.won'] })
    const dispatcher = startWebhookDispatcher(t.ctx, { everyMs: 50 })
    await emit('deal.won', { dealId: 'd-3' })
    const deadline = Date.now() + 5000
    while (receiver.requests('/background').length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    await dispatcher.stop()
    expect(receiver.requests('/background')).toHaveLength(1)

    const logged: unknown[] = []
    const broken = {
      db: {
        transaction: () => {
          throw new Error('the database is down')
        },
      } as unknown as Kysely<DB>,
      log: { error: (entry: unknown) => logged.push(entry) } as unknown as FastifyBaseLogger,
    }
    const failing = startWebhookDispatcher(broken, { everyMs: 20 })
    await new Promise((resolve) => setTimeout(resolve, 150))
    await failing.stop()
    expect(logged.length).toBeGreaterThan(1)
  })

  it('keeps settled deliveries 30 days and pending ones until they are sent', async () => {
    const subscription = await subscribe('/purge', { eventTypes: ['deal.lost'] })
    receiver.on('/purge', { status: 200 }, { status: 500 })
    await emit('deal.lost', { n: 1 })
    await emit('deal.lost', { n: 2 })
    await deliverDue(t.ctx.db, new Date(), { limit: 1 })
    await deliverDue(t.ctx.db, new Date(), { limit: 1 })
    const rows = await deliveriesOf(subscription)
    expect(rows.map((row) => row.status).sort()).toEqual(['pending', 'succeeded'])
    await purgeDeliveryLog(t.ctx.db, new Date(Date.now() + 29 * 86_400_000))
    expect(await deliveriesOf(subscription)).toHaveLength(2)
    await purgeDeliveryLog(t.ctx.db, new Date(Date.now() + 31 * 86_400_000))
    expect((await deliveriesOf(subscription)).map((row) => row.status)).toEqual(['pending'])
  })
})
