import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { insertAccount, insertContact } from '../activities/test-fixtures.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let other: { owner: Session; workspaceId: string }
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Trash Co'))
  other = await makeWorkspace(t, 'Elsewhere')
})
afterAll(async () => t.close())

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000)
const trashAt = (
  table: 'accounts' | 'contacts' | 'products' | 'campaigns' | 'activities',
  id: string,
  at: Date,
) => sql`update ${sql.table(table)} set deleted_at = ${at} where id = ${id}`.execute(t.ctx.db)
const restore = (entity: string, id: string, as = owner) =>
  as.request({ method: 'POST', url: `/api/v1/trash/${entity}/${id}/restore`, workspaceId })
const trash = async (entity: string) =>
  (
    await owner.request({ method: 'GET', url: `/api/v1/trash?entity=${entity}`, workspaceId })
  ).json()
const insertProduct = async (ws: string, name: string) => {
  const id = uuidv7()
  await t.ctx.db
    .insertInto('products')
    .values({ workspaceId: ws, id, name, currency: 'USD' })
    .execute()
  return { id }
}

describe('trash', () => {
  it('lists what was deleted in the last 30 days, newest deletion first, with its purge day', async () => {
    const recent = await insertAccount(t.ctx.db, workspaceId, { name: 'Recent' })
    const older = await insertAccount(t.ctx.db, workspaceId, { name: 'Older' })
    const expired = await insertAccount(t.ctx.db, workspaceId, { name: 'Expired' })
    await insertAccount(t.ctx.db, workspaceId, { name: 'Alive' })
    const theirs = await insertAccount(t.ctx.db, other.workspaceId, { name: 'Theirs' })
    await trashAt('accounts', recent.id, daysAgo(1))
    await trashAt('accounts', older.id, daysAgo(10))
    await trashAt('accounts', expired.id, daysAgo(31))
    await trashAt('accounts', theirs.id, daysAgo(1))
    const contact = await insertContact(t.ctx.db, workspaceId, { firstName: 'Dana' })
    await trashAt('contacts', contact.id, daysAgo(2))
    const listed = await trash('account')
    expect(listed.data.map((i: { name: string }) => i.name)).toEqual(['Recent', 'Older'])
    const [first] = listed.data
    const deletedAt = new Date(first.deletedAt)
    expect(first).toMatchObject({ entity: 'account', id: recent.id })
    expect(first.purgeOn).toBe(
      new Date(deletedAt.getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
    )
    const contacts = await trash('contact')
    expect(contacts.data[0].name).toMatch(/^Dana Contact/)
    const page = (
      await owner.request({
        method: 'GET',
        url: '/api/v1/trash?entity=account&limit=1',
        workspaceId,
      })
    ).json()
    const next = (
      await owner.request({
        method: 'GET',
        url: `/api/v1/trash?entity=account&limit=1&cursor=${page.nextCursor}`,
        workspaceId,
      })
    ).json()
    expect([...page.data, ...next.data].map((i: { name: string }) => i.name)).toEqual([
      'Recent',
      'Older',
    ])
    expect(next.nextCursor).toBeNull()
  })

  it('restores a record into lists again and audits it', async () => {
    const account = await insertAccount(t.ctx.db, workspaceId, { name: 'Back Again' })
    await owner.request({ method: 'DELETE', url: `/api/v1/accounts/${account.id}`, workspaceId })
    const restored = await restore('account', account.id)
    expect(restored.statusCode).toBe(200)
    expect(restored.json().data).toEqual({ entity: 'account', id: account.id, name: 'Back Again' })
    const got = await owner.request({
      method: 'GET',
      url: `/api/v1/accounts/${account.id}`,
      workspaceId,
    })
    expect(got.json().data).toMatchObject({ name: 'Back Again', deletedAt: null })
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', account.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['account.delete', 'account.restore'])
  })

  it('refuses to restore a record whose unique key was taken meanwhile, naming the field', async () => {
    const oldAccount = await insertAccount(t.ctx.db, workspaceId, { domain: 'taken.example' })
    await trashAt('accounts', oldAccount.id, daysAgo(3))
    await insertAccount(t.ctx.db, workspaceId, { name: 'Newcomer', domain: 'taken.example' })
    const oldContact = await insertContact(t.ctx.db, workspaceId, { email: 'sam@taken.example' })
    await trashAt('contacts', oldContact.id, daysAgo(3))
    await insertContact(t.ctx.db, workspaceId, { email: 'sam@taken.example' })
    const oldProduct = await insertProduct(workspaceId, 'Fleet Tracker')
    await trashAt('products', oldProduct.id, daysAgo(3))
    await insertProduct(workspaceId, 'fleet tracker')
    const campaign = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        workspaceId,
        payload: { name: 'Old', channel: 'email', type: 'newsletter', utmCampaigns: ['news_q1'] },
      })
    ).json().data
    await owner.request({ method: 'DELETE', url: `/api/v1/campaigns/${campaign.id}`, workspaceId })
    await owner.request({
      method: 'POST',
      url: '/api/v1/campaigns',
      workspaceId,
      payload: { name: 'New', channel: 'email', type: 'newsletter', utmCampaigns: ['NEWS_Q1'] },
    })
    const cases: [string, string, string, string][] = [
      [
        'account',
        oldAccount.id,
        'domain',
        'domain: taken.example now belongs to the account "Newcomer"',
      ],
      ['contact', oldContact.id, 'email', 'email: sam@taken.example now belongs to the contact'],
      [
        'product',
        oldProduct.id,
        'name',
        'name: Fleet Tracker now belongs to the product "fleet tracker"',
      ],
      ['campaign', campaign.id, 'utmCampaigns', 'utmCampaigns: "news_q1" already belongs to'],
    ]
    for (const [entity, id, field, message] of cases) {
      const response = await restore(entity, id)
      expect(response.statusCode, entity).toBe(409)
      expect(response.json().error.details.field, entity).toBe(field)
      expect(response.json().error.message, entity).toContain(message)
      expect(
        (await trash(entity)).data.map((i: { id: string }) => i.id),
        entity,
      ).toContain(id)
    }
  })

  it('answers 404 past 30 days, for live records and for another workspace', async () => {
    const expired = await insertAccount(t.ctx.db, workspaceId)
    await trashAt('accounts', expired.id, daysAgo(30.01))
    const live = await insertAccount(t.ctx.db, workspaceId)
    const theirs = await insertAccount(t.ctx.db, other.workspaceId)
    await trashAt('accounts', theirs.id, daysAgo(1))
    for (const id of [expired.id, live.id, theirs.id, uuidv7()]) {
      expect((await restore('account', id)).statusCode, id).toBe(404)
    }
    const still = await t.ctx.db
      .selectFrom('accounts')
      .select('deletedAt')
      .where('id', '=', theirs.id)
      .executeTakeFirstOrThrow()
    expect(still.deletedAt).not.toBeNull()
    expect((await restore('lead', live.id)).json().error.message).toMatch(/^params\.entity/)
  })

  it('gives a restored call its sales touchpoint back', async () => {
    const contact = await insertContact(t.ctx.db, workspaceId)
    const call = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/activities',
        workspaceId,
        payload: { type: 'call', subject: 'Restorable call', contactId: contact.id },
      })
    ).json().data
    await owner.request({ method: 'DELETE', url: `/api/v1/activities/${call.id}`, workspaceId })
    const touches = () =>
      t.ctx.db
        .selectFrom('touchpoints')
        .select('channel')
        .where('activityId', '=', call.id)
        .execute()
    expect(await touches()).toEqual([])
    expect((await restore('activity', call.id)).statusCode).toBe(200)
    expect(await touches()).toEqual([{ channel: 'sales' }])
  })

  it('lets only those who may delete restore, and campaigns only their managers', async () => {
    const account = await insertAccount(t.ctx.db, workspaceId)
    await trashAt('accounts', account.id, daysAgo(1))
    const rep = await addMember(t, owner, workspaceId, 'sales')
    expect((await restore('account', account.id, rep)).statusCode).toBe(403)
    const manager = await addMember(t, owner, workspaceId, 'sales_manager')
    const campaign = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        workspaceId,
        payload: { name: 'Managed', channel: 'events', type: 'conference' },
      })
    ).json().data
    await owner.request({ method: 'DELETE', url: `/api/v1/campaigns/${campaign.id}`, workspaceId })
    expect((await restore('campaign', campaign.id, manager)).statusCode).toBe(403)
    expect((await restore('account', account.id, manager)).statusCode).toBe(200)
  })
})
