import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { makeAccount } from './test-records.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Deals Co'))
})
afterAll(async () => t.close())

const post = (payload: Record<string, unknown>) =>
  owner.request({ method: 'POST', url: '/api/v1/deals', workspaceId, payload })
const patch = (id: string, payload: Record<string, unknown>) =>
  owner.request({ method: 'PATCH', url: `/api/v1/deals/${id}`, workspaceId, payload })
const get = (id: string) =>
  owner.request({ method: 'GET', url: `/api/v1/deals/${id}`, workspaceId })
const list = (query: string) =>
  owner.request({ method: 'GET', url: `/api/v1/deals?${query}`, workspaceId })
const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`
const names = (response: { json(): { data: { name: string }[] } }) =>
  response.json().data.map((d) => d.name)

describe('deals', () => {
  it("creates a deal in the default pipeline's first stage, in the base currency", async () => {
    const response = await post({ name: 'First deal', amount: 120_000 })
    expect(response.statusCode).toBe(201)
    const deal = response.json().data
    expect(deal).toMatchObject({
      name: 'First deal',
      amount: 120_000,
      currency: 'USD',
      forecastCategory: 'pipeline',
      pipeline: { name: 'Sales' },
      stage: { name: 'Qualification', winProbability: 0.1, isWon: false },
      closedAt: null,
    })
    expect(deal.stageHistory).toHaveLength(1)
    expect(deal.stageHistory[0]).toMatchObject({
      fromStage: null,
      toStage: { id: deal.stageId, name: 'Qualification' },
      changedBy: { id: owner.userId },
    })
  })

  it('searches, filters on deal and account fields, sorts and pages once through', async () => {
    const big = await makeAccount(owner, workspaceId, {
      name: 'Big Logistics',
      industry: 'logistics',
      employees: 5000,
    })
    const small = await makeAccount(owner, workspaceId, {
      name: 'Small Shop',
      industry: 'retail',
      employees: 20,
    })
    await t.ctx.db
      .insertInto('customFieldDefinitions')
      .values({
        workspaceId,
        id: uuidv7(),
        entity: 'deal',
        key: 'seats',
        label: 'Seats',
        type: 'number',
      })
      .execute()
    const specs = [
      { name: 'Listed A', amount: 500, closeDate: '2026-05-01', accountId: big, needs: ['uptime'] },
      {
        name: 'Listed B',
        amount: 300,
        closeDate: '2026-01-15',
        accountId: small,
        custom: { seats: 12 },
      },
      { name: 'Listed C', amount: 900, accountId: big, currency: 'EUR' },
      { name: 'Listed D', amount: 100, closeDate: '2026-03-01', custom: { seats: 3 } },
    ]
    for (const spec of specs) expect((await post(spec)).statusCode).toBe(201)
    expect(names(await list('q=LISTED%20c'))).toEqual(['Listed C'])
    const cases: [unknown, string[]][] = [
      [
        { all: [{ field: 'account.industry', op: 'eq', value: 'logistics' }] },
        ['Listed A', 'Listed C'],
      ],
      [{ all: [{ field: 'account.employees', op: 'lt', value: 100 }] }, ['Listed B']],
      [
        { all: [{ field: 'account.name', op: 'contains', value: 'big' }] },
        ['Listed A', 'Listed C'],
      ],
      [{ all: [{ field: 'needs', op: 'contains', value: 'uptime' }] }, ['Listed A']],
      [{ all: [{ field: 'currency', op: 'eq', value: 'EUR' }] }, ['Listed C']],
      [{ all: [{ field: 'closeDate', op: 'gte', value: '2026-02-01' }] }, ['Listed A', 'Listed D']],
      [{ all: [{ field: 'custom.seats', op: 'gt', value: 5 }] }, ['Listed B']],
      [
        {
          all: [
            { field: 'name', op: 'contains', value: 'Listed' },
            { field: 'amount', op: 'gte', value: 300 },
            { field: 'forecastCategory', op: 'eq', value: 'pipeline' },
          ],
        },
        ['Listed A', 'Listed B', 'Listed C'],
      ],
    ]
    for (const [filter, expected] of cases) {
      const response = await list(`q=listed&${filterParam(filter)}`)
      expect(response.statusCode, JSON.stringify(filter)).toBe(200)
      expect(names(response).sort(), JSON.stringify(filter)).toEqual(expected)
    }
    const bad = await list(filterParam({ all: [{ field: 'lossReason', op: 'eq', value: 'bad' }] }))
    expect(bad.json().error.message).toContain('filter.all[0].value: must be one of price')
    const pageThrough = async (sort: string) => {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: { data: { name: string }[]; nextCursor: string | null } = (
          await list(`sort=${sort}&limit=3&q=listed${cursor ? `&cursor=${cursor}` : ''}`)
        ).json()
        seen.push(...page.data.map((d) => d.name))
        cursor = page.nextCursor
      } while (cursor)
      return seen
    }
    expect(await pageThrough('closeDate')).toEqual(['Listed B', 'Listed D', 'Listed A', 'Listed C'])
    expect(await pageThrough('-amount')).toEqual(['Listed C', 'Listed A', 'Listed B', 'Listed D'])
    expect(await pageThrough('name')).toEqual(['Listed A', 'Listed B', 'Listed C', 'Listed D'])
    expect(await pageThrough('-createdAt')).toEqual([
      'Listed D',
      'Listed C',
      'Listed B',
      'Listed A',
    ])
  })

  it("lists a contact's deals through the contactIds filter", async () => {
    const contact = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        workspaceId,
        payload: { firstName: 'Dana', lastName: 'Deals', email: 'dana@deals.example' },
      })
    ).json().data
    await post({
      name: 'With Dana',
      amount: 10,
      contacts: [{ contactId: contact.id, role: 'champion' }],
    })
    await post({ name: 'Without Dana', amount: 10 })
    const filter = { all: [{ field: 'contactIds', op: 'contains', value: contact.id }] }
    expect(names(await list(filterParam(filter)))).toEqual(['With Dana'])
  })

  it('bulk-updates all or nothing, and audits each change', async () => {
    const rep = await addMember(t, owner, workspaceId, 'sales')
    const ids = [
      (await post({ name: 'Bulk A' })).json().data.id,
      (await post({ name: 'Bulk B' })).json().data.id,
    ]
    const missing = await owner.request({
      method: 'PATCH',
      url: '/api/v1/deals/bulk',
      workspaceId,
      payload: { ids: [...ids, uuidv7()], patch: { forecastCategory: 'commit' } },
    })
    expect(missing.statusCode).toBe(404)
    const badOwner = await owner.request({
      method: 'PATCH',
      url: '/api/v1/deals/bulk',
      workspaceId,
      payload: { ids, patch: { ownerId: 'stranger', forecastCategory: 'commit' } },
    })
    expect(badOwner.statusCode).toBe(400)
    const untouched = await t.ctx.db
      .selectFrom('deals')
      .select('forecastCategory')
      .where('id', 'in', ids)
      .execute()
    expect(untouched.every((d) => d.forecastCategory === 'pipeline')).toBe(true)
    const ok = await owner.request({
      method: 'PATCH',
      url: '/api/v1/deals/bulk',
      workspaceId,
      payload: { ids, patch: { forecastCategory: 'commit', ownerId: rep.userId } },
    })
    expect(ok.json().data).toEqual({ updated: 2 })
    expect((await get(ids[1])).json().data).toMatchObject({
      forecastCategory: 'commit',
      owner: { id: rep.userId },
    })
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('targetId')
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'deal.update')
      .where('targetId', 'in', ids)
      .execute()
    expect(audit).toHaveLength(2)
  })

  it('moves a deleted deal out of lists and lookups; viewers cannot write', async () => {
    const deal = (await post({ name: 'Doomed deal' })).json().data
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    const denied = await viewer.request({
      method: 'POST',
      url: '/api/v1/deals',
      workspaceId,
      payload: { name: 'Viewer deal' },
    })
    expect(denied.statusCode).toBe(403)
    const rep = await addMember(t, owner, workspaceId, 'sales')
    const repDelete = await rep.request({
      method: 'DELETE',
      url: `/api/v1/deals/${deal.id}`,
      workspaceId,
    })
    expect(repDelete.statusCode).toBe(403)
    const deleted = await owner.request({
      method: 'DELETE',
      url: `/api/v1/deals/${deal.id}`,
      workspaceId,
    })
    expect(deleted.statusCode).toBe(204)
    expect((await get(deal.id)).statusCode).toBe(404)
    expect(names(await list('q=doomed'))).toEqual([])
    expect((await patch(deal.id, { name: 'Back' })).statusCode).toBe(404)
  })
})
