import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { insertAccount, insertContact, insertDeal } from './test-fixtures.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let other: { owner: Session; workspaceId: string }
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Activities Co'))
  other = await makeWorkspace(t, 'Elsewhere')
})
afterAll(async () => t.close())

const post = (payload: Record<string, unknown>, as = owner) =>
  as.request({ method: 'POST', url: '/api/v1/activities', workspaceId, payload })
const patch = (id: string, payload: Record<string, unknown>) =>
  owner.request({ method: 'PATCH', url: `/api/v1/activities/${id}`, workspaceId, payload })
const get = (url: string, as = owner, ws = workspaceId) =>
  as.request({ method: 'GET', url, workspaceId: ws })
const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`
const touchesOf = (activityId: string) =>
  t.ctx.db
    .selectFrom('touchpoints')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('activityId', '=', activityId)
    .execute()

describe('activities', () => {
  it('logs a call as a sales touchpoint that shows in the contact and account timelines', async () => {
    const account = await insertAccount(t.ctx.db, workspaceId, { name: 'Timeline Co' })
    const contact = await insertContact(t.ctx.db, workspaceId, { accountId: account.id })
    const before = Date.now()
    const response = await post({ type: 'call', subject: 'Intro call', contactId: contact.id })
    expect(response.statusCode).toBe(201)
    const call = response.json().data
    expect(call).toMatchObject({ type: 'call', ownerId: owner.userId, done: false })
    expect(Date.parse(call.occurredAt)).toBeGreaterThanOrEqual(before - 1000)
    const [touch, ...more] = await touchesOf(call.id)
    expect(more).toEqual([])
    expect(touch).toMatchObject({
      type: 'call',
      channel: 'sales',
      contactId: contact.id,
      accountId: account.id,
    })
    expect(touch?.occurredAt.toISOString()).toBe(call.occurredAt)
    for (const url of [
      `/api/v1/contacts/${contact.id}/timeline`,
      `/api/v1/accounts/${account.id}/timeline`,
    ]) {
      const items = (await get(url)).json().data as { kind: string; id: string }[]
      expect(items.map((i) => [i.kind, i.id]).sort(), url).toEqual(
        [
          ['activity', call.id],
          ['touchpoint', touch?.id],
        ].sort(),
      )
    }
  })

  it('keeps the touchpoint account empty when the contact has no account', async () => {
    const contact = await insertContact(t.ctx.db, workspaceId)
    const email = (
      await post({ type: 'email', subject: 'Follow-up', contactId: contact.id })
    ).json().data
    expect(await touchesOf(email.id)).toMatchObject([
      { type: 'sales_email', channel: 'sales', contactId: contact.id, accountId: null },
    ])
  })

  it('makes no touchpoint of notes and tasks; tasks have no occurredAt and can be done', async () => {
    const account = await insertAccount(t.ctx.db, workspaceId)
    const note = (await post({ type: 'note', subject: 'Likes golf', accountId: account.id })).json()
      .data
    expect(note.occurredAt).not.toBeNull()
    const task = (
      await post({
        type: 'task',
        subject: 'Send proposal',
        accountId: account.id,
        dueAt: '2030-01-01T09:00:00Z',
      })
    ).json().data
    expect(task).toMatchObject({ occurredAt: null, dueAt: '2030-01-01T09:00:00.000Z', done: false })
    expect([...(await touchesOf(note.id)), ...(await touchesOf(task.id))]).toEqual([])
    const done = (await patch(task.id, { done: true })).json().data
    expect(done.done).toBe(true)
    expect(done.doneAt).not.toBeNull()
    const contradiction = await patch(task.id, { done: false, doneAt: '2030-01-01T10:00:00Z' })
    expect(contradiction.json().error.message).toMatch(/^done: /)
    expect((await patch(task.id, { done: false })).json().data).toMatchObject({
      done: false,
      doneAt: null,
    })
  })

  it('moves or removes the sales touchpoint as the activity changes or is deleted', async () => {
    const contact = await insertContact(t.ctx.db, workspaceId)
    const meeting = (
      await post({
        type: 'meeting',
        subject: 'Demo',
        contactId: contact.id,
        occurredAt: '2025-03-10T15:00:00Z',
      })
    ).json().data
    const [first] = await touchesOf(meeting.id)
    await patch(meeting.id, { occurredAt: '2025-05-02T08:30:00Z', subject: 'Demo (moved)' })
    const moved = await touchesOf(meeting.id)
    expect(moved.map((m) => [m.id, m.occurredAt.toISOString(), m.type])).toEqual([
      [first?.id, '2025-05-02T08:30:00.000Z', 'meeting'],
    ])
    await patch(meeting.id, { type: 'note' })
    expect(await touchesOf(meeting.id)).toEqual([])
    await patch(meeting.id, { type: 'call' })
    expect(await touchesOf(meeting.id)).toHaveLength(1)
    const deleted = await owner.request({
      method: 'DELETE',
      url: `/api/v1/activities/${meeting.id}`,
      workspaceId,
    })
    expect(deleted.statusCode).toBe(204)
    expect(await touchesOf(meeting.id)).toEqual([])
    expect((await get(`/api/v1/activities/${meeting.id}`)).statusCode).toBe(404)
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', meeting.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual([
      'activity.create',
      'activity.update',
      'activity.update',
      'activity.update',
      'activity.delete',
    ])
  })

  it('needs a link of this workspace, naming the field, and writes nothing otherwise', async () => {
    const foreignContact = await insertContact(t.ctx.db, other.workspaceId)
    const foreignAccount = await insertAccount(t.ctx.db, other.workspaceId)
    const foreignDeal = await insertDeal(t.ctx.db, other.workspaceId)
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'call', subject: 'Nowhere' }, 'contactId: link the activity'],
      [{ type: 'call', subject: 'Nowhere', contactId: foreignContact.id }, 'contactId: no contact'],
      [{ type: 'call', subject: 'Nowhere', accountId: foreignAccount.id }, 'accountId: no account'],
      [{ type: 'call', subject: 'Nowhere', dealId: foreignDeal.id }, 'dealId: no deal'],
      [{ type: 'call', subject: 'Nowhere', dealId: 'not-an-id' }, 'body.dealId'],
      [{ type: 'chat', subject: 'Nowhere', dealId: foreignDeal.id }, 'body.type'],
      [{ type: 'call', subject: 'Nowhere', dealId: uuidv7(), ownerId: 'x' }, 'dealId'],
    ]
    for (const [payload, message] of cases) {
      const response = await post(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toContain(message)
    }
    const account = await insertAccount(t.ctx.db, workspaceId)
    const badOwner = await post({
      type: 'call',
      subject: 'Nowhere',
      accountId: account.id,
      ownerId: other.owner.userId,
    })
    expect(badOwner.json().error.message).toMatch(/^ownerId: /)
    const written = await t.ctx.db
      .selectFrom('activities')
      .select('id')
      .where('subject', '=', 'Nowhere')
      .execute()
    expect(written).toEqual([])
    const clearAll = (await post({ type: 'call', subject: 'Linked', accountId: account.id })).json()
      .data
    const unlinked = await patch(clearAll.id, { accountId: null })
    expect(unlinked.json().error.message).toMatch(/^contactId: link the activity/)
  })

  it("answers 404 for another workspace's activity, and changes nothing", async () => {
    const theirs = await insertAccount(t.ctx.db, other.workspaceId)
    const created = await other.owner.request({
      method: 'POST',
      url: '/api/v1/activities',
      workspaceId: other.workspaceId,
      payload: { type: 'call', subject: 'Theirs', accountId: theirs.id },
    })
    const id = created.json().data.id
    expect((await get(`/api/v1/activities/${id}`)).statusCode).toBe(404)
    expect((await patch(id, { subject: 'Mine now' })).statusCode).toBe(404)
    const del = await owner.request({
      method: 'DELETE',
      url: `/api/v1/activities/${id}`,
      workspaceId,
    })
    expect(del.statusCode).toBe(404)
    const row = await t.ctx.db
      .selectFrom('activities')
      .select(['subject', 'deletedAt'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ subject: 'Theirs', deletedAt: null })
  })

  it('filters by type, link and done, sorts by dueAt, and pages through every row once', async () => {
    const account = await insertAccount(t.ctx.db, workspaceId)
    const deal = await insertDeal(t.ctx.db, workspaceId, { accountId: account.id })
    for (let i = 0; i < 5; i++) {
      await post({
        type: 'task',
        subject: `Task ${i}`,
        dealId: deal.id,
        dueAt: `2031-0${i + 1}-01T00:00:00Z`,
        done: i === 2,
      })
    }
    await post({ type: 'call', subject: 'Deal call', dealId: deal.id })
    const open = await get(
      `/api/v1/activities?sort=dueAt&${filterParam({
        all: [
          { field: 'dealId', op: 'eq', value: deal.id },
          { field: 'type', op: 'eq', value: 'task' },
          { field: 'done', op: 'eq', value: false },
        ],
      })}`,
    )
    expect(open.json().data.map((a: { subject: string }) => a.subject)).toEqual([
      'Task 0',
      'Task 1',
      'Task 3',
      'Task 4',
    ])
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { data: { subject: string }[]; nextCursor: string | null } = (
        await get(
          `/api/v1/activities?limit=2&${filterParam({
            all: [{ field: 'dealId', op: 'eq', value: deal.id }],
          })}${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json()
      seen.push(...page.data.map((a) => a.subject))
      cursor = page.nextCursor
    } while (cursor)
    // -occurredAt: the call happened; tasks have no occurredAt and come last.
    expect(seen[0]).toBe('Deal call')
    expect([...seen].sort()).toEqual([
      'Deal call',
      'Task 0',
      'Task 1',
      'Task 2',
      'Task 3',
      'Task 4',
    ])
    const q = await get('/api/v1/activities?q=deal%20CALL')
    expect(q.json().data.map((a: { subject: string }) => a.subject)).toEqual(['Deal call'])
    const touch = await t.ctx.db
      .selectFrom('touchpoints')
      .select('accountId')
      .where('workspaceId', '=', workspaceId)
      .where('activityId', '=', q.json().data[0].id)
      .executeTakeFirstOrThrow()
    expect(touch.accountId).toBe(account.id)
  })

  it('lets viewers read but not write, and sales reps log but not delete', async () => {
    const account = await insertAccount(t.ctx.db, workspaceId)
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    const rep = await addMember(t, owner, workspaceId, 'sales')
    expect(
      (await post({ type: 'note', subject: 'x', accountId: account.id }, viewer)).statusCode,
    ).toBe(403)
    const logged = await post({ type: 'call', subject: 'Rep call', accountId: account.id }, rep)
    expect(logged.json().data.owner).toMatchObject({ id: rep.userId })
    const del = await rep.request({
      method: 'DELETE',
      url: `/api/v1/activities/${logged.json().data.id}`,
      workspaceId,
    })
    expect(del.statusCode).toBe(403)
    expect((await get('/api/v1/activities', viewer)).statusCode).toBe(200)
  })
})
