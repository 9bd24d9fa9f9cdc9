import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApiKey, makeWorkspace } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { buildApp } from '../app.ts'
import { createContext } from '../context.ts'
import { getEnv } from '../env.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

describe('API keys', () => {
  it('shows the key once, stores only its hash, and lists it without the key', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const created = await makeApiKey(owner, workspaceId, 'marketing')
    expect(created.key).toMatch(/^tdm_[\w-]{40,}$/)
    const stored = await t.ctx.db
      .selectFrom('apiKeys')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(stored)).not.toContain(created.key)
    const list = (
      await owner.request({ method: 'GET', url: '/api/v1/api-keys', workspaceId })
    ).json()
    expect(list.data[0]).toMatchObject({
      id: created.id,
      role: 'marketing',
      prefix: created.key.slice(0, 12),
      revokedAt: null,
    })
    expect(JSON.stringify(list)).not.toContain(created.key)
  })

  it('acts with the role of the key, not more', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const viewer = await makeApiKey(owner, workspaceId, 'viewer')
    const attempt = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(viewer.key),
      payload: { name: 'escalate', role: 'admin' },
    })
    expect(attempt.statusCode).toBe(403)
    const admin = await makeApiKey(owner, workspaceId, 'admin')
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(admin.key),
      payload: { name: 'by program', role: 'sales' },
    })
    expect(made.statusCode).toBe(201)
    const audit = (
      await owner.request({ method: 'GET', url: '/api/v1/audit-log?limit=1', workspaceId })
    ).json().data[0]
    expect(audit).toMatchObject({
      action: 'api_key.create',
      actor: { type: 'api_key', id: admin.id },
    })
  })

  it('stops accepting a revoked key at once, in this process and in another one', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const key = await makeApiKey(owner, workspaceId, 'viewer')
    const otherCtx = await createContext(getEnv(), t.url, {
      log: pino({ level: 'silent' }),
      poolSize: 2,
    })
    const other = await buildApp(otherCtx)
    try {
      // Both processes have verified (and cached) the key.
      for (const app of [t.app, other]) {
        const ok = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(key.key) })
        expect(ok.statusCode).toBe(200)
      }
      const revoke = await owner.request({
        method: 'DELETE',
        url: `/api/v1/api-keys/${key.id}`,
        workspaceId,
      })
      expect(revoke.statusCode).toBe(204)
      const here = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: bearer(key.key),
      })
      expect(here.statusCode).toBe(401)
      let status = 200
      for (let i = 0; i < 50 && status === 200; i++) {
        status = (
          await other.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(key.key) })
        ).statusCode
        if (status === 200) await new Promise((r) => setTimeout(r, 20))
      }
      expect(status).toBe(401)
    } finally {
      await other.close()
      await otherCtx.close()
    }
  })

  it('answers 404 for revoking an unknown key and 400 for a malformed id', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const unknown = await owner.request({
      method: 'DELETE',
      url: '/api/v1/api-keys/01900000-0000-7000-8000-000000000000',
      workspaceId,
    })
    expect(unknown.statusCode).toBe(404)
    const malformed = await owner.request({
      method: 'DELETE',
      url: '/api/v1/api-keys/nope',
      workspaceId,
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.message).toContain('params.id')
  })

  it('requires a name and a known role', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      workspaceId,
      payload: { name: '', role: 'root' },
    })
    expect(response.statusCode).toBe(400)
    const fields = response.json().error.details.issues.map((i: { field: string }) => i.field)
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.role']))
    expect(
      await t.ctx.db
        .selectFrom('apiKeys')
        .select('id')
        .where('workspaceId', '=', workspaceId)
        .execute(),
    ).toEqual([])
  })
})
