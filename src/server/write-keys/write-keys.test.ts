import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { addMember, makeApiKey, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { buildApp } from '../app.ts'
import { createContext } from '../context.ts'
import type { Role } from '../db/schema.ts'
import { getEnv } from '../env.ts'
import { resolveWriteKey, rotationOverlapMs } from './service.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

interface WriteKey {
  id: string
  name: string
  key: string
  state: string
  expiresAt: string | null
  revokedAt: string | null
}

async function createKey(owner: Session, workspaceId: string, name = 'Website') {
  const response = await owner.request({
    method: 'POST',
    url: '/api/v1/write-keys',
    workspaceId,
    payload: { name },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data as WriteKey
}

async function listKeys(session: Session, workspaceId: string) {
  const response = await session.request({ method: 'GET', url: '/api/v1/write-keys', workspaceId })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data as WriteKey[]
}

async function lastAudit(owner: Session, workspaceId: string) {
  const response = await owner.request({
    method: 'GET',
    url: '/api/v1/audit-log?limit=1',
    workspaceId,
  })
  return response.json().data[0]
}

describe('write keys', () => {
  it('creates a public key that resolves to its workspace and lists it with its state', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const created = await createKey(owner, workspaceId, 'Marketing site')
    expect(created.key).toMatch(/^wk_[\w-]{32}$/)
    expect(created).toMatchObject({ name: 'Marketing site', state: 'active', expiresAt: null })
    expect(await resolveWriteKey(t.ctx.db, created.key)).toEqual({
      workspaceId,
      keyId: created.id,
    })
    const list = await listKeys(owner, workspaceId)
    expect(list).toEqual([expect.objectContaining({ id: created.id, key: created.key })])
    expect(await lastAudit(owner, workspaceId)).toMatchObject({
      action: 'write_key.create',
      targetId: created.id,
    })
    expect(await resolveWriteKey(t.ctx.db, 'wk_not-a-key-of-anyone-0000000000')).toBeUndefined()
    expect(await resolveWriteKey(t.ctx.db, 'nope')).toBeUndefined()
  })

  it('does not authenticate /api/v1 with a write key', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const created = await createKey(owner, workspaceId)
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${created.key}` },
    })
    expect(me.statusCode).toBe(401)
    expect(me.json().error.code).toBe('unauthenticated')
  })

  it('rotates to a new key of the same name while the old one works for 24 hours', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const old = await createKey(owner, workspaceId, 'Docs site')
    // Cached before the rotation: the cache must learn the expiry.
    expect(await resolveWriteKey(t.ctx.db, old.key)).toBeDefined()
    const before = Date.now()
    const rotated = await owner.request({
      method: 'POST',
      url: `/api/v1/write-keys/${old.id}/rotate`,
      workspaceId,
    })
    expect(rotated.statusCode, rotated.body).toBe(201)
    const fresh = rotated.json().data as WriteKey
    expect(fresh).toMatchObject({ name: 'Docs site', state: 'active' })
    expect(fresh.key).not.toBe(old.key)
    expect(await lastAudit(owner, workspaceId)).toMatchObject({
      action: 'write_key.rotate',
      targetId: old.id,
      details: { replacedBy: fresh.id },
    })

    const listed = await listKeys(owner, workspaceId)
    expect(listed.map((k) => k.id)).toEqual([fresh.id, old.id])
    const expiring = listed[1]
    expect(expiring?.state).toBe('expiring')
    const expiresAt = Date.parse(String(expiring?.expiresAt))
    expect(expiresAt).toBeGreaterThanOrEqual(before + rotationOverlapMs - 1000)
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + rotationOverlapMs)
    expect(await resolveWriteKey(t.ctx.db, old.key)).toEqual({ workspaceId, keyId: old.id })
    expect(await resolveWriteKey(t.ctx.db, fresh.key)).toEqual({ workspaceId, keyId: fresh.id })

    const again = await owner.request({
      method: 'POST',
      url: `/api/v1/write-keys/${old.id}/rotate`,
      workspaceId,
    })
    expect(again.statusCode).toBe(409)

    // A day later the old key stops resolving, although this process has it cached.
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + rotationOverlapMs + 1000)
      expect(await resolveWriteKey(t.ctx.db, old.key)).toBeUndefined()
      expect(await resolveWriteKey(t.ctx.db, fresh.key)).toEqual({ workspaceId, keyId: fresh.id })
      expect((await listKeys(owner, workspaceId)).map((k) => k.state)).toEqual([
        'active',
        'expired',
      ])
    } finally {
      vi.useRealTimers()
    }
  })

  it('revokes a key at once, in this process and in another one', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const created = await createKey(owner, workspaceId)
    const otherCtx = await createContext(getEnv(), t.url, {
      log: pino({ level: 'silent' }),
      poolSize: 2,
    })
    const other = await buildApp(otherCtx)
    try {
      // Both processes have resolved (and cached) the key.
      for (const db of [t.ctx.db, otherCtx.db]) {
        expect(await resolveWriteKey(db, created.key)).toBeDefined()
      }
      const revoke = await owner.request({
        method: 'DELETE',
        url: `/api/v1/write-keys/${created.id}`,
        workspaceId,
      })
      expect(revoke.statusCode).toBe(204)
      expect(await resolveWriteKey(t.ctx.db, created.key)).toBeUndefined()
      let resolved = await resolveWriteKey(otherCtx.db, created.key)
      for (let i = 0; i < 50 && resolved; i++) {
        await new Promise((r) => setTimeout(r, 20))
        resolved = await resolveWriteKey(otherCtx.db, created.key)
      }
      expect(resolved).toBeUndefined()
    } finally {
      await other.close()
      await otherCtx.close()
    }
    expect((await listKeys(owner, workspaceId))[0]).toMatchObject({
      id: created.id,
      state: 'revoked',
      revokedAt: expect.any(String),
    })
    expect(await lastAudit(owner, workspaceId)).toMatchObject({
      action: 'write_key.revoke',
      targetId: created.id,
    })
    const twice = await owner.request({
      method: 'DELETE',
      url: `/api/v1/write-keys/${created.id}`,
      workspaceId,
    })
    expect(twice.statusCode).toBe(404)
    const rotate = await owner.request({
      method: 'POST',
      url: `/api/v1/write-keys/${created.id}/rotate`,
      workspaceId,
    })
    expect(rotate.statusCode).toBe(409)
  })

  it('lets admin and marketing manage keys, and every other role only list them', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const existing = await createKey(owner, workspaceId)
    const expected: [Role, boolean][] = [
      ['marketing', true],
      ['sales', false],
      ['sales_manager', false],
      ['viewer', false],
    ]
    for (const [role, canManage] of expected) {
      const person = await addMember(t, owner, workspaceId, role)
      expect(
        (await listKeys(person, workspaceId)).map((k) => k.id),
        role,
      ).toContain(existing.id)
      const create = await person.request({
        method: 'POST',
        url: '/api/v1/write-keys',
        workspaceId,
        payload: { name: role },
      })
      expect(create.statusCode, role).toBe(canManage ? 201 : 403)
      const target = canManage ? create.json().data.id : existing.id
      const rotate = await person.request({
        method: 'POST',
        url: `/api/v1/write-keys/${target}/rotate`,
        workspaceId,
      })
      expect(rotate.statusCode, role).toBe(canManage ? 201 : 403)
      const revoke = await person.request({
        method: 'DELETE',
        url: `/api/v1/write-keys/${target}`,
        workspaceId,
      })
      expect(revoke.statusCode, role).toBe(canManage ? 204 : 403)
    }
    expect((await listKeys(owner, workspaceId)).find((k) => k.id === existing.id)?.state).toBe(
      'active',
    )
    // An API key acts with its role.
    const viewerKey = await makeApiKey(owner, workspaceId, 'viewer')
    const byKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/write-keys',
      headers: { authorization: `Bearer ${viewerKey.key}` },
      payload: { name: 'x' },
    })
    expect(byKey.statusCode).toBe(403)
  })

  it('answers 400 naming the field for a bad name or id, and stores nothing', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    for (const payload of [{}, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 42 }]) {
      const response = await owner.request({
        method: 'POST',
        url: '/api/v1/write-keys',
        workspaceId,
        payload,
      })
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message).toContain('body.name')
    }
    const malformed = await owner.request({
      method: 'POST',
      url: '/api/v1/write-keys/nope/rotate',
      workspaceId,
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.message).toContain('params.id')
    expect(await listKeys(owner, workspaceId)).toEqual([])
  })

  it("answers 404 for another workspace's key and leaves it working", async () => {
    const mine = await makeWorkspace(t)
    const theirs = await makeWorkspace(t, 'Other')
    const their = await createKey(theirs.owner, theirs.workspaceId)
    for (const [method, url] of [
      ['POST', `/api/v1/write-keys/${their.id}/rotate`],
      ['DELETE', `/api/v1/write-keys/${their.id}`],
    ] as const) {
      const response = await mine.owner.request({ method, url, workspaceId: mine.workspaceId })
      expect(response.statusCode, `${method} ${url}`).toBe(404)
    }
    expect((await listKeys(mine.owner, mine.workspaceId)).map((k) => k.id)).not.toContain(their.id)
    expect(await resolveWriteKey(t.ctx.db, their.key)).toEqual({
      workspaceId: theirs.workspaceId,
      keyId: their.id,
    })
    expect((await listKeys(theirs.owner, theirs.workspaceId))[0]?.state).toBe('active')
  })
})
