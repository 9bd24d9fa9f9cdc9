import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { quantile, ratio } from './sla.ts'

let t: TestApp
let admin: Session
let repA: Session
let repB: Session
let viewer: Session
let workspaceId: string
let campaignId: string
const ids: Record<string, string> = {}

// Monday 5 October 2026, workspace in UTC, the built-in calendar (Mon-Fri 09:00-17:00): every
// handoff below is created at 09:00, so its first touch is due at 13:00 (4 business hours) and its
// decision on Wednesday 7 October at 09:00 (16 business hours).
const created = '2026-10-05T09:00:00Z'
const firstTouchDue = '2026-10-05T13:00:00Z'
const decisionDue = '2026-10-07T09:00:00Z'

async function send(by: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  return by.request({
    method,
    url,
    workspaceId,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  })
}

async function ok(by: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const response = await send(by, method, url, payload)
  expect(response.statusCode, response.body).toBeLessThan(300)
  return response.json().data
}

/** A new contact marked MQL through the API, its handoff given to `owner` (null: unassigned). */
async function mql(name: string, owner: Session | null) {
  const contact = await ok(admin, 'POST', '/api/v1/contacts', {
    firstName: name,
    email: `${name.toLowerCase()}@example.com`,
  })
  const moved = await ok(admin, 'POST', `/api/v1/contacts/${contact.id}/lifecycle`, {
    stage: 'mql',
    reason: 'Asked for a demo',
  })
  const handoffId = String(moved.handoffId)
  if (owner)
    await ok(admin, 'POST', `/api/v1/handoffs/${handoffId}/reassign`, { ownerId: owner.userId })
  ids[name] = handoffId
  ids[`${name}-contact`] = contact.id
  return handoffId
}

/** Back-dates a handoff (the report reads history; tests cannot wait for business hours). */
async function backdate(id: string, fields: Record<string, string | boolean | null>) {
  const set: Record<string, Date | string | boolean | null> = {}
  for (const [key, value] of Object.entries(fields)) {
    set[key] = typeof value === 'string' && value.includes('T') ? new Date(value) : value
  }
  await t.ctx.db.updateTable('handoffs').set(set).where('id', '=', id).execute()
}

async function logCall(contactName: string, at: string) {
  await ok(admin, 'POST', '/api/v1/activities', {
    type: 'call',
    subject: 'Intro call',
    contactId: ids[`${contactName}-contact`],
    occurredAt: at,
  })
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t))
  repA = await addMember(t, admin, workspaceId, 'sales')
  repB = await addMember(t, admin, workspaceId, 'sales')
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  const team = await ok(admin, 'POST', '/api/v1/teams', {
    name: 'Inbound',
    memberIds: [repA.userId, repB.userId],
  })
  await ok(admin, 'POST', '/api/v1/routing/rules', { name: 'All', teamId: team.id, conditions: [] })
  campaignId = (
    await ok(admin, 'POST', '/api/v1/campaigns', {
      name: 'Webinar',
      channel: 'events',
      type: 'webinar',
    })
  ).id
  await ok(admin, 'PUT', '/api/v1/mql/targets/2026-10', { target: 10 })

  // H1 repA, webinar: called after 60 min, accepted at 11:00 → met, decided in time.
  // H2 repA, webinar: called after 360 min (15:00), rejected no_budget next day → missed, in time.
  // H3 repB, webinar: untouched and open → unworked, both clocks missed.
  // H4 repB: called after 210 min, rejected not_icp on Thursday → met, decided late.
  // H5 repB, a re-MQL: rejected no_budget at 09:30, untouched → first touch not counted.
  // H6 unassigned: untouched and open → unworked.
  // H7 repA, in November: clocks still running (not counted in either SLA).
  for (const [name, owner] of [
    ['H1', repA],
    ['H2', repA],
    ['H3', repB],
    ['H4', repB],
    ['H5', repB],
    ['H6', null],
    ['H7', repA],
  ] as const) {
    const id = await mql(name, owner)
    await backdate(id, {
      createdAt: created,
      firstTouchDueAt: firstTouchDue,
      decisionDueAt: decisionDue,
      campaignId: ['H1', 'H2', 'H3'].includes(name) ? campaignId : null,
      isReMql: name === 'H5',
    })
  }
  const later = new Date(Date.now() + 86_400_000).toISOString()
  await backdate(ids.H7 as string, {
    createdAt: '2026-11-02T09:00:00Z',
    firstTouchDueAt: later,
    decisionDueAt: later,
  })
  // Rejecting the unassigned H6 is not needed; H6 stays open without an owner.
  await t.ctx.db
    .updateTable('handoffs')
    .set({ ownerId: null })
    .where('id', '=', ids.H6 as string)
    .execute()

  await logCall('H1', '2026-10-05T10:00:00Z')
  await logCall('H2', '2026-10-05T15:00:00Z')
  await logCall('H4', '2026-10-05T12:30:00Z')
  await ok(repA, 'POST', `/api/v1/handoffs/${ids.H1}/accept`)
  await ok(repA, 'POST', `/api/v1/handoffs/${ids.H2}/reject`, { reason: 'no_budget' })
  await ok(repB, 'POST', `/api/v1/handoffs/${ids.H4}/reject`, { reason: 'not_icp' })
  await ok(repB, 'POST', `/api/v1/handoffs/${ids.H5}/reject`, { reason: 'no_budget' })
  await backdate(ids.H1 as string, { decidedAt: '2026-10-05T11:00:00Z' })
  await backdate(ids.H2 as string, { decidedAt: '2026-10-06T10:00:00Z' })
  await backdate(ids.H4 as string, { decidedAt: '2026-10-08T10:00:00Z' })
  await backdate(ids.H5 as string, { decidedAt: '2026-10-05T09:30:00Z' })
  // H4 left its team (routed before teams existed, say): it belongs to "No team".
  await backdate(ids.H4 as string, { teamId: null })
})

afterAll(async () => {
  await t?.close()
})

async function report(query: string, by: Session = admin) {
  return ok(by, 'GET', `/api/v1/reports/sla?${query}`)
}

describe('the two-way SLA report', () => {
  it('computes sales’ side over the handoffs created in the range', async () => {
    const data = await report('from=2026-10-01&to=2026-10-31')
    expect(data.from).toBe('2026-10-01')
    const o = data.overall
    expect([o.handoffs, o.open, o.accepted, o.rejected]).toEqual([6, 2, 1, 3])
    // Met: H1, H4. Missed: H2 (late), H3 and H6 (untouched at the end). H5 closed before the end.
    expect(o.attainment).toEqual(ratio(2, 5))
    // In time: H1, H2, H5. Late: H4 (decided late), H3 and H6 (still open past the window).
    expect(o.decisionSla).toEqual(ratio(3, 6))
    expect(o.acceptanceRate).toEqual({ numerator: 1, denominator: 4, rate: 0.25 })
    expect(o.rejectionsByReason).toEqual([
      { reason: 'no_budget', numerator: 2, denominator: 4, rate: 0.5 },
      { reason: 'not_icp', numerator: 1, denominator: 4, rate: 0.25 },
    ])
    // 60, 210 and 360 business minutes: median 210; p90 = 210 + 0.8 × 150.
    expect(o.timeToFirstTouch).toEqual({ count: 3, medianMinutes: 210, p90Minutes: 330 })
    expect(o.unworked).toBe(2)
    expect(o.recycleRate).toEqual(ratio(2, 4))
    expect(o.reMqlRate).toEqual(ratio(1, 6))
  })

  it('breaks the same down per rep (the unassigned queue last) and per campaign', async () => {
    const data = await report('from=2026-10-01&to=2026-10-31')
    const ofOwner = (id: string | null) =>
      data.byOwner.find((row: { owner: { id: string } | null }) => (row.owner?.id ?? null) === id)
    const a = ofOwner(repA.userId)
    expect(a.handoffs).toBe(2)
    expect(a.attainment).toEqual(ratio(1, 2))
    expect(a.acceptanceRate).toEqual(ratio(1, 2))
    expect(a.timeToFirstTouch).toEqual({ count: 2, medianMinutes: 210, p90Minutes: 330 })
    const b = ofOwner(repB.userId)
    expect(b.attainment).toEqual(ratio(1, 2))
    expect(b.decisionSla).toEqual(ratio(1, 3))
    expect(b.acceptanceRate).toEqual(ratio(0, 2))
    expect(b.unworked).toBe(1)
    expect(b.reMqlRate).toEqual(ratio(1, 3))
    const unassigned = ofOwner(null)
    expect(unassigned.unworked).toBe(1)
    expect(unassigned.acceptanceRate).toEqual({ numerator: 0, denominator: 0, rate: null })
    expect(data.byOwner.at(-1).owner).toBeNull()

    expect(
      data.byCampaign.map((c: { campaign: { name: string } | null }) => c.campaign?.name ?? null),
    ).toEqual(['Webinar', null])
    expect(data.byCampaign[0].acceptanceRate).toEqual(ratio(1, 2))
    expect(data.byCampaign[0].attainment).toEqual(ratio(1, 3))
  })

  it('breaks the same down per team (no team last), with links to unworked and missed handoffs', async () => {
    const data = await report('from=2026-10-01&to=2026-10-31')
    expect(
      data.byTeam.map((row: { team: { name: string } | null }) => row.team?.name ?? null),
    ).toEqual(['Inbound', null])
    const [inbound, none] = data.byTeam
    // Inbound: H1, H2, H3, H5, H6. Met: H1; missed: H2, H3, H6; unworked: H3, H6.
    expect(inbound.handoffs).toBe(5)
    expect(inbound.attainment).toEqual(ratio(1, 4))
    expect(inbound.unworked).toBe(2)
    expect(inbound.acceptanceRate).toEqual(ratio(1, 3))
    // No team: H4 alone, touched in time and rejected.
    expect(none.handoffs).toBe(1)
    expect(none.attainment).toEqual(ratio(1, 1))
    expect(none.unworked).toBe(0)
    const range = 'kind=handoffs&from=2026-10-01&to=2026-10-31'
    expect(inbound.links).toEqual({
      unworked: `/bridge/records?${range}&teamId=${inbound.team.id}&sla=unworked`,
      missed: `/bridge/records?${range}&teamId=${inbound.team.id}&sla=missed`,
    })
    expect(none.links.unworked).toBe(`/bridge/records?${range}&teamId=none&sla=unworked`)
    const repARow = data.byOwner.find(
      (row: { owner: { id: string } | null }) => row.owner?.id === repA.userId,
    )
    expect(repARow.links.missed).toBe(`/bridge/records?${range}&ownerId=${repA.userId}&sla=missed`)
    expect(data.byOwner.at(-1).links.unworked).toBe(
      `/bridge/records?${range}&ownerId=none&sla=unworked`,
    )
  })

  it('shows marketing’s side: MQLs delivered per month against the target, and their acceptance', async () => {
    const data = await report('from=2026-10-01&to=2026-11-30')
    expect(data.marketing).toEqual([
      {
        month: '2026-10',
        delivered: 6,
        target: 10,
        targetAttainment: ratio(6, 10),
        acceptanceRate: ratio(1, 4),
      },
      {
        month: '2026-11',
        delivered: 1,
        target: null,
        targetAttainment: null,
        acceptanceRate: { numerator: 0, denominator: 0, rate: null },
      },
    ])
    // H7's clocks still run: it counts as delivered but in neither SLA yet.
    expect(data.overall.handoffs).toBe(7)
    expect(data.overall.attainment).toEqual(ratio(2, 5))
    expect(data.overall.decisionSla).toEqual(ratio(3, 6))
  })

  it('defaults to the current month, and any member may read it', async () => {
    const data = await report('', viewer)
    const today = new Date().toISOString().slice(0, 10)
    expect(data.from).toBe(`${today.slice(0, 7)}-01`)
    expect(data.to.slice(0, 7)).toBe(today.slice(0, 7))
    expect(data.marketing).toHaveLength(1)
    const explicit = await report(`from=${data.from}&to=${data.to}`)
    expect(data.overall).toEqual(explicit.overall)
  })

  it('refuses a range that ends before it starts or is not a date, naming the field', async () => {
    const backwards = await send(admin, 'GET', '/api/v1/reports/sla?from=2026-10-31&to=2026-10-01')
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json().error.details.field).toBe('to')
    const bad = await send(admin, 'GET', '/api/v1/reports/sla?from=2026-13-01')
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('from')
    const tooLong = await send(admin, 'GET', '/api/v1/reports/sla?from=2020-01-01&to=2026-01-01')
    expect(tooLong.statusCode).toBe(400)
  })
})

describe('quantile', () => {
  it('interpolates between ranks and is null for no values', () => {
    expect(quantile([], 0.5)).toBeNull()
    expect(quantile([7], 0.9)).toBe(7)
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25)
    expect(quantile([10, 20, 30, 40], 0.9)).toBeCloseTo(37)
  })
})
