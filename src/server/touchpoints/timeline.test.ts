import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { insertAccount, insertContact, insertDeal } from '../activities/test-fixtures.ts'
import { recordTouchpoint } from './service.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let other: { owner: Session; workspaceId: string }
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Timeline Co'))
  other = await makeWorkspace(t, 'Elsewhere')
})
afterAll(async () => t.close())

type Item = { kind: string; id: string; at: string; type: string }
const timeline = async (url: string, as = owner, ws = workspaceId) =>
  as.request({ method: 'GET', url, workspaceId: ws })
const logActivity = async (payload: Record<string, unknown>) =>
  (await owner.request({ method: 'POST', url: '/api/v1/activities', workspaceId, payload })).json()
    .data as { id: string }
const touch = (contactId: string, at: string, accountId: string | null = null) =>
  recordTouchpoint(t.ctx.db, {
    workspaceId,
    occurredAt: new Date(at),
    type: 'page_view',
    channel: 'organic_search',
    contactId,
    accountId,
  })

async function walk(url: string) {
  const items: Item[] = []
  let cursor: string | null = null
  do {
    const page: { data: Item[]; nextCursor: string | null } = (
      await timeline(`${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()
    items.push(...page.data)
    cursor = page.nextCursor
  } while (cursor)
  return items
}

describe('timelines', () => {
  it("merges all the account's contacts' touches and activities, newest first, page by page", async () => {
    const account = await insertAccount(t.ctx.db, workspaceId)
    const elsewhere = await insertAccount(t.ctx.db, workspaceId)
    const ann = await insertContact(t.ctx.db, workspaceId, { accountId: account.id })
    const bob = await insertContact(t.ctx.db, workspaceId, { accountId: account.id })
    const stranger = await insertContact(t.ctx.db, workspaceId, { accountId: elsewhere.id })
    const annVisit = await touch(ann.id, '2025-01-05T10:00:00Z')
    const bobVisit = await touch(bob.id, '2025-02-05T10:00:00Z')
    await touch(stranger.id, '2025-02-06T10:00:00Z')
    const note = await logActivity({
      type: 'note',
      subject: 'Account note',
      accountId: account.id,
      occurredAt: '2025-03-01T00:00:00Z',
    })
    const call = await logActivity({
      type: 'call',
      subject: 'Bob call',
      contactId: bob.id,
      occurredAt: '2025-04-01T00:00:00Z',
    })
    await logActivity({ type: 'call', subject: 'Stranger call', contactId: stranger.id })
    const callTouch = await t.ctx.db
      .selectFrom('touchpoints')
      .select('id')
      .where('activityId', '=', call.id)
      .executeTakeFirstOrThrow()
    const items = await walk(`/api/v1/accounts/${account.id}/timeline`)
    // Same time: ties go by id, newest first; the touchpoint was made after its activity.
    expect(items.map((i) => [i.kind, i.id, i.at])).toEqual([
      ['touchpoint', callTouch.id, '2025-04-01T00:00:00.000Z'],
      ['activity', call.id, '2025-04-01T00:00:00.000Z'],
      ['activity', note.id, '2025-03-01T00:00:00.000Z'],
      ['touchpoint', bobVisit.id, '2025-02-05T10:00:00.000Z'],
      ['touchpoint', annVisit.id, '2025-01-05T10:00:00.000Z'],
    ])
    const annOnly = await walk(`/api/v1/contacts/${ann.id}/timeline`)
    expect(annOnly.map((i) => i.id)).toEqual([annVisit.id])
  })

  it("shows a deal's activities and its contacts' touches when it has no account", async () => {
    const buyer = await insertContact(t.ctx.db, workspaceId)
    const bystander = await insertContact(t.ctx.db, workspaceId)
    const deal = await insertDeal(t.ctx.db, workspaceId, { contactIds: [buyer.id] })
    const visit = await touch(buyer.id, '2025-06-01T00:00:00Z')
    await touch(bystander.id, '2025-06-02T00:00:00Z')
    const task = await logActivity({
      type: 'task',
      subject: 'Send quote',
      dealId: deal.id,
      dueAt: '2025-06-10T00:00:00Z',
    })
    const items = await walk(`/api/v1/deals/${deal.id}/timeline`)
    expect(items.map((i) => [i.kind, i.id, i.at])).toEqual([
      ['activity', task.id, '2025-06-10T00:00:00.000Z'],
      ['touchpoint', visit.id, '2025-06-01T00:00:00.000Z'],
    ])
  })

  it('answers 404 for a record of another workspace, a deleted one or an unknown id', async () => {
    const theirAccount = await insertAccount(t.ctx.db, other.workspaceId)
    const theirContact = await insertContact(t.ctx.db, other.workspaceId, {
      accountId: theirAccount.id,
    })
    const theirDeal = await insertDeal(t.ctx.db, other.workspaceId, { accountId: theirAccount.id })
    const gone = await insertContact(t.ctx.db, workspaceId)
    await t.ctx.db
      .updateTable('contacts')
      .set({ deletedAt: new Date() })
      .where('id', '=', gone.id)
      .execute()
    for (const url of [
      `/api/v1/contacts/${theirContact.id}/timeline`,
      `/api/v1/accounts/${theirAccount.id}/timeline`,
      `/api/v1/deals/${theirDeal.id}/timeline`,
      `/api/v1/contacts/${gone.id}/timeline`,
      `/api/v1/deals/${uuidv7()}/timeline`,
    ]) {
      const response = await timeline(url)
      expect(response.statusCode, url).toBe(404)
    }
    const theirs = await timeline(
      `/api/v1/accounts/${theirAccount.id}/timeline`,
      other.owner,
      other.workspaceId,
    )
    expect(theirs.statusCode).toBe(200)
  })
})
