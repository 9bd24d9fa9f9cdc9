import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, makeWriteKey, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

function settings(session: Session, workspaceId: string) {
  return session.request({ method: 'GET', url: '/api/v1/tracking/settings', workspaceId })
}

function change(session: Session, workspaceId: string, payload: Record<string, unknown>) {
  return session.request({
    method: 'PATCH',
    url: '/api/v1/tracking/settings',
    workspaceId,
    payload,
  })
}

async function lastAudit(owner: Session, workspaceId: string) {
  const response = await owner.request({
    method: 'GET',
    url: '/api/v1/audit-log?limit=1',
    workspaceId,
  })
  return response.json().data[0]
}

function snippet(query: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url: `/t.js${query}`, headers })
}

/** The configuration a served snippet starts with: the JSON of its final `.start(…)` call. */
function configOf(body: string) {
  const found = body.match(/tandemSnippet\.start\((\{.*\})\)\}\)\(\);\n$/)
  expect(found, body.slice(-300)).not.toBeNull()
  return JSON.parse(found?.[1] ?? '{}')
}

describe('tracking settings', () => {
  it('has the defaults until changed, for every member', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    const response = await settings(viewer, workspaceId)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data).toEqual({
      consentRequired: false,
      cookieDomain: null,
      captureForms: false,
      updatedAt: null,
    })
  })

  it('lets marketing change only the fields sent, and audits what changed', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const marketing = await addMember(t, owner, workspaceId, 'marketing')
    const first = await change(marketing, workspaceId, {
      consentRequired: true,
      cookieDomain: ' .Example.com ',
    })
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json().data).toMatchObject({
      consentRequired: true,
      cookieDomain: '.example.com',
      captureForms: false,
    })
    expect(await lastAudit(owner, workspaceId)).toMatchObject({
      action: 'tracking_settings.update',
      targetType: 'tracking_settings',
      targetId: workspaceId,
      actor: { id: marketing.userId },
      details: {
        changes: {
          consentRequired: { from: false, to: true },
          cookieDomain: { from: null, to: '.example.com' },
        },
      },
    })

    const second = await change(owner, workspaceId, { captureForms: true, cookieDomain: null })
    expect(second.json().data).toMatchObject({
      consentRequired: true,
      cookieDomain: null,
      captureForms: true,
    })
    expect((await lastAudit(owner, workspaceId)).details).toEqual({
      changes: {
        captureForms: { from: false, to: true },
        cookieDomain: { from: '.example.com', to: null },
      },
    })
    const read = (await settings(owner, workspaceId)).json().data
    expect(read).toMatchObject({ consentRequired: true, cookieDomain: null, captureForms: true })
    expect(Date.parse(read.updatedAt)).not.toBeNaN()
  })

  it('refuses a change from sales and viewers', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    for (const role of ['sales', 'sales_manager', 'viewer'] as const) {
      const person = await addMember(t, owner, workspaceId, role)
      const response = await change(person, workspaceId, { consentRequired: true })
      expect(response.statusCode, response.body).toBe(403)
    }
    expect((await settings(owner, workspaceId)).json().data.consentRequired).toBe(false)
  })

  it.each([
    ['https://example.com'],
    ['example.com/path'],
    ['exa mple.com'],
    ['-example.com'],
    ['example..com'],
    ['example_site.com'],
    [`${'a'.repeat(250)}.com`],
    [''],
  ])('refuses the cookie domain %j, naming the field', async (cookieDomain) => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const response = await change(owner, workspaceId, { cookieDomain })
    expect(response.statusCode, response.body).toBe(400)
    expect(response.json().error.message).toMatch(/^body\.cookieDomain: /)
    expect((await settings(owner, workspaceId)).json().data.updatedAt).toBeNull()
  })

  it('refuses an empty change and an unknown field', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const empty = await change(owner, workspaceId, {})
    expect(empty.statusCode).toBe(400)
    expect(empty.json().error.message).toMatch(/at least one of consentRequired/)
    const unknown = await change(owner, workspaceId, { cookie_domain: 'example.com' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.message).toMatch(/cookie_domain/)
  })
})

describe('GET /t.js', () => {
  it('serves runnable JavaScript configured with the key and the workspace settings', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const key = await makeWriteKey(owner, workspaceId)
    await change(owner, workspaceId, { captureForms: true, cookieDomain: 'example.com' })
    const host = { host: 'tandem.example.org:8443' }
    const response = await snippet(`?key=${key}`, host)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe('application/javascript; charset=utf-8')
    expect(response.headers['cache-control']).toBe('public, max-age=300')
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(response.headers.etag).toMatch(/^W\/"[\w-]+"$/)
    expect(() => new Function(response.body)).not.toThrow()
    expect(configOf(response.body)).toEqual({
      writeKey: key,
      host: 'http://tandem.example.org:8443',
      consentRequired: false,
      cookieDomain: 'example.com',
      captureForms: true,
    })

    const etag = String(response.headers.etag)
    const again = await snippet(`?key=${key}`, { ...host, 'if-none-match': `"x", ${etag}` })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')

    await change(owner, workspaceId, { consentRequired: true })
    const changed = await snippet(`?key=${key}`, { ...host, 'if-none-match': etag })
    expect(changed.statusCode).toBe(200)
    expect(configOf(changed.body).consentRequired).toBe(true)
  })

  it('answers gzip when accepted, within 5 KB', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const key = await makeWriteKey(owner, workspaceId)
    const plain = await snippet(`?key=${key}`)
    const response = await snippet(`?key=${key}`, { 'accept-encoding': 'gzip, deflate, br' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-encoding']).toBe('gzip')
    expect(response.headers.vary).toMatch(/accept-encoding/i)
    const gzipped = response.rawPayload
    expect(gzipped.length).toBeLessThanOrEqual(5120)
    expect(gunzipSync(gzipped).toString()).toBe(plain.body)
    expect(plain.headers['content-encoding']).toBeUndefined()
    const refused = await snippet(`?key=${key}`, { 'accept-encoding': 'gzip;q=0, identity' })
    expect(refused.headers['content-encoding']).toBeUndefined()
  })

  it('says in the console why a key cannot be used, with a 401', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const key = await makeWriteKey(owner, workspaceId)
    const keys = await owner.request({ method: 'GET', url: '/api/v1/write-keys', workspaceId })
    const id = keys.json().data[0].id
    await owner.request({ method: 'DELETE', url: `/api/v1/write-keys/${id}`, workspaceId })
    const cases: [string, RegExp][] = [
      [`?key=${key}`, /write key wk_\S+ is unknown, revoked or expired/],
      ['?key=wk_0123456789abcdefghijklmnopqrstuv', /is unknown, revoked or expired/],
      ['', /needs your write key/],
      ['?key=', /needs your write key/],
      ['?key=hello%22%29%3Balert(1)%2F%2F', /is not a write key/],
      ['?key=a&key=b', /is not a write key/],
    ]
    for (const [query, message] of cases) {
      const response = await snippet(query)
      expect(response.statusCode, query).toBe(401)
      expect(response.headers['content-type']).toBe('application/javascript; charset=utf-8')
      expect(response.headers['cache-control']).toBe('no-store')
      const logged: unknown[] = []
      new Function('console', response.body)({ error: (text: unknown) => logged.push(text) })
      expect(logged, query).toHaveLength(1)
      expect(String(logged[0])).toMatch(/^Tandem: /)
      expect(String(logged[0])).toMatch(message)
      expect(String(logged[0])).toMatch(/Settings → Tracking/)
    }
  })
})
