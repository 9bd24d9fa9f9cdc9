import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { insertAccount, insertContact, insertDeal } from '../activities/test-fixtures.ts'
import { recordTouchpoint } from '../touchpoints/service.ts'
import { purgeTrash } from './purge.ts'

let t: TestApp
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ workspaceId } = await makeWorkspace(t, 'Purge Co'))
})
afterAll(async () => t.close())

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000)
const trashAt = (table: string, id: string, at: Date) =>
  sql`update ${sql.table(table)} set deleted_at = ${at} where id = ${id}`.execute(t.ctx.db)
const exists = async (table: string, id: string) =>
  (await sql`select 1 from ${sql.table(table)} where id = ${id}`.execute(t.ctx.db)).rows.length > 0

describe('trash purge', () => {
  it('hard-deletes what was deleted over 30 days ago and detaches the live rows that pointed at it', async () => {
    const db = t.ctx.db
    const goneAccount = await insertAccount(db, workspaceId, { name: 'Gone for good' })
    const recentAccount = await insertAccount(db, workspaceId, { name: 'Still restorable' })
    const liveContact = await insertContact(db, workspaceId, { accountId: goneAccount.id })
    const goneContact = await insertContact(db, workspaceId, { accountId: recentAccount.id })
    const deal = await insertDeal(db, workspaceId, {
      accountId: goneAccount.id,
      contactIds: [goneContact.id],
    })
    const touch = await recordTouchpoint(db, {
      workspaceId,
      occurredAt: new Date('2025-01-01T00:00:00Z'),
      type: 'page_view',
      channel: 'direct',
      contactId: goneContact.id,
    })
    const productId = uuidv7()
    const soldProductId = uuidv7()
    await db
      .insertInto('products')
      .values([
        { workspaceId, id: productId, name: 'Unsold', currency: 'USD' },
        { workspaceId, id: soldProductId, name: 'Sold', currency: 'USD' },
      ])
      .execute()
    await db
      .insertInto('dealLineItems')
      .values({
        workspaceId,
        id: uuidv7(),
        dealId: deal.id,
        productId: soldProductId,
        quantity: 1,
        unitPrice: 100,
      })
      .execute()
    await trashAt('accounts', goneAccount.id, daysAgo(40))
    await trashAt('accounts', recentAccount.id, daysAgo(5))
    await trashAt('contacts', goneContact.id, daysAgo(31))
    await trashAt('products', productId, daysAgo(31))
    await trashAt('products', soldProductId, daysAgo(31))

    const counts = await purgeTrash(db)

    expect(counts.get(workspaceId)).toEqual({ account: 1, contact: 1, product: 1 })
    expect(await exists('accounts', goneAccount.id)).toBe(false)
    expect(await exists('accounts', recentAccount.id)).toBe(true)
    expect(await exists('contacts', goneContact.id)).toBe(false)
    expect(await exists('touchpoints', touch.id)).toBe(false)
    expect(await exists('products', productId)).toBe(false)
    expect(await exists('products', soldProductId)).toBe(true)
    const contact = await db
      .selectFrom('contacts')
      .select('accountId')
      .where('id', '=', liveContact.id)
      .executeTakeFirstOrThrow()
    expect(contact.accountId).toBeNull()
    const liveDeal = await db
      .selectFrom('deals')
      .select('accountId')
      .where('id', '=', deal.id)
      .executeTakeFirstOrThrow()
    expect(liveDeal.accountId).toBeNull()
    const audit = await db
      .selectFrom('auditLog')
      .select(['actorType', 'details'])
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'trash.purge')
      .execute()
    expect(audit).toMatchObject([
      { actorType: 'system', details: { purged: { account: 1, contact: 1, product: 1 } } },
    ])
    expect((await purgeTrash(db)).size).toBe(0)
  })
})
