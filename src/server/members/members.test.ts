import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, signUp } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

describe('members and invitations', () => {
  it('invites by email; the invited person accepts and joins with the role', async () => {
    const { owner, workspaceId } = await makeWorkspace(t, 'Globex')
    const invitee = await signUp(t.app)
    const invite = await owner.request({
      method: 'POST',
      url: '/api/v1/invitations',
      workspaceId,
      payload: { email: invitee.email.toUpperCase(), role: 'sales' },
    })
    expect(invite.statusCode).toBe(201)
    const { acceptUrl } = invite.json().data
    expect(acceptUrl).toMatch(/\/invite\/[\w-]+$/)
    const token = acceptUrl.split('/').pop()
    const preview = await t.app.inject({
      method: 'GET',
      url: `/api/v1/invitations/by-token/${token}`,
    })
    expect(preview.json().data).toMatchObject({
      workspaceName: 'Globex',
      role: 'sales',
      status: 'pending',
    })
    const pending = await owner.request({ method: 'GET', url: '/api/v1/invitations', workspaceId })
    expect(pending.json().data.map((i: { email: string }) => i.email)).toEqual([invitee.email])

    const accepted = await invitee.request({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    })
    expect(accepted.statusCode).toBe(200)
    const me = (await invitee.request({ method: 'GET', url: '/api/v1/me' })).json().data
    expect(me).toMatchObject({ role: 'sales', workspace: { name: 'Globex' } })
    const again = await invitee.request({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    })
    expect(again.statusCode).toBe(409)
  })

  it('refuses an invitation accepted by someone with another email', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const invite = await owner.request({
      method: 'POST',
      url: '/api/v1/invitations',
      workspaceId,
      payload: { email: 'intended@example.com', role: 'viewer' },
    })
    const token = invite.json().data.acceptUrl.split('/').pop()
    const stranger = await signUp(t.app)
    const response = await stranger.request({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    })
    expect(response.statusCode).toBe(403)
    expect(
      (await stranger.request({ method: 'GET', url: '/api/v1/me' })).json().data.workspace,
    ).toBeNull()
  })

  it('revokes an invitation so its link stops working', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const invitee = await signUp(t.app)
    const invite = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/invitations',
        workspaceId,
        payload: { email: invitee.email, role: 'viewer' },
      })
    ).json().data
    const revoke = await owner.request({
      method: 'DELETE',
      url: `/api/v1/invitations/${invite.id}`,
      workspaceId,
    })
    expect(revoke.statusCode).toBe(204)
    const token = invite.acceptUrl.split('/').pop()
    const accept = await invitee.request({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    })
    expect(accept.statusCode).toBe(409)
  })

  it('rejects an invalid email and an unknown role, naming the field', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const email = await owner.request({
      method: 'POST',
      url: '/api/v1/invitations',
      workspaceId,
      payload: { email: 'not-an-email', role: 'sales' },
    })
    expect(email.statusCode).toBe(400)
    expect(email.json().error.message).toContain('body.email')
    const role = await owner.request({
      method: 'POST',
      url: '/api/v1/invitations',
      workspaceId,
      payload: { email: 'a@b.co', role: 'owner' },
    })
    expect(role.json().error.message).toContain('body.role')
  })

  it('changes roles and removes members, but never the last admin', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const rep = await addMember(t, owner, workspaceId, 'sales')
    const promote = await owner.request({
      method: 'PATCH',
      url: `/api/v1/members/${rep.userId}`,
      workspaceId,
      payload: { role: 'sales_manager' },
    })
    expect(promote.json().data).toMatchObject({ userId: rep.userId, role: 'sales_manager' })
    const demoteSelf = await owner.request({
      method: 'PATCH',
      url: `/api/v1/members/${owner.userId}`,
      workspaceId,
      payload: { role: 'viewer' },
    })
    expect(demoteSelf.statusCode).toBe(409)
    const removeSelf = await owner.request({
      method: 'DELETE',
      url: `/api/v1/members/${owner.userId}`,
      workspaceId,
    })
    expect(removeSelf.statusCode).toBe(409)
    const remove = await owner.request({
      method: 'DELETE',
      url: `/api/v1/members/${rep.userId}`,
      workspaceId,
    })
    expect(remove.statusCode).toBe(204)
    const members = (
      await owner.request({ method: 'GET', url: '/api/v1/members', workspaceId })
    ).json().data
    expect(members.map((m: { userId: string }) => m.userId)).toEqual([owner.userId])
    expect(
      (await rep.request({ method: 'GET', url: '/api/v1/me' })).json().data.workspace,
    ).toBeNull()
  })

  it('lets non-admins list members but not manage them', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const manager = await addMember(t, owner, workspaceId, 'sales_manager')
    const list = await manager.request({ method: 'GET', url: '/api/v1/members', workspaceId })
    expect(list.json().data).toHaveLength(2)
    const change = await manager.request({
      method: 'PATCH',
      url: `/api/v1/members/${owner.userId}`,
      workspaceId,
      payload: { role: 'viewer' },
    })
    expect(change.statusCode).toBe(403)
    const invite = await manager.request({
      method: 'POST',
      url: '/api/v1/invitations',
      workspaceId,
      payload: { email: 'x@y.co', role: 'admin' },
    })
    expect(invite.statusCode).toBe(403)
  })

  it('pages through members by email', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    for (let i = 0; i < 3; i++) await addMember(t, owner, workspaceId, 'viewer')
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = (
        await owner.request({ method: 'GET', url: `/api/v1/members?limit=3${query}`, workspaceId })
      ).json()
      seen.push(...page.data.map((m: { email: string }) => m.email))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(4)
    expect([...seen].sort()).toEqual(seen)
  })
})
