import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeApiKey, makeWorkspace, type Session } from './factories.ts'
import { createTestApp, type TestApp } from './harness.ts'

/**
 * A person of workspace A can neither read nor change workspace B's records through any route.
 * Every /api/v1 operation in OpenAPI must have a case here, so a new route cannot skip this test.
 */
let t: TestApp
let a: { owner: Session; workspaceId: string }
let b: { owner: Session; workspaceId: string }
let bMember: Session
let bKey: { id: string; key: string }
let bInvitation: { id: string; acceptUrl: string }
let bAccount: { id: string }

beforeAll(async () => {
  t = await createTestApp()
  a = await makeWorkspace(t, 'Workspace A')
  b = await makeWorkspace(t, 'Workspace B')
  bMember = await addMember(t, b.owner, b.workspaceId, 'sales')
  bKey = await makeApiKey(b.owner, b.workspaceId, 'admin')
  const invite = await b.owner.request({
    method: 'POST',
    url: '/api/v1/invitations',
    workspaceId: b.workspaceId,
    payload: { email: 'b-invitee@example.com', role: 'viewer' },
  })
  bInvitation = invite.json().data
  const account = await b.owner.request({
    method: 'POST',
    url: '/api/v1/accounts',
    workspaceId: b.workspaceId,
    payload: { name: 'B Account', domain: 'b-account.example' },
  })
  bAccount = account.json().data
})

async function bAccountName() {
  const row = await t.ctx.db
    .selectFrom('accounts')
    .select(['name', 'deletedAt'])
    .where('id', '=', bAccount.id)
    .executeTakeFirstOrThrow()
  return row.deletedAt ? 'deleted' : row.name
}
afterAll(async () => t.close())

const inB = () => ({ workspaceId: b.workspaceId })
const notFound = (response: { statusCode: number }) => expect(response.statusCode).toBe(404)

const cases: Record<string, () => Promise<void>> = {
  'GET /api/v1/me': async () => {
    notFound(await a.owner.request({ method: 'GET', url: '/api/v1/me', ...inB() }))
  },
  'POST /api/v1/workspaces': async () => {
    // Creating a workspace touches no other workspace; it must not make A a member of B.
    await a.owner.request({ method: 'POST', url: '/api/v1/workspaces', payload: { name: 'A2' } })
    const me = (await a.owner.request({ method: 'GET', url: '/api/v1/me' })).json().data
    expect(me.workspaces.map((w: { id: string }) => w.id)).not.toContain(b.workspaceId)
  },
  'GET /api/v1/workspace': async () => {
    notFound(await a.owner.request({ method: 'GET', url: '/api/v1/workspace', ...inB() }))
  },
  'PATCH /api/v1/workspace': async () => {
    notFound(
      await a.owner.request({
        method: 'PATCH',
        url: '/api/v1/workspace',
        ...inB(),
        payload: { name: 'Taken' },
      }),
    )
    const bNow = (
      await b.owner.request({ method: 'GET', url: '/api/v1/workspace', ...inB() })
    ).json().data
    expect(bNow.name).toBe('Workspace B')
  },
  'GET /api/v1/members': async () => {
    notFound(await a.owner.request({ method: 'GET', url: '/api/v1/members', ...inB() }))
    const own = (await a.owner.request({ method: 'GET', url: '/api/v1/members' })).json().data
    expect(own.map((m: { userId: string }) => m.userId)).not.toContain(bMember.userId)
  },
  'PATCH /api/v1/members/{userId}': async () => {
    notFound(
      await a.owner.request({
        method: 'PATCH',
        url: `/api/v1/members/${bMember.userId}`,
        payload: { role: 'admin' },
      }),
    )
    notFound(
      await a.owner.request({
        method: 'PATCH',
        url: `/api/v1/members/${bMember.userId}`,
        ...inB(),
        payload: { role: 'admin' },
      }),
    )
    const role = (await bMember.request({ method: 'GET', url: '/api/v1/me' })).json().data.role
    expect(role).toBe('sales')
  },
  'DELETE /api/v1/members/{userId}': async () => {
    notFound(await a.owner.request({ method: 'DELETE', url: `/api/v1/members/${bMember.userId}` }))
    expect(
      (await bMember.request({ method: 'GET', url: '/api/v1/me' })).json().data.workspace.id,
    ).toBe(b.workspaceId)
  },
  'GET /api/v1/invitations': async () => {
    notFound(await a.owner.request({ method: 'GET', url: '/api/v1/invitations', ...inB() }))
    const own = (await a.owner.request({ method: 'GET', url: '/api/v1/invitations' })).json().data
    expect(own).toEqual([])
  },
  'POST /api/v1/invitations': async () => {
    notFound(
      await a.owner.request({
        method: 'POST',
        url: '/api/v1/invitations',
        ...inB(),
        payload: { email: 'spy@example.com', role: 'admin' },
      }),
    )
  },
  'DELETE /api/v1/invitations/{id}': async () => {
    notFound(
      await a.owner.request({ method: 'DELETE', url: `/api/v1/invitations/${bInvitation.id}` }),
    )
    const pending = (
      await b.owner.request({ method: 'GET', url: '/api/v1/invitations', ...inB() })
    ).json().data
    expect(pending.map((i: { id: string }) => i.id)).toContain(bInvitation.id)
  },
  'GET /api/v1/invitations/by-token/{token}': async () => {
    // Public by design: the token itself is the secret; a guessed token finds nothing.
    notFound(
      await t.app.inject({ method: 'GET', url: '/api/v1/invitations/by-token/guessed-token' }),
    )
  },
  'POST /api/v1/invitations/accept': async () => {
    const token = bInvitation.acceptUrl.split('/').pop()
    const response = await a.owner.request({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    })
    expect(response.statusCode).toBe(403)
  },
  'GET /api/v1/api-keys': async () => {
    notFound(await a.owner.request({ method: 'GET', url: '/api/v1/api-keys', ...inB() }))
    const own = (await a.owner.request({ method: 'GET', url: '/api/v1/api-keys' })).json().data
    expect(own.map((k: { id: string }) => k.id)).not.toContain(bKey.id)
  },
  'POST /api/v1/api-keys': async () => {
    notFound(
      await a.owner.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        ...inB(),
        payload: { name: 'x', role: 'admin' },
      }),
    )
  },
  'DELETE /api/v1/api-keys/{id}': async () => {
    notFound(await a.owner.request({ method: 'DELETE', url: `/api/v1/api-keys/${bKey.id}` }))
    const still = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${bKey.key}` },
    })
    expect(still.statusCode).toBe(200)
  },
  'GET /api/v1/audit-log': async () => {
    notFound(await a.owner.request({ method: 'GET', url: '/api/v1/audit-log', ...inB() }))
    const own = (
      await a.owner.request({ method: 'GET', url: '/api/v1/audit-log?limit=200' })
    ).json().data
    expect(own.map((e: { targetId: string }) => e.targetId)).not.toContain(b.workspaceId)
    expect(own.map((e: { targetId: string }) => e.targetId)).not.toContain(bKey.id)
  },
  'GET /api/v1/accounts': async () => {
    notFound(await a.owner.request({ method: 'GET', url: '/api/v1/accounts', ...inB() }))
    const own = (
      await a.owner.request({ method: 'GET', url: '/api/v1/accounts?q=b%20account' })
    ).json().data
    expect(own).toEqual([])
  },
  'POST /api/v1/accounts': async () => {
    notFound(
      await a.owner.request({
        method: 'POST',
        url: '/api/v1/accounts',
        ...inB(),
        payload: { name: 'Planted' },
      }),
    )
    // The same domain is free in A: uniqueness is per workspace and reveals nothing of B.
    const own = await a.owner.request({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { name: 'A copy', domain: 'b-account.example' },
    })
    expect(own.statusCode).toBe(201)
  },
  'PATCH /api/v1/accounts/bulk': async () => {
    notFound(
      await a.owner.request({
        method: 'PATCH',
        url: '/api/v1/accounts/bulk',
        payload: { ids: [bAccount.id], patch: { name: 'Taken' } },
      }),
    )
    expect(await bAccountName()).toBe('B Account')
  },
  'GET /api/v1/accounts/{id}': async () => {
    notFound(await a.owner.request({ method: 'GET', url: `/api/v1/accounts/${bAccount.id}` }))
  },
  'PATCH /api/v1/accounts/{id}': async () => {
    notFound(
      await a.owner.request({
        method: 'PATCH',
        url: `/api/v1/accounts/${bAccount.id}`,
        payload: { name: 'Taken' },
      }),
    )
    expect(await bAccountName()).toBe('B Account')
  },
  'DELETE /api/v1/accounts/{id}': async () => {
    notFound(await a.owner.request({ method: 'DELETE', url: `/api/v1/accounts/${bAccount.id}` }))
    expect(await bAccountName()).toBe('B Account')
  },
}

describe('tenancy', () => {
  it('has a case for every /api/v1 operation in OpenAPI', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    const operations = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    expect(operations.sort()).toEqual(Object.keys(cases).sort())
  })

  for (const [operation, run] of Object.entries(cases)) {
    it(`keeps workspace B out of reach of A through ${operation}`, run)
  }

  it('binds an API key to its workspace whatever X-Workspace-Id says', async () => {
    const aKey = await makeApiKey(a.owner, a.workspaceId, 'admin')
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workspace',
      headers: { authorization: `Bearer ${aKey.key}`, 'x-workspace-id': b.workspaceId },
    })
    expect(response.json().data.id).toBe(a.workspaceId)
  })
})
