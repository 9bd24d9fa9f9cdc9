import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let manager: Session
let rep: Session
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Teams Co'))
  manager = await addMember(t, owner, workspaceId, 'sales_manager')
  rep = await addMember(t, owner, workspaceId, 'sales')
})
afterAll(async () => t.close())

const send = (method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: unknown) =>
  owner.request({ method, url, workspaceId, ...(payload ? { payload } : {}) })

describe('teams', () => {
  it('creates a team with its manager and members, named', async () => {
    const response = await send('POST', '/api/v1/teams', {
      name: 'Enterprise',
      managerId: manager.userId,
      memberIds: [rep.userId, rep.userId],
    })
    expect(response.statusCode).toBe(201)
    expect(response.json().data).toMatchObject({
      name: 'Enterprise',
      manager: { id: manager.userId, name: manager.email.split('@')[0] },
      members: [{ id: rep.userId, name: rep.email.split('@')[0] }],
    })
  })

  it('refuses a second team of the same name and people outside the workspace', async () => {
    const duplicate = await send('POST', '/api/v1/teams', { name: 'enterprise' })
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.json().error).toMatchObject({ code: 'conflict', details: { field: 'name' } })
    const stranger = await makeWorkspace(t, 'Stranger Co')
    const badManager = await send('POST', '/api/v1/teams', {
      name: 'Mid-Market',
      managerId: stranger.owner.userId,
    })
    expect(badManager.statusCode).toBe(400)
    expect(badManager.json().error.message).toMatch(/^managerId: /)
    const badMember = await send('POST', '/api/v1/teams', {
      name: 'Mid-Market',
      memberIds: [rep.userId, stranger.owner.userId],
    })
    expect(badMember.statusCode).toBe(400)
    expect(badMember.json().error.message).toMatch(/^memberIds: /)
    const empty = await send('POST', '/api/v1/teams', { name: ' ' })
    expect(empty.json().error.message).toMatch(/^body\.name: /)
    const none = await t.ctx.db
      .selectFrom('teams')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'Mid-Market')
      .execute()
    expect(none).toEqual([])
  })

  it('renames, changes the manager and replaces the members, audited', async () => {
    const team = (
      await send('POST', '/api/v1/teams', { name: 'SMB', memberIds: [rep.userId] })
    ).json().data
    const response = await send('PATCH', `/api/v1/teams/${team.id}`, {
      name: 'SMB Europe',
      managerId: manager.userId,
      memberIds: [manager.userId, owner.userId],
    })
    expect(response.statusCode).toBe(200)
    const data = response.json().data
    expect(data).toMatchObject({ name: 'SMB Europe', managerId: manager.userId })
    expect(data.members.map((m: { id: string }) => m.id).sort()).toEqual(
      [manager.userId, owner.userId].sort(),
    )
    const cleared = await send('PATCH', `/api/v1/teams/${team.id}`, { managerId: null })
    expect(cleared.json().data).toMatchObject({ manager: null, name: 'SMB Europe' })
    const taken = await send('PATCH', `/api/v1/teams/${team.id}`, { name: 'Enterprise' })
    expect(taken.statusCode).toBe(409)
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('workspaceId', '=', workspaceId)
      .where('targetId', '=', team.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['team.create', 'team.update', 'team.update'])
    expect(audit[1]?.details).toMatchObject({ name: { from: 'SMB', to: 'SMB Europe' } })
  })

  it('lists teams by name and pages through them', async () => {
    const first = await owner.request({ method: 'GET', url: '/api/v1/teams?limit=1', workspaceId })
    const page = first.json()
    expect(page.data.map((team: { name: string }) => team.name)).toEqual(['Enterprise'])
    expect(page.data[0].members).toHaveLength(1)
    const second = await owner.request({
      method: 'GET',
      url: `/api/v1/teams?limit=1&cursor=${page.nextCursor}`,
      workspaceId,
    })
    expect(second.json()).toMatchObject({ data: [{ name: 'SMB Europe' }], nextCursor: null })
  })

  it('lets only catalog managers write, and deletes a team for good', async () => {
    const team = (await send('POST', '/api/v1/teams', { name: 'Doomed' })).json().data
    const denied = await manager.request({
      method: 'DELETE',
      url: `/api/v1/teams/${team.id}`,
      workspaceId,
    })
    expect(denied.statusCode).toBe(403)
    const readable = await rep.request({ method: 'GET', url: '/api/v1/teams', workspaceId })
    expect(readable.statusCode).toBe(200)
    expect((await send('DELETE', `/api/v1/teams/${team.id}`)).statusCode).toBe(204)
    expect((await send('GET', `/api/v1/teams/${team.id}`)).statusCode).toBe(404)
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', team.id)
      .where('action', '=', 'team.delete')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('hides teams of another workspace', async () => {
    const other = await makeWorkspace(t, 'Other Teams Co')
    const theirs = (
      await other.owner.request({
        method: 'POST',
        url: '/api/v1/teams',
        workspaceId: other.workspaceId,
        payload: { name: 'Theirs' },
      })
    ).json().data
    for (const method of ['GET', 'DELETE'] as const)
      expect((await send(method, `/api/v1/teams/${theirs.id}`)).statusCode).toBe(404)
    expect((await send('PATCH', `/api/v1/teams/${theirs.id}`, { name: 'Mine' })).statusCode).toBe(
      404,
    )
    expect((await send('GET', `/api/v1/teams/${uuidv7()}`)).statusCode).toBe(404)
  })
})
