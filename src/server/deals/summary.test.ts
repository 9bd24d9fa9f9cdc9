import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let rep1: Session
let rep2: Session
let teamId: string
let products: { robot: string; software: string }
let stageIds: Record<string, string>

interface Group {
  key: string | null
  label: string
  count: number
  amounts: { currency: string; amount: number }[]
  amountInBase: number | null
  baseCurrency: string
}

const request = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  owner.request({ method, url: `/api/v1${url}`, workspaceId, payload })

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Summary Co'))
  rep1 = await addMember(t, owner, workspaceId, 'sales')
  rep2 = await addMember(t, owner, workspaceId, 'sales')
  teamId = uuidv7()
  await t.ctx.db.insertInto('teams').values({ workspaceId, id: teamId, name: 'North' }).execute()
  await t.ctx.db
    .insertInto('teamMembers')
    .values({ workspaceId, teamId, userId: rep1.userId })
    .execute()
  const product = async (name: string) =>
    (await request('POST', '/products', { name, price: 100 })).json().data.id as string
  products = { robot: await product('Robot'), software: await product('Software') }
  const [sales] = (await request('GET', '/pipelines')).json().data
  stageIds = Object.fromEntries(
    sales.stages.map((s: { id: string; name: string }) => [s.name, s.id]),
  )
  await request('PUT', '/exchange-rates', { rates: [{ currency: 'EUR', rateToBase: 1.1 }] })
  const deals = [
    {
      name: 'A',
      amount: 1000,
      currency: 'USD',
      ownerId: rep1.userId,
      closeDate: '2026-01-10',
      lineItems: [{ productId: products.robot, quantity: 2, unitPrice: 300 }],
    },
    {
      name: 'B',
      amount: 1000,
      currency: 'EUR',
      ownerId: rep1.userId,
      stageId: stageIds.Demo,
      closeDate: '2026-01-20',
      lineItems: [
        { productId: products.robot, quantity: 1, unitPrice: 500 },
        { productId: products.software, quantity: 1, unitPrice: 200 },
      ],
    },
    { name: 'C', amount: 500, currency: 'USD', ownerId: rep2.userId, stageId: stageIds.Demo },
    { name: 'D', amount: 100, currency: 'GBP', closeDate: '2026-02-03' },
  ]
  for (const deal of deals) {
    const response = await request('POST', '/deals', deal)
    if (response.statusCode !== 201) throw new Error(response.body)
  }
})
afterAll(async () => t.close())

const summary = async (groupBy: string, filter?: unknown) => {
  const response = await request(
    'GET',
    `/deals/summary?groupBy=${groupBy}${filter ? `&filter=${encodeURIComponent(JSON.stringify(filter))}` : ''}`,
  )
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as { data: Group[]; missingRates: string[] }
}
const brief = (groups: Group[]) =>
  groups.map((g) => ({ label: g.label, count: g.count, inBase: g.amountInBase }))
const noPounds = { all: [{ field: 'currency', op: 'in', value: ['USD', 'EUR'] }] }

describe('deal summary', () => {
  it('sums each stage per currency and in the base currency by the rates, in stage order', async () => {
    const result = await summary('stage', noPounds)
    expect(result.missingRates).toEqual([])
    expect(result.data).toEqual([
      {
        key: stageIds.Qualification,
        label: 'Qualification',
        count: 1,
        amounts: [{ currency: 'USD', amount: 1000 }],
        amountInBase: 1000,
        baseCurrency: 'USD',
      },
      {
        key: stageIds.Demo,
        label: 'Demo',
        count: 2,
        amounts: [
          { currency: 'EUR', amount: 1000 },
          { currency: 'USD', amount: 500 },
        ],
        amountInBase: 1600,
        baseCurrency: 'USD',
      },
    ])
  })

  it('leaves the base total unknown where a rate is missing, and names the currency', async () => {
    const result = await summary('stage')
    expect(result.missingRates).toEqual(['GBP'])
    expect(brief(result.data)).toEqual([
      { label: 'Qualification', count: 2, inBase: null },
      { label: 'Demo', count: 2, inBase: 1600 },
    ])
  })

  it('groups by owner and by team, with the unassigned last', async () => {
    const owners = (await summary('owner')).data
    expect(owners.map((g) => [g.key, g.count, g.amountInBase])).toEqual(
      expect.arrayContaining([
        [rep1.userId, 2, 2100],
        [rep2.userId, 1, 500],
      ]),
    )
    expect(owners.at(-1)).toMatchObject({ key: null, label: 'No owner', amountInBase: null })
    const teams = (await summary('team')).data
    expect(teams.map((g) => [g.key, g.label, g.count, g.amountInBase])).toEqual([
      [teamId, 'North', 2, 2100],
      [null, 'No team', 2, null],
    ])
  })

  it('groups line items by product (quantity × unit price)', async () => {
    const result = await summary('product')
    expect(result.missingRates).toEqual([])
    expect(result.data.map((g) => [g.key, g.label, g.count, g.amounts, g.amountInBase])).toEqual([
      [
        products.robot,
        'Robot',
        2,
        [
          { currency: 'EUR', amount: 500 },
          { currency: 'USD', amount: 600 },
        ],
        1150,
      ],
      [products.software, 'Software', 1, [{ currency: 'EUR', amount: 200 }], 220],
    ])
  })

  it('groups by pipeline and by close month', async () => {
    expect(brief((await summary('pipeline', noPounds)).data)).toEqual([
      { label: 'Sales', count: 3, inBase: 2600 },
    ])
    const months = await summary('month')
    expect(months.data.map((g) => [g.key, g.label, g.count, g.amountInBase])).toEqual([
      ['2026-01', '2026-01', 2, 2100],
      ['2026-02', '2026-02', 1, null],
      [null, 'No close date', 1, 500],
    ])
    expect(months.missingRates).toEqual(['GBP'])
  })

  it('refuses an unknown grouping or filter, and shows nothing of other workspaces', async () => {
    const bad = await request('GET', '/deals/summary?groupBy=colour')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/^querystring\.groupBy: /)
    const badFilter = await request(
      'GET',
      `/deals/summary?groupBy=stage&filter=${encodeURIComponent('{"all":[{"field":"x","op":"eq","value":1}]}')}`,
    )
    expect(badFilter.json().error.message).toMatch(/^filter\.all\[0\]\.field: /)
    const other = await makeWorkspace(t, 'Other Summary')
    const theirs = await other.owner.request({
      method: 'GET',
      url: '/api/v1/deals/summary?groupBy=owner',
      workspaceId: other.workspaceId,
    })
    expect(theirs.json()).toEqual({ data: [], missingRates: [] })
  })
})
