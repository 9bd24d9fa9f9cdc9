import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, makeWriteKey, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { buildApp } from '../app.ts'
import { createContext } from '../context.ts'
import { getEnv } from '../env.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

/** Posts to /v1/* and waits until what it acknowledged is written (the processor runs apart). */
async function post(key: string | undefined, path: string, payload: unknown, headers = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/v1/${path}`,
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: basic(key) } : {}),
      ...headers,
    },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })
  await t.app.ingest.settle()
  return response
}

async function world() {
  const { owner, workspaceId } = await makeWorkspace(t)
  const key = await makeWriteKey(owner, workspaceId)
  return { owner, workspaceId, key }
}

async function get(session: Session, workspaceId: string, url: string) {
  const response = await session.request({ method: 'GET', url, workspaceId })
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

describe('tracking API', () => {
  it('turns identify, page and track into a contact with touchpoints', async () => {
    const { owner, workspaceId, key } = await world()
    const identify = await post(key, 'identify', {
      userId: 'u-1',
      anonymousId: 'anon-1',
      traits: { email: 'Ada@Example.com', firstName: 'Ada', lastName: 'Lovelace', plan: 'pro' },
    })
    expect(identify.statusCode, identify.body).toBe(200)
    expect(identify.json()).toEqual({ success: true })
    const page = await post(key, 'page', {
      userId: 'u-1',
      name: 'Pricing',
      properties: { url: 'https://northwind.example/pricing' },
      context: { campaign: { source: 'google', medium: 'cpc', name: 'Spring' } },
    })
    expect(page.statusCode, page.body).toBe(200)
    const contacts = await get(owner, workspaceId, '/api/v1/contacts?q=ada')
    expect(contacts.data).toHaveLength(1)
    const contact = contacts.data[0]
    expect(contact).toMatchObject({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
    })
    const touches = await get(owner, workspaceId, `/api/v1/touchpoints?contactId=${contact.id}`)
    expect(touches.data).toHaveLength(1)
    expect(touches.data[0]).toMatchObject({
      type: 'page_view',
      channel: 'paid_search',
      url: 'https://northwind.example/pricing',
    })
  })

  it('lists touchpoints by contact, account, campaign, type and time', async () => {
    const { owner, workspaceId, key } = await world()
    const campaign = await owner.request({
      method: 'POST',
      url: '/api/v1/campaigns',
      workspaceId,
      payload: {
        name: 'Spring launch',
        channel: 'paid_search',
        type: 'ads',
        currency: 'EUR',
        utmCampaigns: ['Spring-26'],
      },
    })
    expect(campaign.statusCode, campaign.body).toBe(201)
    const campaignId = campaign.json().data.id
    const batch = await post(key, 'batch', {
      batch: [
        { type: 'identify', userId: 'u-2', traits: { email: 'bo@example.com' } },
        {
          type: 'group',
          userId: 'u-2',
          groupId: 'g-1',
          traits: { name: 'Bo Inc', website: 'https://www.bo.example' },
        },
        {
          type: 'page',
          userId: 'u-2',
          timestamp: '2026-11-01T10:00:00Z',
          context: { campaign: { source: 'google', medium: 'cpc', name: 'spring-26' } },
        },
        {
          type: 'track',
          userId: 'u-2',
          event: 'Form Submitted',
          timestamp: '2026-11-02T10:00:00Z',
        },
        {
          type: 'track',
          anonymousId: 'nobody',
          event: 'Rated Demo',
          timestamp: '2026-11-03T10:00:00Z',
        },
      ],
    })
    expect(batch.statusCode, batch.body).toBe(200)
    const contact = (await get(owner, workspaceId, '/api/v1/contacts?q=bo@example.com')).data[0]
    expect(contact.accountId).toBeTruthy()
    const account = await get(owner, workspaceId, `/api/v1/accounts/${contact.accountId}`)
    expect(account.data).toMatchObject({ name: 'Bo Inc', domain: 'bo.example' })
    const list = (query: string) =>
      get(owner, workspaceId, `/api/v1/touchpoints?${query}`).then((r) =>
        r.data.map((d: { type: string }) => d.type),
      )
    expect(await list(`contactId=${contact.id}`)).toEqual(['form_submit', 'page_view'])
    expect(await list(`accountId=${contact.accountId}`)).toEqual(['form_submit', 'page_view'])
    expect(await list(`campaignId=${campaignId}`)).toEqual(['page_view'])
    expect(await list('type=custom')).toEqual(['custom'])
    expect(await list('from=2026-11-02&to=2026-11-03T00:00:00Z')).toEqual(['form_submit'])
    const bad = await owner.request({
      method: 'GET',
      url: '/api/v1/touchpoints?from=yesterday',
      workspaceId,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('from')
  })

  it('re-fits the deals of an account whose industry or size a group call changes', async () => {
    const { owner, workspaceId, key } = await world()
    const call = (method: 'POST' | 'GET', url: string, payload?: Record<string, unknown>) =>
      owner.request({ method, url, workspaceId, ...(payload ? { payload } : {}) })
    await post(key, 'batch', {
      batch: [
        { type: 'identify', userId: 'u-fit', traits: { email: 'fit@shop.example' } },
        {
          type: 'group',
          userId: 'u-fit',
          groupId: 'g-fit',
          traits: { name: 'Shop', employees: 5 },
        },
      ],
    })
    const contact = (await get(owner, workspaceId, '/api/v1/contacts?q=fit@shop.example')).data[0]
    const product = await call('POST', '/api/v1/products', {
      name: 'Big robot',
      price: 100,
      icpEmployeesMin: 200,
    })
    expect(product.statusCode, product.body).toBe(201)
    const deal = await call('POST', '/api/v1/deals', {
      name: 'Shop robot',
      accountId: contact.accountId,
      lineItems: [{ productId: product.json().data.id, quantity: 1, unitPrice: 100 }],
    })
    expect(deal.statusCode, deal.body).toBe(201)
    expect(deal.json().data.productFit).toBe(0)
    await post(key, 'group', { userId: 'u-fit', groupId: 'g-fit', traits: { employees: 250 } })
    const after = await get(owner, workspaceId, `/api/v1/deals/${deal.json().data.id}`)
    expect(after.data.productFit).toBe(100)
  })

  it('refuses a missing or wrong write key with 401', async () => {
    const missing = await post(undefined, 'track', { userId: 'x', event: 'E' })
    expect(missing.statusCode).toBe(401)
    const wrong = await post('wk_nope', 'track', { userId: 'x', event: 'E' })
    expect(wrong.statusCode).toBe(401)
  })

  it('merges an anonymous history into the contact on identify, records it and lets an admin undo it', async () => {
    const { owner, workspaceId, key } = await world()
    for (const [i, path] of ['/', '/pricing'].entries()) {
      const page = await post(key, 'page', {
        anonymousId: 'visitor-9',
        timestamp: `2026-11-20T10:0${i}:00Z`,
        properties: { url: `https://northwind.example${path}` },
        context: { campaign: { source: 'newsletter', medium: 'email', name: 'nov' } },
      })
      expect(page.statusCode, page.body).toBe(200)
    }
    const before = await get(
      owner,
      workspaceId,
      `/api/v1/touchpoints?filter=${encodeURIComponent('{"all":[{"field":"anonymousId","op":"eq","value":"visitor-9"}]}')}`,
    )
    expect(before.data.map((d: { contactId: string | null }) => d.contactId)).toEqual([null, null])
    const identify = await post(key, 'identify', {
      anonymousId: 'visitor-9',
      userId: 'cy',
      timestamp: '2026-11-20T10:05:00Z',
      traits: { email: 'cy@example.com' },
    })
    expect(identify.statusCode, identify.body).toBe(200)
    const after = await post(key, 'track', {
      anonymousId: 'visitor-9',
      event: 'Form Submitted',
      timestamp: '2026-11-20T10:06:00Z',
      context: { campaign: { source: 'linkedin', medium: 'paid_social', name: 'retarget' } },
    })
    expect(after.statusCode, after.body).toBe(200)
    const contact = (await get(owner, workspaceId, '/api/v1/contacts?q=cy@example.com')).data[0]
    const touches = await get(owner, workspaceId, `/api/v1/touchpoints?contactId=${contact.id}`)
    expect(touches.data.map((d: { type: string }) => d.type)).toEqual([
      'form_submit',
      'page_view',
      'page_view',
    ])
    const full = await get(owner, workspaceId, `/api/v1/contacts/${contact.id}`)
    expect(full.data.firstTouchUtm).toEqual({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'nov',
    })
    expect(full.data.lastTouchUtm).toMatchObject({ utm_source: 'linkedin' })
    expect(full.data.leadCreation).toMatchObject({
      type: 'form_submit',
      at: '2026-11-20T10:06:00.000Z',
    })

    const merges = await get(owner, workspaceId, `/api/v1/identity-merges?contactId=${contact.id}`)
    expect(merges.data).toHaveLength(1)
    expect(merges.data[0]).toMatchObject({
      anonymousId: 'visitor-9',
      reason: 'identify',
      touchpointsMoved: 2,
      undoneAt: null,
    })
    const undo = await owner.request({
      method: 'POST',
      url: `/api/v1/identity-merges/${merges.data[0].id}/undo`,
      workspaceId,
    })
    expect(undo.statusCode, undo.body).toBe(200)
    expect(undo.json().data.undoneAt).toBeTruthy()
    const left = await get(owner, workspaceId, `/api/v1/touchpoints?contactId=${contact.id}`)
    expect(left.data).toHaveLength(0)
    const again = await owner.request({
      method: 'POST',
      url: `/api/v1/identity-merges/${merges.data[0].id}/undo`,
      workspaceId,
    })
    expect(again.statusCode).toBe(409)
  })

  it('stores a resent or repeated messageId once and still answers 200', async () => {
    const { owner, workspaceId, key } = await world()
    const message = { type: 'track', messageId: 'm-1', anonymousId: 'a-1', event: 'Clicked' }
    const first = await post(key, 'batch', {
      batch: [message, message, { ...message, messageId: 'm-2' }],
    })
    expect(first.statusCode, first.body).toBe(200)
    const again = await post(key, 'track', message)
    expect(again.statusCode, again.body).toBe(200)
    const touches = await get(owner, workspaceId, '/api/v1/touchpoints')
    expect(touches.data.map((d: { eventName: string }) => d.eventName)).toEqual([
      'Clicked',
      'Clicked',
    ])
  })

  it('refuses a whole batch with one invalid event, naming it, and stores nothing of it', async () => {
    const { owner, workspaceId, key } = await world()
    const response = await post(key, 'batch', {
      batch: [
        { type: 'track', userId: 'ok', event: 'Fine' },
        { type: 'track', event: 'No id' },
      ],
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('batch[1].userId: required'),
    })
    expect((await get(owner, workspaceId, '/api/v1/touchpoints')).data).toHaveLength(0)
    expect((await get(owner, workspaceId, '/api/v1/contacts')).data).toHaveLength(0)
  })

  it('answers 400 to invalid JSON, to bodies over the limits and to unknown endpoints with 404', async () => {
    const { key } = await world()
    const invalid = await post(key, 'track', '{"userId": ')
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().error.message).toContain('invalid JSON')
    const huge = await post(key, 'track', {
      userId: 'u',
      event: 'Big',
      properties: { text: 'x'.repeat(40_000) },
    })
    expect(huge.statusCode).toBe(400)
    expect(huge.json().error.message).toContain('32 KB')
    const batch = Array.from({ length: 30 }, () => ({
      type: 'track',
      userId: 'u',
      event: 'Big',
      properties: { text: 'y'.repeat(20_000) },
    }))
    const tooBig = await post(key, 'batch', { batch })
    expect(tooBig.statusCode).toBe(400)
    expect(tooBig.json().error.message).toContain('500 KB')
    const deep = await post(key, 'track', {
      userId: 'u',
      event: 'Deep',
      properties: JSON.parse(`${'{"a":'.repeat(30)}1${'}'.repeat(30)}`),
    })
    expect(deep.statusCode).toBe(400)
    expect(deep.json().error.message).toContain('nested deeper than 20 levels')
    const unknown = await post(key, 'everything', { userId: 'u' })
    expect(unknown.statusCode).toBe(404)
  })

  it('accepts JSON sent as text/plain with the write key in the body, and answers CORS for any origin', async () => {
    const { owner, workspaceId, key } = await world()
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/t',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('*')
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST')
    const beacon = await t.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://shop.example' },
      payload: JSON.stringify({
        writeKey: key,
        anonymousId: 'b-1',
        event: 'Beacon',
        type: 'track',
      }),
    })
    expect(beacon.statusCode, beacon.body).toBe(200)
    expect(beacon.headers['access-control-allow-origin']).toBe('*')
    await t.app.ingest.settle()
    expect((await get(owner, workspaceId, '/api/v1/touchpoints')).data[0]).toMatchObject({
      eventName: 'Beacon',
      channel: 'direct',
    })
  })

  it('flags bots and link scanners, and clamps far-future timestamps', async () => {
    const { owner, workspaceId, key } = await world()
    const now = Date.now()
    const response = await post(key, 'batch', {
      batch: [
        {
          type: 'page',
          anonymousId: 'crawler',
          context: { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1)' },
        },
        {
          type: 'track',
          anonymousId: 'scanned',
          event: 'Email Link Clicked',
          timestamp: new Date(now - 60_000 + 2_000).toISOString(),
          properties: { deliveredAt: new Date(now - 60_000).toISOString() },
        },
        { type: 'track', anonymousId: 'future', event: 'Later', timestamp: '2099-01-01T00:00:00Z' },
      ],
    })
    expect(response.statusCode, response.body).toBe(200)
    const touches = (await get(owner, workspaceId, '/api/v1/touchpoints?sort=occurredAt')).data
    const byAnon = Object.fromEntries(
      touches.map((d: { anonymousId: string }) => [d.anonymousId, d]),
    )
    expect(byAnon.crawler).toMatchObject({ isBot: true, botReason: 'bot_user_agent' })
    expect(byAnon.scanned).toMatchObject({
      isBot: true,
      botReason: 'instant_click',
      type: 'email_click',
    })
    expect(byAnon.future).toMatchObject({ isBot: false, timeFlag: 'clamped_future' })
    expect(Date.parse(byAnon.future.occurredAt)).toBeLessThan(now + 2 * 86_400_000)
  })

  it('keeps traits whole and shows HTML in them as text', async () => {
    const { owner, workspaceId, key } = await world()
    const response = await post(key, 'identify', {
      userId: 'x-1',
      traits: {
        email: 'eve@example.com',
        firstName: '<script>alert(1)</script>',
        nested: { a: [1, 2] },
      },
    })
    expect(response.statusCode, response.body).toBe(200)
    const contact = (await get(owner, workspaceId, '/api/v1/contacts?q=eve@example.com')).data[0]
    const full = await get(owner, workspaceId, `/api/v1/contacts/${contact.id}`)
    expect(full.data.firstName).toBe('<script>alert(1)</script>')
    expect(full.data.traits).toEqual({
      email: 'eve@example.com',
      firstName: '<script>alert(1)</script>',
      nested: { a: [1, 2] },
    })
  })

  it('stores tabs, line breaks, backslashes and U+0000 in touch values as sent (U+0000 dropped)', async () => {
    const { workspaceId, key } = await world()
    const awkward = 'tab\there\nline\r\nback\\slash \\N "quoted" \u0000end'
    const response = await post(key, 'page', {
      anonymousId: 'awkward\tvisitor',
      name: 'Odd\tname',
      properties: { note: awkward, url: 'https://northwind.example/a\\b', nested: { x: awkward } },
      context: { userAgent: 'Agent\\N' },
    })
    expect(response.statusCode, response.body).toBe(200)
    const touch = await t.ctx.db
      .selectFrom('touchpoints')
      .select(['anonymousId', 'eventName', 'url', 'properties', 'context'])
      .where('workspaceId', '=', workspaceId)
      .executeTakeFirstOrThrow()
    const stored = awkward.replace('\u0000', '')
    expect(touch).toMatchObject({
      anonymousId: 'awkward\tvisitor',
      eventName: 'Odd\tname',
      url: 'https://northwind.example/a\\b',
      properties: { note: stored, nested: { x: stored } },
      context: { userAgent: 'Agent\\N' },
    })
  })

  it('enforces the cap of distinct custom event names per workspace with a clear 400', async () => {
    const { key } = await world()
    const names = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        type: 'track',
        userId: 'u',
        event: `Event ${from + i}`,
      }))
    const fill = await post(key, 'batch', { batch: names(0, 1000) })
    expect(fill.statusCode, fill.body).toBe(200)
    const known = await post(key, 'track', { userId: 'u', event: 'Event 5' })
    expect(known.statusCode).toBe(200)
    const over = await post(key, 'track', { userId: 'u', event: 'Event 1000' })
    expect(over.statusCode).toBe(400)
    expect(over.json().error.message).toContain('the limit is 1000')
  })

  it('answers 503 with Retry-After when too many events wait, and stores every acknowledged one', async () => {
    const { workspaceId, key } = await world()
    const env = { ...getEnv(), TANDEM_INGEST_MAX_PENDING: 1 }
    const ctx = await createContext(env, t.url, { log: pino({ level: 'silent' }), poolSize: 3 })
    const small = await buildApp(ctx)
    try {
      const authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, r) =>
          small.inject({
            method: 'POST',
            url: '/v1/batch',
            headers: { authorization, 'content-type': 'application/json' },
            payload: {
              batch: Array.from({ length: 100 }, (_, i) => ({
                type: 'track',
                anonymousId: `v-${r}`,
                event: 'Load',
                messageId: `load-${r}-${i}`,
              })),
            },
          }),
        ),
      )
      const refused = responses.filter((r) => r.statusCode === 503)
      const acknowledged = responses.filter((r) => r.statusCode === 200)
      expect(refused.length).toBeGreaterThan(0)
      expect(acknowledged.length).toBeGreaterThan(0)
      expect(acknowledged.length + refused.length).toBe(20)
      for (const response of refused) {
        expect(response.headers['retry-after']).toBe('1')
        expect(response.json().error.code).toBe('unavailable')
      }
      await small.ingest.settle()
      const counted = await t.ctx.db
        .selectFrom('touchpoints')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('workspaceId', '=', workspaceId)
        .executeTakeFirstOrThrow()
      expect(Number(counted.n)).toBe(acknowledged.length * 100)
    } finally {
      await small.close()
      await ctx.close()
    }
  })

  it('refuses new events once too many wait to be written, and writes every acknowledged one later, once', async () => {
    const { workspaceId, key } = await world()
    const env = { ...getEnv(), TANDEM_INGEST_MAX_BACKLOG: 200 }
    const ctx = await createContext(env, t.url, { log: pino({ level: 'silent' }), poolSize: 3 })
    const stalled = await buildApp(ctx)
    await stalled.ready()
    // A process whose writer is stopped: it acknowledges into the inbox, and nothing more.
    await stalled.ingest.stop()
    const send = (r: number) =>
      stalled.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: basic(key), 'content-type': 'application/json' },
        payload: {
          batch: Array.from({ length: 100 }, (_, i) => ({
            type: 'page',
            anonymousId: `stalled-${r}`,
            messageId: `stalled-${r}-${i}`,
            properties: { url: `https://northwind.example/${i}` },
          })),
        },
      })
    try {
      expect((await send(0)).statusCode).toBe(200)
      expect((await send(1)).statusCode).toBe(200)
      const refused = await send(2)
      expect(refused.statusCode).toBe(503)
      expect(refused.headers['retry-after']).toBe('1')
      expect(refused.json().error.message).toContain('more events than it can store')
      const health = (await stalled.inject({ method: 'GET', url: '/api/health' })).json()
      expect(health.ingest).toEqual({ waiting: 200, failed: 0 })
    } finally {
      await stalled.close()
      await ctx.close()
    }
    // Another process (here the test's app) writes what the stalled one acknowledged.
    await t.app.ingest.settle()
    const rows = await t.ctx.db
      .selectFrom('touchpoints')
      .select(['anonymousId', 'messageId'])
      .where('workspaceId', '=', workspaceId)
      .execute()
    expect(rows).toHaveLength(200)
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(200)
    expect(new Set(rows.map((r) => r.anonymousId))).toEqual(new Set(['stalled-0', 'stalled-1']))
  })

  it('sets aside a request it cannot write, keeps the reason, and writes the others', async () => {
    const { workspaceId, key } = await world()
    const { id } = await t.ctx.db
      .insertInto('ingestInbox')
      .values({
        workspaceId,
        receivedAt: new Date(),
        ip: null,
        events: 1,
        messages: '[{"type": "track", "messageId": ',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const after = await post(key, 'track', { anonymousId: 'after-bad', event: 'Still here' })
    expect(after.statusCode).toBe(200)
    const failed = await t.ctx.db
      .selectFrom('ingestInbox')
      .select(['id', 'failedAt', 'error', 'attempts'])
      .where('workspaceId', '=', workspaceId)
      .execute()
    expect(failed).toEqual([
      { id, failedAt: expect.any(Date), error: expect.stringContaining('JSON'), attempts: 1 },
    ])
    const touches = await t.ctx.db
      .selectFrom('touchpoints')
      .select('eventName')
      .where('workspaceId', '=', workspaceId)
      .execute()
    expect(touches).toEqual([{ eventName: 'Still here' }])
    const health = (await t.app.inject({ method: 'GET', url: '/api/health' })).json()
    expect(health.ingest.failed).toBeGreaterThanOrEqual(1)
  })
})
