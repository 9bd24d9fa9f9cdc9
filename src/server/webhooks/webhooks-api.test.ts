import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { deliverDue } from './deliver.ts'
import { emitWebhookEvent } from './events.ts'
import { isSignedBy, type Receiver, startReceiver } from './test-receiver.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let receiver: Receiver
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Hook Settings Co'))
  receiver = await startReceiver()
})
afterAll(async () => {
  await receiver.close()
  await t.close()
})

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
const send = (method: Method, url: string, payload?: unknown, as: Session = owner) =>
  as.request({ method, url, workspaceId, ...(payload ? { payload } : {}) })

// Every subscription points at the local receiver: no test reaches the internet.
const valid = () => ({
  name: 'CRM sync',
  url: receiver.url('/default'),
  eventTypes: ['handoff.created', 'handoff.accepted'],
})

async function create(payload: Record<string, unknown> = {}) {
  const response = await send('POST', '/api/v1/webhooks', { ...valid(), ...payload })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data as { id: string; secret: string; eventTypes: string[] }
}

function expectInvalid(response: { statusCode: number; json(): unknown }, field: string) {
  expect(response.statusCode).toBe(400)
  const error = (response.json() as { error: { code: string; message: string } }).error
  expect(error.code).toBe('invalid_input')
  expect(error.message.startsWith(`${field}: `), error.message).toBe(true)
}

describe('webhook subscriptions', () => {
  it('shows the generated secret once, masked afterwards', async () => {
    const created = await create({ eventTypes: ['deal.won', 'handoff.created', 'deal.won'] })
    // (in the catalogue's order, each once)
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/)
    expect(created.eventTypes).toEqual(['handoff.created', 'deal.won'])
    const listed = (await send('GET', '/api/v1/webhooks')).json().data
    const shown = listed.find((w: { id: string }) => w.id === created.id)
    expect(shown).toMatchObject({ format: 'json', isActive: true, url: receiver.url('/default') })
    expect(shown.secret).toBe(`whsec_****${created.secret.slice(-4)}`)
    const patched = await send('PATCH', `/api/v1/webhooks/${created.id}`, { name: 'Renamed' })
    expect(patched.json().data).toMatchObject({ name: 'Renamed', secret: shown.secret })
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('workspaceId', '=', workspaceId)
      .where('targetId', '=', created.id)
      .orderBy('id')
      .execute()
    expect(audit.map((row) => row.action)).toEqual(['webhook.create', 'webhook.update'])
    expect(JSON.stringify(audit)).not.toContain(created.secret)
  })

  it('signs with the new secret as soon as it is rotated', async () => {
    const created = await create({
      url: receiver.url('/rotated'),
      eventTypes: ['lifecycle.changed'],
    })
    const rotated = await send('POST', `/api/v1/webhooks/${created.id}/rotate-secret`)
    expect(rotated.statusCode).toBe(200)
    const secret: string = rotated.json().data.secret
    expect(secret).toMatch(/^whsec_/)
    expect(secret).not.toBe(created.secret)
    await emitWebhookEvent(t.ctx.db, workspaceId, 'lifecycle.changed', { stage: 'sql' })
    await deliverDue(t.ctx.db)
    const [request] = receiver.requests('/rotated')
    expect(isSignedBy(secret, request?.headers['tandem-signature'], request?.body ?? '')).toBe(true)
    expect(
      isSignedBy(created.secret, request?.headers['tandem-signature'], request?.body ?? ''),
    ).toBe(false)
  })

  it('names the field of bad input', async () => {
    for (const url of ['ftp://example.com/x', 'not a url', 'javascript:alert(1)']) {
      expectInvalid(await send('POST', '/api/v1/webhooks', { ...valid(), url }), 'body.url')
    }
    const long = `https://example.com/${'a'.repeat(2000)}`
    expectInvalid(await send('POST', '/api/v1/webhooks', { ...valid(), url: long }), 'body.url')
    expectInvalid(
      await send('POST', '/api/v1/webhooks', { ...valid(), eventTypes: ['handoff.made'] }),
      'body.eventTypes.0',
    )
    expectInvalid(
      await send('POST', '/api/v1/webhooks', { ...valid(), eventTypes: [] }),
      'body.eventTypes',
    )
    expectInvalid(
      await send('POST', '/api/v1/webhooks', { ...valid(), format: 'teams' }),
      'body.format',
    )
    const created = await create()
    expectInvalid(
      await send('PATCH', `/api/v1/webhooks/${created.id}`, { url: 'mailto:a@b.c' }),
      'body.url',
    )
  })

  it('is for admins only', async () => {
    const marketer = await addMember(t, owner, workspaceId, 'marketing')
    expect((await send('GET', '/api/v1/webhooks', undefined, marketer)).statusCode).toBe(403)
    const created = await send('POST', '/api/v1/webhooks', valid(), marketer)
    expect(created.statusCode).toBe(403)
  })

  it('sends a test ping to that one subscription only, and not while paused', async () => {
    const target = await create({ url: receiver.url('/ping') })
    const bystander = await create({ url: receiver.url('/bystander') })
    const test = await send('POST', `/api/v1/webhooks/${target.id}/test`)
    expect(test.statusCode, test.body).toBe(202)
    expect(test.json().data).toMatchObject({
      subscriptionId: target.id,
      eventType: 'ping',
      status: 'pending',
    })
    await deliverDue(t.ctx.db)
    const [ping] = receiver.requests('/ping')
    expect(ping?.headers['tandem-event']).toBe('ping')
    expect(JSON.parse(ping?.body ?? '{}')).toMatchObject({ type: 'ping', workspaceId })
    expect(receiver.requests('/bystander')).toHaveLength(0)
    const log = (await send('GET', `/api/v1/webhooks/${target.id}/deliveries`)).json().data
    expect(log).toMatchObject([{ eventType: 'ping', status: 'succeeded', lastStatusCode: 200 }])

    await send('PATCH', `/api/v1/webhooks/${bystander.id}`, { isActive: false })
    const paused = await send('POST', `/api/v1/webhooks/${bystander.id}/test`)
    expect(paused.statusCode).toBe(409)
  })

  it('pages the delivery log newest first and filters it by status', async () => {
    const created = await create({ url: receiver.url('/log'), eventTypes: ['deal.won'] })
    receiver.on('/log', { status: 200 }, { status: 500 }, { status: 200 })
    for (const n of [1, 2, 3]) {
      await emitWebhookEvent(t.ctx.db, workspaceId, 'deal.won', { n })
      await deliverDue(t.ctx.db)
    }
    const base = `/api/v1/webhooks/${created.id}/deliveries`
    const first = (await send('GET', `${base}?limit=2`)).json()
    expect(first.data.map((d: { payload: { data: { n: number } } }) => d.payload.data.n)).toEqual([
      3, 2,
    ])
    const second = (await send('GET', `${base}?limit=2&cursor=${first.nextCursor}`)).json()
    expect(second.data.map((d: { payload: { data: { n: number } } }) => d.payload.data.n)).toEqual([
      1,
    ])
    expect(second.nextCursor).toBeNull()
    const pending = (await send('GET', `${base}?status=pending`)).json().data
    expect(pending).toMatchObject([{ status: 'pending', attempts: 1, lastStatusCode: 500 }])
    expectInvalid(await send('GET', `${base}?status=lost`), 'querystring.status')
  })

  it('deletes a subscription with its delivery log', async () => {
    const created = await create({ url: receiver.url('/gone') })
    await send('POST', `/api/v1/webhooks/${created.id}/test`)
    expect((await send('DELETE', `/api/v1/webhooks/${created.id}`)).statusCode).toBe(204)
    expect((await send('GET', `/api/v1/webhooks/${created.id}/deliveries`)).statusCode).toBe(404)
    expect((await send('DELETE', `/api/v1/webhooks/${created.id}`)).statusCode).toBe(404)
    await deliverDue(t.ctx.db)
    expect(receiver.requests('/gone')).toHaveLength(0)
  })
})
