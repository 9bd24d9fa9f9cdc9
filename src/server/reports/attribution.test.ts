import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type journeyIds, plantJourneys } from '../../../test/attribution-world.ts'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { recomputeAttribution } from '../attribution/recompute.ts'

let t: TestApp
let admin: Session
let viewer: Session
let workspaceId: string
let ids: ReturnType<typeof journeyIds>

const range = 'from=2026-01-01&to=2026-06-30'

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeWorkspace(t, 'Report Co')
  admin = made.owner
  workspaceId = made.workspaceId
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  ids = await plantJourneys(t, admin, workspaceId)
  // The spring email cost 2,000 in May; the webinar cost nothing.
  await t.ctx.db
    .insertInto('campaignCosts')
    .values({
      workspaceId,
      id: randomUUID(),
      campaignId: ids.spring,
      incurredOn: '2026-05-15',
      amount: 2000,
      currency: 'USD',
    })
    .execute()
})
afterAll(() => t.close())

const get = async (session: Session, url: string) =>
  session.request({ method: 'GET', url, workspaceId })

async function report(query: string) {
  const response = await get(viewer, `/api/v1/reports/attribution?${query}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

describe('GET /api/v1/reports/attribution', () => {
  it('says the credits were never computed before the first recompute', async () => {
    const data = await report(range)
    expect(data.computedAt).toBeNull()
    expect(data.rows.map((row: { label: string }) => row.label)).toEqual(['Spring email'])
    expect(data.rows[0]).toMatchObject({ cost: 2000, revenue: 0, roi: -1 })
  })

  it('credits revenue and pipeline per campaign under the chosen model, with cost and ROI', async () => {
    await recomputeAttribution(t.ctx.db, workspaceId)
    const data = await report(`${range}&model=linear&groupBy=campaign`)
    expect(data).toMatchObject({ model: 'linear', conversion: 'won', groupBy: 'campaign' })
    expect(data.defaultModel).toBe('w_shaped')
    expect(data.computedAt).not.toBeNull()
    const byLabel = Object.fromEntries(
      data.rows.map((row: { label: string }) => [row.label, row] as const),
    )
    // Acme's 10,000 win: the spring email and the webinar share it (linear); the spring email was the
    // only touch before both Acme deals were created (10,000 + 7,000 of pipeline).
    expect(byLabel['Spring email']).toMatchObject({
      campaign: ids.spring,
      conversions: 0.5,
      revenue: 5000,
      pipeline: 17_000,
      cost: 2000,
      roi: 1.5,
      costPerWon: 4000,
      influenced: { pipeline: 17_000, revenue: 10_000, deals: 2 },
    })
    // No cost recorded: ROI null, never a division by zero.
    expect(byLabel.Webinar).toMatchObject({
      conversions: 0.5,
      revenue: 5000,
      cost: 0,
      roi: null,
      costPerWon: null,
      influenced: { pipeline: 0, revenue: 0, deals: 0 },
    })
    // Touches without a campaign (c3's paid click) are a row of their own.
    expect(byLabel['(no campaign)']).toMatchObject({ campaign: null, revenue: 0, pipeline: 4000 })
    // The won deal without a touch is reported, not dropped.
    expect(data.noTouch).toEqual({ conversions: 1, revenue: 5000 })
    expect(data.totals).toMatchObject({ revenue: 10_000, cost: 2000, roi: 4 })
    expect(byLabel['Spring email'].link).toContain(`campaign=${ids.spring}`)
  })

  it('puts every model side by side with the spread between them', async () => {
    const data = await report(`${range}&groupBy=campaign`)
    const spring = data.comparison.find((row: { key: string }) => row.key === ids.spring)
    const revenue = Object.fromEntries(
      spring.models.map((m: { model: string; revenue: number }) => [m.model, m.revenue] as const),
    )
    // Last touch gives the win to the webinar; linear splits it.
    expect(revenue.last_touch).toBe(0)
    expect(revenue.linear).toBe(5000)
    expect(spring.models).toHaveLength(11)
    expect(spring.spread.revenue).toEqual([
      Math.min(...Object.values(revenue as Record<string, number>)),
      Math.max(...Object.values(revenue as Record<string, number>)),
    ])
    expect(spring.spread.revenue[1]).toBeGreaterThan(spring.spread.revenue[0])
  })

  it('sources a deal to the campaign of its first touch in the window', async () => {
    const data = await report(`${range}&groupBy=campaign`)
    const spring = data.rows.find((row: { key: string }) => row.key === ids.spring)
    expect(spring.sourced).toEqual({ pipeline: 17_000, revenue: 10_000, deals: 2 })
  })

  it('groups by channel and by month, with the months of the range in order', async () => {
    const channels = await report(`${range}&groupBy=channel&model=last_touch`)
    const events = channels.rows.find((row: { key: string }) => row.key === 'events')
    expect(events).toMatchObject({ channel: 'events', revenue: 10_000, cost: 0 })
    const email = channels.rows.find((row: { key: string }) => row.key === 'email')
    expect(email).toMatchObject({ revenue: 0, cost: 2000, roi: -1 })
    const months = await report(`${range}&groupBy=month&model=linear`)
    expect(months.rows.map((row: { month: string }) => row.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ])
    expect(months.rows[4]).toMatchObject({ cost: 2000, revenue: 0 })
    expect(months.rows[5]).toMatchObject({ cost: 0, revenue: 10_000 })
    expect(months.trends.channels).toEqual(['email', 'events', 'paid_search'])
    expect(months.trends.months[5].revenue).toEqual({ email: 5000, events: 5000, paid_search: 0 })
  })

  it('counts MQLs per campaign for the cost per MQL', async () => {
    const data = await report(`${range}&conversion=mql&model=first_touch`)
    const spring = data.rows.find((row: { key: string }) => row.key === ids.spring)
    // c1 became an MQL 25 days before t0; the spring email made them a lead.
    expect(spring).toMatchObject({ conversions: 1, costPerMql: 2000 })
  })

  it('refuses unknown slugs and inverted dates, naming the field', async () => {
    for (const [query, field] of [
      ['model=best_guess', 'model'],
      ['conversion=signup', 'conversion'],
      ['groupBy=team', 'groupBy'],
      ['from=2026-06-30&to=2026-01-01', 'to'],
      ['from=2026-13-01', 'from'],
    ] as const) {
      const response = await get(viewer, `/api/v1/reports/attribution?${query}`)
      expect(response.statusCode, query).toBe(400)
      expect(response.json().error.message, query).toContain(field)
    }
    const unknown = await get(viewer, '/api/v1/reports/attribution?model=best_guess')
    expect(unknown.json().error.message).toContain('markov')
  })

  it('exports the rows as CSV', async () => {
    const response = await get(
      viewer,
      `/api/v1/reports/attribution/export?${range}&model=linear&groupBy=campaign`,
    )
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toContain('text/csv')
    expect(response.headers['content-disposition']).toContain('attribution-linear-won-campaign')
    const lines = response.body.trim().split('\n')
    expect(lines[0]).toBe(
      'key,label,conversions,pipeline,revenue,cost,roi,costPerMql,costPerSql,costPerWon,sourcedPipeline,sourcedRevenue,sourcedDeals,influencedPipeline,influencedRevenue,influencedDeals',
    )
    expect(lines).toContain(
      `${ids.spring},Spring email,0.5,17000,5000,2000,1.5,2000,,4000,17000,10000,2,17000,10000,2`,
    )
  })
})

describe('drill-down to the deals and journeys behind a number', () => {
  it('lists the deals credited to a campaign under the default model', async () => {
    const response = await get(
      viewer,
      `/api/v1/reports/attribution/credits?${range}&conversion=won&campaign=${ids.spring}`,
    )
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body.meta).toMatchObject({ model: 'w_shaped', total: 1, limit: 50, offset: 0 })
    expect(body.data).toHaveLength(1)
    expect(body.data[0]).toMatchObject({
      subjectType: 'deal',
      id: ids.won,
      name: 'Acme robots',
      amount: 10_000,
      touches: 1,
      link: `/microscope/deals/${ids.won}`,
    })
    // W-shaped: the spring email is FT (in the window), LC and OC; the webinar came after the
    // deal's creation, not between two milestones, so it earns nothing.
    expect(body.data[0]).toMatchObject({ credit: 1, revenue: 10_000 })
  })

  it('lists conversions without a touch, and contacts for MQLs', async () => {
    const none = await get(viewer, `/api/v1/reports/attribution/credits?${range}&kind=no_touch`)
    expect(none.json().data.map((row: { name: string }) => row.name)).toEqual(['Quiet robots'])
    const mqls = await get(
      viewer,
      `/api/v1/reports/attribution/credits?${range}&conversion=mql&channel=email`,
    )
    expect(mqls.json().data).toMatchObject([
      { subjectType: 'contact', id: ids.c1, name: 'c1@acme.example' },
    ])
  })

  it('pages through the credited deals', async () => {
    const first = await get(viewer, `/api/v1/reports/attribution/credits?${range}&limit=1`)
    const second = await get(
      viewer,
      `/api/v1/reports/attribution/credits?${range}&limit=1&offset=1`,
    )
    expect(first.json().meta.total).toBe(2)
    expect(first.json().data[0].id).not.toBe(second.json().data[0].id)
  })

  it('shows a deal’s whole journey in the window, with each touch’s credit in time order', async () => {
    const response = await get(viewer, `/api/v1/attribution/journeys/${ids.won}?conversion=won`)
    expect(response.statusCode, response.body).toBe(200)
    const journey = response.json().data
    expect(journey).toMatchObject({ subjectType: 'deal', name: 'Acme robots', kind: 'touch' })
    expect(
      journey.touches.map((touch: { channel: string; campaign: { name: string } | null }) => [
        touch.channel,
        touch.campaign?.name,
      ]),
    ).toEqual([
      ['email', 'Spring email'],
      ['events', 'Webinar'],
    ])
    // The organic visit is outside the 90-day window and the bot click never counts.
    expect(journey.touches.map((touch: { credit: number }) => touch.credit)).toEqual([1, 0])
  })

  it('lists what another model credited, adding up to its report, without per-touch credits', async () => {
    const data = await report(`${range}&model=linear&groupBy=campaign`)
    for (const row of data.rows as { campaign: string | null; revenue: number }[]) {
      const response = await get(
        viewer,
        `/api/v1/reports/attribution/credits?${range}&model=linear&campaign=${row.campaign ?? 'none'}`,
      )
      expect(response.statusCode, response.body).toBe(200)
      const listed = response.json().data as { revenue: number }[]
      expect(listed.reduce((sum, subject) => sum + subject.revenue, 0)).toBe(row.revenue)
    }
    // The webinar earns nothing under W-shaped but half of Acme's win under linear.
    const response = await get(
      viewer,
      `/api/v1/reports/attribution/credits?${range}&model=linear&campaign=${ids.webinar}`,
    )
    const body = response.json()
    expect(body.meta).toMatchObject({ model: 'linear', perTouch: false, total: 1 })
    expect(body.data).toEqual([
      expect.objectContaining({
        id: ids.won,
        credit: 0.5,
        revenue: 5000,
        amount: 10_000,
        touches: null,
        convertedAt: expect.any(String),
      }),
    ])
    const stored = await get(
      viewer,
      `/api/v1/reports/attribution/credits?${range}&model=w_shaped&campaign=${ids.spring}`,
    )
    expect(stored.json().meta).toMatchObject({ model: 'w_shaped', perTouch: true })
    expect(stored.json().data[0]).toMatchObject({ touches: 1, credit: 1 })
    // The same conversion, whichever model lists it.
    const linearWin = await get(
      viewer,
      `/api/v1/reports/attribution/credits?${range}&model=linear&campaign=${ids.spring}`,
    )
    expect(linearWin.json().data[0].convertedAt).toBe(stored.json().data[0].convertedAt)
  })

  it('shows a journey under another model with its credit per channel and campaign', async () => {
    const response = await get(
      viewer,
      `/api/v1/attribution/journeys/${ids.won}?conversion=won&model=linear`,
    )
    expect(response.statusCode, response.body).toBe(200)
    const journey = response.json().data
    expect(journey).toMatchObject({ model: 'linear', perTouch: false, kind: 'touch' })
    expect(journey.touches.map((touch: { credit: number | null }) => touch.credit)).toEqual([
      null,
      null,
    ])
    expect(
      journey.shares.map(
        (share: { campaign: { name: string }; credit: number; revenue: number }) => [
          share.campaign.name,
          share.credit,
          share.revenue,
        ],
      ),
    ).toEqual([
      ['Spring email', 0.5, 5000],
      ['Webinar', 0.5, 5000],
    ])
    const stored = await get(viewer, `/api/v1/attribution/journeys/${ids.won}?conversion=won`)
    expect(stored.json().data).toMatchObject({ model: 'w_shaped', perTouch: true, shares: null })
  })

  it('answers clearly for bad filters and unknown journeys', async () => {
    for (const [query, field] of [
      ['campaign=spring', 'campaign'],
      ['month=2026-13', 'month'],
      ['month=2025-01', 'month'],
      ['limit=0', 'limit'],
      ['model=first', 'model'],
    ] as const) {
      const response = await get(viewer, `/api/v1/reports/attribution/credits?${range}&${query}`)
      expect(response.statusCode, query).toBe(400)
      expect(response.json().error.message, query).toContain(field)
    }
    const missing = await get(viewer, `/api/v1/attribution/journeys/${randomUUID()}`)
    expect(missing.statusCode).toBe(404)
    const garbage = await get(viewer, '/api/v1/attribution/journeys/not-an-id')
    expect(garbage.statusCode).toBe(400)
  })
})
