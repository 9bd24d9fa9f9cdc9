import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeApiKey, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { notify, workspaceAdminIds } from './service.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let rep: Session
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Bell Co'))
  rep = await addMember(t, owner, workspaceId, 'sales')
})
afterAll(async () => t.close())

const get = (url: string, as: Session) => as.request({ method: 'GET', url, workspaceId })
const post = (url: string, as: Session) => as.request({ method: 'POST', url, workspaceId })
const unreadOf = async (as: Session) =>
  (await get('/api/v1/notifications/unread-count', as)).json().data.count as number
const titlesOf = async (url: string, as: Session) =>
  (await get(url, as)).json().data.map((n: { title: string }) => n.title) as string[]

async function send(userIds: string[], title: string, link: string | null = null) {
  await t.ctx.db
    .transaction()
    .execute((trx) => notify(trx, { workspaceId, userIds, kind: 'handoff_assigned', title, link }))
}

describe('notifications', () => {
  it('notifies each person named once and lists them newest first with their link', async () => {
    await send([rep.userId, rep.userId], 'First handoff', '/microscope/inbox/1')
    await send([rep.userId], 'Second handoff')
    const list = (await get('/api/v1/notifications', rep)).json()
    expect(list.data.map((n: { title: string }) => n.title)).toEqual([
      'Second handoff',
      'First handoff',
    ])
    expect(list.data[1]).toMatchObject({
      kind: 'handoff_assigned',
      link: '/microscope/inbox/1',
      readAt: null,
    })
    expect(await unreadOf(rep)).toBe(2)
  })

  it("never shows or marks another person's notifications", async () => {
    await send([owner.userId], 'For the admin only')
    expect(await titlesOf('/api/v1/notifications', rep)).not.toContain('For the admin only')
    const adminsOwn = (await get('/api/v1/notifications', owner)).json().data[0]
    expect(adminsOwn.title).toBe('For the admin only')
    const attempt = await post(`/api/v1/notifications/${adminsOwn.id}/read`, rep)
    expect(attempt.statusCode).toBe(404)
    await post('/api/v1/notifications/read-all', rep)
    expect(await unreadOf(owner)).toBe(1)
    const { owner: stranger, workspaceId: elsewhere } = await makeWorkspace(t, 'Elsewhere')
    const fromElsewhere = await stranger.request({
      method: 'POST',
      url: `/api/v1/notifications/${adminsOwn.id}/read`,
      workspaceId: elsewhere,
    })
    expect(fromElsewhere.statusCode).toBe(404)
    expect(await unreadOf(owner)).toBe(1)
  })

  it('lowers the unread count when one is read and when all are read', async () => {
    await send([rep.userId], 'Breach A')
    await send([rep.userId], 'Breach B')
    const before = await unreadOf(rep)
    expect(before).toBeGreaterThanOrEqual(2)
    const [latest] = (await get('/api/v1/notifications?unread=true', rep)).json().data
    const read = await post(`/api/v1/notifications/${latest.id}/read`, rep)
    expect(read.statusCode).toBe(200)
    expect(read.json().data.readAt).not.toBeNull()
    expect(await unreadOf(rep)).toBe(before - 1)
    // Reading again keeps the first read time and does not count twice.
    const again = await post(`/api/v1/notifications/${latest.id}/read`, rep)
    expect(again.json().data.readAt).toBe(read.json().data.readAt)
    expect(await unreadOf(rep)).toBe(before - 1)
    expect(await titlesOf('/api/v1/notifications?unread=true', rep)).not.toContain('Breach B')
    expect(await titlesOf('/api/v1/notifications?unread=false', rep)).toContain('Breach B')
    const all = await post('/api/v1/notifications/read-all', rep)
    expect(all.json().data.count).toBe(before - 1)
    expect(await unreadOf(rep)).toBe(0)
    expect((await get('/api/v1/notifications?unread=true', rep)).json().data).toEqual([])
  })

  it('pages through many notifications without losing or repeating one', async () => {
    const person = await addMember(t, owner, workspaceId, 'marketing')
    // One transaction: every row shares created_at, so the order falls to the id.
    await t.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 7; i++) {
        await notify(trx, { workspaceId, userIds: [person.userId], kind: 'k', title: `N${i}` })
      }
    })
    const seen: string[] = []
    let url = '/api/v1/notifications?limit=3'
    for (let page = 0; page < 5; page++) {
      const body = (await get(url, person)).json()
      seen.push(...body.data.map((n: { title: string }) => n.title))
      if (!body.nextCursor) break
      url = `/api/v1/notifications?limit=3&cursor=${encodeURIComponent(body.nextCursor)}`
    }
    expect(seen).toEqual(['N6', 'N5', 'N4', 'N3', 'N2', 'N1', 'N0'])
  })

  it('skips people who are not members and does nothing for an empty list', async () => {
    const { owner: outsider } = await makeWorkspace(t, 'Outside')
    await send([], 'Nobody')
    await send([outsider.userId], 'Not a member')
    const rows = await t.ctx.db
      .selectFrom('notifications')
      .select('title')
      .where('title', 'in', ['Nobody', 'Not a member'])
      .execute()
    expect(rows).toEqual([])
  })

  it('finds the workspace admins to tell about what has no owner', async () => {
    expect(await workspaceAdminIds(t.ctx.db, workspaceId)).toEqual([owner.userId])
  })

  it('answers an API key clearly: notifications belong to people', async () => {
    const key = await makeApiKey(owner, workspaceId, 'admin')
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/unread-count',
      headers: { authorization: `Bearer ${key.key}` },
    })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.message).toMatch(/belong to people/)
  })

  it('names a bad unread flag and a malformed id', async () => {
    const bad = await get('/api/v1/notifications?unread=yes', rep)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/^querystring\.unread: /)
    const badId = await post('/api/v1/notifications/not-a-uuid/read', rep)
    expect(badId.statusCode).toBe(400)
    expect(badId.json().error.message).toMatch(/^params\.id: /)
  })
})
