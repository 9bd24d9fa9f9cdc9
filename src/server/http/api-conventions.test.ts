import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApiKey, makeWorkspace } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

describe('API conventions', () => {
  it('answers an unknown API route with a 404 error body naming the route', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({
      error: { code: 'not_found', message: 'No route GET /api/v1/nothing-here' },
    })
    expect(response.json().error.requestId).toBe(response.headers['x-request-id'])
  })

  it('sends security headers and the request id on every response, errors included', async () => {
    for (const url of ['/api/health', '/api/v1/me', '/api/v1/nothing-here']) {
      const response = await t.app.inject({ method: 'GET', url })
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      )
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
      expect(response.headers['strict-transport-security']).toBeUndefined()
    }
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' })
    expect(docs.headers['content-security-policy']).toContain("default-src 'self'")
    expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN')
    const behindTls = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(behindTls.headers['strict-transport-security']).toMatch(/^max-age=\d+/)
  })

  it('answers 401 without credentials and with a wrong API key', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/me' })
    expect(none.statusCode).toBe(401)
    expect(none.json().error.code).toBe('unauthenticated')
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Bearer tdm_not-a-real-key' },
    })
    expect(wrong.statusCode).toBe(401)
  })

  it('answers malformed JSON with 400 invalid_input', async () => {
    const { owner } = await makeWorkspace(t)
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/workspaces',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error).toMatchObject({
      code: 'invalid_input',
      message: 'The request body is not valid JSON',
    })
  })

  it('answers a body over the 1 MB limit with 413 too_large', async () => {
    const { owner } = await makeWorkspace(t)
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/workspaces',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }),
    })
    expect(response.statusCode).toBe(413)
    expect(response.json().error.code).toBe('too_large')
  })

  it('names the invalid field of a body', async () => {
    const { owner } = await makeWorkspace(t)
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { name: 'Ok', fiscalYearStartMonth: 13 },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/^body\.fiscalYearStartMonth: /)
  })

  it('rejects a limit over 200 and a tampered cursor', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const tooMany = await owner.request({
      method: 'GET',
      url: '/api/v1/members?limit=201',
      workspaceId,
    })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().error.message).toMatch(/querystring\.limit/)
    const tampered = await owner.request({
      method: 'GET',
      url: '/api/v1/members?cursor=abc',
      workspaceId,
    })
    expect(tampered.statusCode).toBe(400)
    expect(tampered.json().error.details).toEqual({ field: 'cursor' })
  })

  it('publishes OpenAPI 3 with every /api/v1 route and serves interactive docs', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    expect(spec.openapi).toMatch(/^3\./)
    for (const path of [
      '/api/v1/me',
      '/api/v1/workspace',
      '/api/v1/members',
      '/api/v1/api-keys',
      '/api/v1/audit-log',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path)
    }
    expect(spec.components.schemas.Workspace).toBeDefined()
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' })
    expect(docs.statusCode).toBe(200)
    expect(docs.body).toContain('swagger')
  })

  it('reports database, worker and version on /api/health', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({
      database: 'ok',
      worker: 'not_running',
      version: expect.any(String),
    })
  })

  it('serves an API key its own workspace through Bearer auth', async () => {
    const { owner, workspaceId } = await makeWorkspace(t, 'Bearer Co')
    const key = await makeApiKey(owner, workspaceId, 'viewer')
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${key.key}` },
    })
    expect(me.statusCode).toBe(200)
    expect(me.json().data).toMatchObject({
      user: null,
      role: 'viewer',
      workspace: { id: workspaceId, name: 'Bearer Co' },
    })
  })
})
