import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let other: { owner: Session; workspaceId: string }
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Campaigns Co'))
  other = await makeWorkspace(t, 'Elsewhere')
})
afterAll(async () => t.close())

const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  owner.request({
    method,
    url: `/api/v1${url}`,
    workspaceId,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  })
const create = (payload: Record<string, unknown>) =>
  send('POST', '/campaigns', { channel: 'events', type: 'webinar', ...payload })
const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`

describe('campaigns', () => {
  it('creates a campaign in the base currency and names the field of bad input', async () => {
    const created = await create({
      name: 'Spring webinar',
      startsOn: '2026-03-01',
      endsOn: '2026-03-31',
      budget: 500_000,
      goalLeads: 200,
      utmCampaigns: ['spring_webinar'],
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().data).toMatchObject({
      name: 'Spring webinar',
      channel: 'events',
      currency: 'USD',
      budget: 500_000,
      utmCampaigns: ['spring_webinar'],
      totalCost: [],
    })
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Bad', channel: 'tv' }, 'body.channel'],
      [
        { name: 'Bad', startsOn: '2026-04-02', endsOn: '2026-04-01' },
        'endsOn: 2026-04-01 is before',
      ],
      [{ name: 'Bad', budget: -1 }, 'body.budget'],
      [{ name: 'Bad', budget: 10.5 }, 'body.budget'],
      [{ name: 'Bad', currency: 'XYZ1' }, 'body.currency'],
      [{ name: 'Bad', ownerId: other.owner.userId }, 'ownerId: no member'],
      [{ name: 'Bad', startsOn: '2026-02-30' }, 'body.startsOn'],
    ]
    for (const [payload, message] of cases) {
      const response = await create(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toContain(message)
    }
    const id = created.json().data.id
    const moved = await send('PATCH', `/campaigns/${id}`, { endsOn: '2026-02-01' })
    expect(moved.json().error.message).toMatch(/^endsOn: /)
  })

  it('gives each utm_campaign value to one live campaign, in any case', async () => {
    const first = (await create({ name: 'Launch A', utmCampaigns: ['Launch_2026', 'a'] })).json()
      .data
    const clash = await create({ name: 'Launch B', utmCampaigns: ['b', 'launch_2026'] })
    expect(clash.statusCode).toBe(409)
    expect(clash.json().error).toMatchObject({
      message: 'utmCampaigns: "launch_2026" already belongs to the campaign "Launch A"',
      details: { field: 'utmCampaigns', value: 'launch_2026', existingId: first.id },
    })
    const second = (await create({ name: 'Launch B', utmCampaigns: ['b'] })).json().data
    const patchClash = await send('PATCH', `/campaigns/${second.id}`, { utmCampaigns: ['A'] })
    expect(patchClash.statusCode).toBe(409)
    // Keeping its own values is no conflict; duplicates within one campaign collapse.
    const own = await send('PATCH', `/campaigns/${first.id}`, {
      utmCampaigns: ['Launch_2026', 'LAUNCH_2026', 'c'],
    })
    expect(own.json().data.utmCampaigns).toEqual(['Launch_2026', 'c'])
    expect((await send('DELETE', `/campaigns/${first.id}`)).statusCode).toBe(204)
    const freed = await send('PATCH', `/campaigns/${second.id}`, { utmCampaigns: ['launch_2026'] })
    expect(freed.statusCode).toBe(200)
  })

  it('keeps dated costs and totals them per currency', async () => {
    const campaign = (await create({ name: 'Costly', currency: 'EUR' })).json().data
    const add = (payload: Record<string, unknown>) =>
      send('POST', `/campaigns/${campaign.id}/costs`, payload)
    const first = await add({ incurredOn: '2026-01-05', amount: 10_000, note: 'venue' })
    expect(first.statusCode).toBe(201)
    expect(first.json().data).toMatchObject({ currency: 'EUR', amount: 10_000 })
    await add({ incurredOn: '2026-01-20', amount: 2_500 })
    const usd = (await add({ incurredOn: '2026-01-10', amount: 700, currency: 'usd' })).json().data
    expect((await add({ incurredOn: '2026-01-10', amount: -5 })).json().error.message).toMatch(
      /^body\.amount/,
    )
    const detail = (await send('GET', `/campaigns/${campaign.id}`)).json().data
    expect(detail.totalCost).toEqual([
      { currency: 'EUR', amount: 12_500 },
      { currency: 'USD', amount: 700 },
    ])
    const costs = (await send('GET', `/campaigns/${campaign.id}/costs?limit=2`)).json()
    expect(costs.data.map((c: { incurredOn: string }) => c.incurredOn)).toEqual([
      '2026-01-20',
      '2026-01-10',
    ])
    const rest = (
      await send('GET', `/campaigns/${campaign.id}/costs?limit=2&cursor=${costs.nextCursor}`)
    ).json()
    expect(rest.data.map((c: { incurredOn: string }) => c.incurredOn)).toEqual(['2026-01-05'])
    const otherCampaign = (await create({ name: 'Not it' })).json().data
    expect(
      (await send('DELETE', `/campaigns/${otherCampaign.id}/costs/${usd.id}`)).statusCode,
    ).toBe(404)
    expect((await send('DELETE', `/campaigns/${campaign.id}/costs/${usd.id}`)).statusCode).toBe(204)
    expect((await send('GET', `/campaigns/${campaign.id}`)).json().data.totalCost).toEqual([
      { currency: 'EUR', amount: 12_500 },
    ])
  })

  it("answers 404 for another workspace's campaign and its costs, and changes nothing", async () => {
    const theirs = (
      await other.owner.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        workspaceId: other.workspaceId,
        payload: { name: 'Theirs', channel: 'email', type: 'newsletter' },
      })
    ).json().data
    const cost = (
      await other.owner.request({
        method: 'POST',
        url: `/api/v1/campaigns/${theirs.id}/costs`,
        workspaceId: other.workspaceId,
        payload: { incurredOn: '2026-01-01', amount: 100 },
      })
    ).json().data
    const attempts = [
      await send('GET', `/campaigns/${theirs.id}`),
      await send('PATCH', `/campaigns/${theirs.id}`, { name: 'Mine' }),
      await send('DELETE', `/campaigns/${theirs.id}`),
      await send('GET', `/campaigns/${theirs.id}/costs`),
      await send('POST', `/campaigns/${theirs.id}/costs`, { incurredOn: '2026-01-01', amount: 1 }),
      await send('DELETE', `/campaigns/${theirs.id}/costs/${cost.id}`),
    ]
    expect(attempts.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404, 404])
    const still = await other.owner.request({
      method: 'GET',
      url: `/api/v1/campaigns/${theirs.id}`,
      workspaceId: other.workspaceId,
    })
    expect(still.json().data).toMatchObject({
      name: 'Theirs',
      totalCost: [{ currency: 'USD', amount: 100 }],
    })
  })

  it('filters by channel and utm value, sorts by start date; only campaign writers write', async () => {
    await create({ name: 'Sorted 2', channel: 'paid_search', type: 'ppc', startsOn: '2025-06-01' })
    await create({
      name: 'Sorted 1',
      channel: 'paid_search',
      type: 'ppc',
      startsOn: '2025-01-01',
      utmCampaigns: ['brand_q1'],
    })
    const paid = await send(
      'GET',
      `/campaigns?sort=startsOn&${filterParam({ all: [{ field: 'channel', op: 'eq', value: 'paid_search' }] })}`,
    )
    expect(paid.json().data.map((c: { name: string }) => c.name)).toEqual(['Sorted 1', 'Sorted 2'])
    const byUtm = await send(
      'GET',
      `/campaigns?${filterParam({ all: [{ field: 'utmCampaigns', op: 'contains', value: 'brand_q1' }] })}`,
    )
    expect(byUtm.json().data.map((c: { name: string }) => c.name)).toEqual(['Sorted 1'])
    const rep = await addMember(t, owner, workspaceId, 'sales')
    const denied = await rep.request({
      method: 'POST',
      url: '/api/v1/campaigns',
      workspaceId,
      payload: { name: 'Rep campaign', channel: 'sales', type: 'outbound' },
    })
    expect(denied.statusCode).toBe(403)
    const read = await rep.request({
      method: 'GET',
      url: '/api/v1/campaigns?q=sorted',
      workspaceId,
    })
    expect(read.json().data).toHaveLength(2)
  })
})
