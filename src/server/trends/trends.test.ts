import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { plantTrendWorld, trendWorld } from '../../../test/trends-world.ts'
import { computeChanges } from './changes.ts'

// The world of test/trends-world.ts in New York time: paid social's campaign loses MQLs over the
// last 4 weeks while its spend stays; email is steady. Expectations computed by hand below.
let t: TestApp
let owner: Session
let viewer: Session
let workspaceId: string
let campaignId: string
let weeks: string[]

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Trend Co'))
  const settings = await owner.request({
    method: 'PATCH',
    url: '/api/v1/workspace',
    workspaceId,
    payload: { timeZone: 'America/New_York' },
  })
  expect(settings.statusCode, settings.body).toBe(200)
  viewer = await addMember(t, owner, workspaceId, 'viewer')
  ;({ campaignId, weeks } = await plantTrendWorld(t.ctx.db, workspaceId))
}, 120_000)

afterAll(async () => t?.close())

const get = (session: Session, url: string) => session.request({ method: 'GET', url, workspaceId })

// MQL rate: 20 of 40 leads a week, then 11 of 40: 44/160 = 27.5% against a median of 50%.
// Binomial noise of a typical week with p = (160 + 1)/(320 + 2) = 0.5 and 40 leads:
// √(0.25/40); the 4-week value's and the 8-week median's share: √(40/160 + π/16).
const rateSe = Math.sqrt(0.25 / 40) * Math.sqrt(40 / 160 + Math.PI / 16)
// Cost per MQL: $700 a week over 20 MQLs ($35), then over 11 ($63.64); on the log scale the
// noise of a week is 1/√20 and the shares √(20/44 + π/16).
const costSe = (1 / Math.sqrt(20)) * Math.sqrt(20 / 44 + Math.PI / 16)

describe('computeChanges', () => {
  it('flags the decaying campaign and its channel on MQL rate and cost per MQL, nothing else', async () => {
    const report = await computeChanges(t.ctx.db, workspaceId)
    expect(report.lastCompleteWeek).toBe(weeks[11])
    expect(report.improvements).toEqual([])
    expect(
      report.decays.map((d) => `${d.subject.kind}:${d.subject.name}:${d.metric}`).sort(),
    ).toEqual([
      'campaign:Paid social spring:cost_per_mql',
      'campaign:Paid social spring:mql_rate',
      'channel:Paid social:cost_per_mql',
      'channel:Paid social:mql_rate',
    ])
    // 3 subjects × 5 metrics; email has no MQLs, so no acceptance, cost per MQL or conversion.
    expect(report.tested).toBe(15)
    expect(report.notEnoughData).toBe(3)

    const cost = report.decays.find(
      (d) => d.subject.kind === 'campaign' && d.metric === 'cost_per_mql',
    )
    expect(cost).toMatchObject({
      subject: {
        kind: 'campaign',
        id: campaignId,
        name: 'Paid social spring',
        channel: 'paid_social',
      },
      unit: 'money',
      changePct: 81.8,
      link: `/telescope/campaigns/${campaignId}`,
      recentWeeks: weeks.slice(8),
      baselineWeeks: weeks.slice(0, 8),
    })
    expect(cost?.baseline).toBeCloseTo(3500, 6)
    expect(cost?.current).toBeCloseTo(280_000 / 44, 6)
    expect(cost?.range.high).toBeCloseTo(3500 * Math.exp(3 * costSe), 6)
    expect(cost?.range.low).toBeCloseTo(3500 * Math.exp(-3 * costSe), 6)
    const usual = `$${Math.round(35 * Math.exp(-3 * costSe))}–$${Math.round(35 * Math.exp(3 * costSe))}`
    expect(cost?.words).toBe(
      `Paid social spring: cost per MQL up 82% over 4 weeks, outside its normal range (usual ${usual})`,
    )
    // The chart's 26 weeks end with the 4 recent ones.
    expect(cost?.series).toHaveLength(26)
    expect(cost?.series.slice(-5).map((p) => p.value)).toEqual([
      3500,
      70_000 / 11,
      70_000 / 11,
      70_000 / 11,
      70_000 / 11,
    ])

    const rate = report.decays.find((d) => d.subject.kind === 'channel' && d.metric === 'mql_rate')
    expect(rate).toMatchObject({ current: 0.275, baseline: 0.5, changePct: -45, unit: 'rate' })
    expect(rate?.range.low).toBeCloseTo(0.5 - 3 * rateSe, 9)
    expect(rate?.link).toBe('/telescope/changes?channel=paid_social')
    expect(rate?.words).toMatch(
      /^Paid social: MQL rate down 45% over 4 weeks, outside its normal range/,
    )
  })

  it('tests nothing in a workspace without data', async () => {
    const { workspaceId: empty } = await makeWorkspace(t, 'Empty Co')
    const report = await computeChanges(t.ctx.db, empty)
    expect(report).toMatchObject({ decays: [], improvements: [], tested: 0, notEnoughData: 0 })
  })
})

describe('GET /api/v1/telescope/changes', () => {
  it('lets every member read the day’s stored flags, and refresh computes them again', async () => {
    const first = await get(viewer, '/api/v1/telescope/changes')
    expect(first.statusCode, first.body).toBe(200)
    const body = first.json().data
    expect(body.decays).toHaveLength(4)
    expect(body.currency).toBe('USD')
    const again = await get(viewer, '/api/v1/telescope/changes')
    expect(again.json().data.computedAt).toBe(body.computedAt)
    const refreshed = await get(owner, '/api/v1/telescope/changes?refresh=true')
    expect(refreshed.statusCode).toBe(200)
    expect(Date.parse(refreshed.json().data.computedAt)).toBeGreaterThanOrEqual(
      Date.parse(body.computedAt),
    )
  })

  it('answers 400 naming the field for a bad refresh flag', async () => {
    const response = await get(viewer, '/api/v1/telescope/changes?refresh=maybe')
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('refresh')
  })
})

describe('GET /api/v1/telescope/trends', () => {
  it("gives a campaign's 52 weeks of all five metrics with their tests", async () => {
    const response = await get(viewer, `/api/v1/telescope/trends?campaignId=${campaignId}`)
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    expect(data.subject).toEqual({
      kind: 'campaign',
      id: campaignId,
      name: trendWorld.campaignName,
      channel: 'paid_social',
    })
    expect(data.weeks).toHaveLength(52)
    const byMetric = Object.fromEntries(
      data.metrics.map((m: { metric: string }) => [m.metric, m]),
    ) as Record<string, { status: string; series: { value: number | null }[] }>
    expect(Object.keys(byMetric)).toEqual([
      'leads',
      'mql_rate',
      'acceptance_rate',
      'cost_per_mql',
      'conversion_to_opportunity',
    ])
    expect(byMetric.leads?.status).toBe('normal')
    expect(byMetric.leads?.series.slice(-12).map((p) => p.value)).toEqual(Array(12).fill(40))
    expect(byMetric.leads?.series[0]?.value).toBe(0)
    expect(byMetric.mql_rate?.status).toBe('decay')
    expect(byMetric.cost_per_mql?.status).toBe('decay')
    expect(byMetric.acceptance_rate?.status).toBe('normal')
    // Conversion needs 14 days after a week before it counts: its series ends 2 weeks earlier.
    expect(byMetric.conversion_to_opportunity?.series).toHaveLength(50)
  })

  it('gives a channel by its slug', async () => {
    const response = await get(viewer, '/api/v1/telescope/trends?channel=email')
    expect(response.statusCode, response.body).toBe(200)
    const leads = response.json().data.metrics[0]
    expect(leads.series.slice(-12).map((p: { value: number }) => p.value)).toEqual(
      Array(12).fill(30),
    )
    expect(leads.status).toBe('normal')
  })

  it('answers 400 for a bad query and 404 for an unknown campaign', async () => {
    for (const query of [
      '',
      `channel=email&campaignId=${campaignId}`,
      'campaignId=nope',
      'channel=Bad Slug',
    ]) {
      const response = await get(viewer, `/api/v1/telescope/trends?${query}`)
      expect(response.statusCode, query).toBe(400)
    }
    const unknown = await get(viewer, `/api/v1/telescope/trends?campaignId=${randomUUID()}`)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.body).toContain('campaignId')
  })
})

describe('GET /api/v1/campaigns/{id}/benchmark', () => {
  /** A past campaign with its cost, MQLs (accepted, rejected, open) and won revenue under W-shaped. */
  async function pastCampaign(spec: {
    name: string
    type?: string
    startsOn: string
    cost: number
    accepted: number
    rejected: number
    open: number
    revenue: number
  }) {
    const id = randomUUID()
    const db = t.ctx.db
    await db
      .insertInto('campaigns')
      .values({
        workspaceId,
        id,
        name: spec.name,
        channel: 'paid_social',
        type: spec.type ?? 'lead_gen',
        startsOn: spec.startsOn,
        currency: 'USD',
        budget: null,
        goalLeads: null,
        goalMqls: null,
        goalPipeline: null,
        ownerId: null,
        externalSource: null,
        externalId: null,
      })
      .execute()
    await db
      .insertInto('campaignCosts')
      .values({
        workspaceId,
        id: randomUUID(),
        campaignId: id,
        incurredOn: spec.startsOn,
        amount: spec.cost,
        currency: 'USD',
        note: null,
      })
      .execute()
    const statuses = [
      ...Array(spec.accepted).fill('accepted'),
      ...Array(spec.rejected).fill('rejected'),
      ...Array(spec.open).fill('open'),
    ] as ('accepted' | 'rejected' | 'open')[]
    const created = new Date(`${spec.startsOn}T15:00:00Z`)
    for (const status of statuses) {
      const contactId = randomUUID()
      await db.insertInto('contacts').values({ workspaceId, id: contactId }).execute()
      await db
        .insertInto('handoffs')
        .values({
          workspaceId,
          id: randomUUID(),
          contactId,
          campaignId: id,
          mqlSource: 'form',
          mqlReason: 'Asked for a demo',
          status,
          createdAt: created,
          firstTouchDueAt: created,
          decisionDueAt: created,
          escalateAt: created,
          decidedAt: status === 'open' ? null : created,
          rejectionReason: status === 'rejected' ? 'not_icp' : null,
          rejectionOutcome: status === 'rejected' ? 'disqualify' : null,
        })
        .execute()
    }
    if (spec.revenue > 0) {
      await db
        .insertInto('attributionRollups')
        .values({
          workspaceId,
          model: 'w_shaped',
          conversion: 'won',
          month: `${spec.startsOn.slice(0, 7)}-01`,
          kind: 'touch',
          channel: 'paid_social',
          campaignId: id,
          conversions: 1,
          revenue: spec.revenue,
        })
        .execute()
    }
    return id
  }

  it('ranks the campaign among past campaigns of its channel and type', async () => {
    // Peers: cost per MQL $100, $50, $25; acceptance 100%, 50%, none decided; ROI 2, 0, −1.
    await pastCampaign({
      name: 'P1',
      startsOn: '2025-01-06',
      cost: 100_000,
      accepted: 10,
      rejected: 0,
      open: 0,
      revenue: 300_000,
    })
    await pastCampaign({
      name: 'P2',
      startsOn: '2025-03-03',
      cost: 100_000,
      accepted: 10,
      rejected: 10,
      open: 0,
      revenue: 100_000,
    })
    await pastCampaign({
      name: 'P3',
      startsOn: '2025-05-05',
      cost: 100_000,
      accepted: 0,
      rejected: 0,
      open: 40,
      revenue: 0,
    })
    // Not peers: another type, and one that started after the campaign.
    await pastCampaign({
      name: 'Other type',
      type: 'webinar',
      startsOn: '2025-02-03',
      cost: 1,
      accepted: 1,
      rejected: 0,
      open: 0,
      revenue: 0,
    })
    await pastCampaign({
      name: 'Later',
      startsOn: '2099-01-05',
      cost: 1,
      accepted: 1,
      rejected: 0,
      open: 0,
      revenue: 0,
    })

    const response = await get(viewer, `/api/v1/campaigns/${campaignId}/benchmark`)
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    expect(data.model).toBe('w_shaped')
    expect(data.peers.map((p: { name: string }) => p.name)).toEqual(['P3', 'P2', 'P1'])
    const [cost, acceptance, roi] = data.metrics
    // 13 weekly costs of $700 over 8 × 20 + 4 × 11 = 204 MQLs: $44.61; one peer is cheaper.
    expect(cost.value).toBeCloseTo(910_000 / 204, 6)
    expect(cost).toMatchObject({
      metric: 'cost_per_mql',
      peerMedian: 5000,
      percentile: 33.3,
      peers: 3,
      verdict: 'typical',
    })
    // All 204 accepted; only two peers decided anything.
    expect(acceptance).toMatchObject({
      value: 1,
      peerMedian: 0.75,
      percentile: null,
      peers: 2,
      verdict: 'too_few_peers',
    })
    // No won revenue: ROI −1, tied with P3 at the bottom.
    expect(roi).toMatchObject({
      value: -1,
      peerMedian: 0,
      percentile: 16.7,
      peers: 3,
      verdict: 'worse',
    })
  })

  it('answers 404 for an unknown campaign and 400 for a bad id', async () => {
    expect((await get(viewer, `/api/v1/campaigns/${randomUUID()}/benchmark`)).statusCode).toBe(404)
    expect((await get(viewer, '/api/v1/campaigns/nope/benchmark')).statusCode).toBe(400)
  })
})
