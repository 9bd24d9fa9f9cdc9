import { expect } from 'vitest'
import { a, b, bInvitation, bKey, bMember, inB, notFound, t } from './world.ts'

/** Workspaces, members, invitations, API keys and the audit log. */
export const foundationCases: Record<string, () => Promise<void>> = {
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
}
