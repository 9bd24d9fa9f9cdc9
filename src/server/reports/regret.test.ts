import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let admin: Session
let viewer: Session
let outsider: Session
let rep1: Session
let rep2: Session
let workspaceId: string
const id: Record<string, string> = {}

// The workspace is in Europe/Paris. M = today − 180 days (Paris), the last mature closing day;
// `day(n)` is M + n days. Product-fit threshold 50. Teams: X = {rep1}, Y = {rep1, rep2}.
// Deals (won unless said; closing day; owner; campaign; products; what happened):
//   W1 M−10 rep1 C1 [P1]       the deal churned on day 180 of closing         → churned
//   W2 M−20 rep1 C1 [P1 P1 P2] account A1 churned on day 181; won fit 45 < 50   → poor fit
//   W3 M−30 rep2 –  [P2]       account A2 refunded on day 10                   → refunded
//   W4 M−40 rep2 C1 []         won fit 50 (= threshold); downgraded the day before closing → fine
//   W5 M    –    –  [P1]       closed 00:30 Paris on M (the UTC day before); downgraded M+5 → downgraded
//   W8 M−50 rep1 C1 [P1]       account A1 churned M+161, day 211 of W8         → fine
//   W6 M+1  rep1 C1 [P1]       closed 00:30 Paris the day after M: immature, out of the range
//   W7 M−150 rep1 C1 [P1]      churned: before `from` (M−100)
//   L1 M−15 rep1 C1 [P1]       lost as poor_fit_walked_away (fit 10): not counted
// Overall 6 won, 4 regretted (churned 1, refunded 1, downgraded 1, poor fit 1).
let M: string
let from: string
const zone = 'Europe/Paris'
const day = (n: number) => DateTime.fromISO(M, { zone }).plus({ days: n }).toISODate() as string
/** The instant 10:00 (or 00:30 when `early`) Paris on M + n. */
const at = (n: number, early = false) =>
  DateTime.fromISO(day(n), { zone })
    .set(early ? { hour: 0, minute: 30 } : { hour: 10 })
    .toJSDate()

async function get(by: Session, query: string) {
  return by.request({ method: 'GET', url: `/api/v1/reports/regret?${query}`, workspaceId })
}

async function report(query: string) {
  const response = await get(admin, query)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

async function drill(link: string) {
  const response = await admin.request({
    method: 'GET',
    url: link.replace('/bridge/records?', '/api/v1/reports/records?'),
    workspaceId,
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data as { total: number; description: string; rows: { name: string }[] }
}

interface Row {
  group: { key: string; label: string } | null
  won: number
  regretted: number
  rate: number | null
  churned: number
  refunded: number
  downgraded: number
  poorFit: number
  link: string
  regrettedLink: string
}

/** Every link of the report finds exactly the deals it counts. */
async function expectLinksMatch(rows: Row[]) {
  for (const row of rows) {
    expect((await drill(row.link)).total, `${row.group?.label} won`).toBe(row.won)
    expect((await drill(row.regrettedLink)).total, `${row.group?.label} regretted`).toBe(
      row.regretted,
    )
  }
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t))
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  rep1 = await addMember(t, admin, workspaceId, 'sales')
  rep2 = await addMember(t, admin, workspaceId, 'sales')
  ;({ owner: outsider } = await makeWorkspace(t, 'Other'))
  const db = t.ctx.db
  await db.updateTable('workspaces').set({ timeZone: zone }).where('id', '=', workspaceId).execute()
  await db
    .insertInto('scoringSettings')
    .values({ workspaceId, halfLifeDays: 30, productFitThreshold: 50 })
    .execute()
  M = DateTime.now().setZone(zone).minus({ days: 180 }).toISODate() as string
  from = day(-100)
  const ws = { workspaceId }

  for (const [key, members] of [
    ['X', [rep1]],
    ['Y', [rep1, rep2]],
  ] as const) {
    id[key] = randomUUID()
    await db
      .insertInto('teams')
      .values({ ...ws, id: id[key], name: `Team ${key}` })
      .execute()
    for (const member of members) {
      await db
        .insertInto('teamMembers')
        .values({ ...ws, teamId: id[key], userId: member.userId })
        .execute()
    }
  }
  id.C1 = randomUUID()
  await db
    .insertInto('campaigns')
    .values({
      ...ws,
      id: id.C1,
      name: 'Webinar',
      channel: 'events',
      type: 'webinar',
      currency: 'EUR',
    })
    .execute()
  for (const key of ['P1', 'P2']) {
    id[key] = randomUUID()
    await db
      .insertInto('products')
      .values({ ...ws, id: id[key], name: `Product ${key}`, currency: 'EUR' })
      .execute()
  }
  // A1 churned on day 181 of W2 (M−20 + 181 = M+161); A2 refunded on day 10 of W3 (M−20).
  for (const [key, values] of [
    ['A1', { churnedOn: day(161) }],
    ['A2', { refundedOn: day(-20) }],
  ] as const) {
    id[key] = randomUUID()
    await db
      .insertInto('accounts')
      .values({ ...ws, id: id[key], name: key, ...values })
      .execute()
  }

  // Listing the pipelines makes the workspace's default pipeline (with its won and lost stages).
  const pipelines = await admin.request({ method: 'GET', url: '/api/v1/pipelines', workspaceId })
  expect(pipelines.statusCode, pipelines.body).toBe(200)
  const stages = await db
    .selectFrom('stages')
    .select(['id', 'pipelineId', 'isWon', 'isLost'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  const won = stages.find((s) => s.isWon)
  const lost = stages.find((s) => s.isLost)
  if (!won || !lost) throw new Error('the default pipeline has no won or lost stage')

  const deals: [
    string,
    Date,
    Session | null,
    string | null,
    string[],
    string | null,
    Record<string, unknown>,
  ][] = [
    ['W1', at(-10), rep1, 'C1', ['P1'], null, { churnedOn: day(-10 + 180) }],
    ['W2', at(-20), rep1, 'C1', ['P1', 'P1', 'P2'], 'A1', { wonFit: 45 }],
    ['W3', at(-30), rep2, null, ['P2'], 'A2', {}],
    ['W4', at(-40), rep2, 'C1', [], null, { wonFit: 50, downgradedOn: day(-41) }],
    ['W5', at(0, true), null, null, ['P1'], null, { downgradedOn: day(5) }],
    ['W8', at(-50), rep1, 'C1', ['P1'], 'A1', { wonFit: 80 }],
    ['W6', at(1, true), rep1, 'C1', ['P1'], null, { churnedOn: day(2) }],
    ['W7', at(-150), rep1, 'C1', ['P1'], null, { churnedOn: day(-140) }],
    ['L1', at(-15), rep1, 'C1', ['P1'], null, { productFit: 10 }],
  ]
  for (const [key, closedAt, owner, campaign, products, account, more] of deals) {
    id[key] = randomUUID()
    const stage = key.startsWith('L') ? lost : won
    await db
      .insertInto('deals')
      .values({
        ...ws,
        id: id[key],
        name: key,
        pipelineId: stage.pipelineId,
        stageId: stage.id,
        currency: 'EUR',
        ownerId: owner?.userId ?? null,
        sourceCampaignId: campaign ? (id[campaign] as string) : null,
        accountId: account ? (id[account] as string) : null,
        closedAt,
        lossReason: key.startsWith('L') ? 'poor_fit_walked_away' : null,
        ...more,
      })
      .execute()
    for (const [position, product] of products.entries()) {
      await db
        .insertInto('dealLineItems')
        .values({
          ...ws,
          id: randomUUID(),
          dealId: id[key],
          productId: id[product] as string,
          quantity: 1,
          unitPrice: 1000,
          position,
        })
        .execute()
    }
  }
})

afterAll(async () => {
  await t?.close()
})

const counts = (row: Row) => [
  row.won,
  row.regretted,
  row.churned,
  row.refunded,
  row.downgraded,
  row.poorFit,
]
const byKey = (rows: Row[]) =>
  Object.fromEntries(rows.map((r) => [r.group?.label ?? 'all', [r.group?.key, ...counts(r)]]))

describe('GET /api/v1/reports/regret', () => {
  it('counts mature won deals and the regretted among them, overall', async () => {
    const data = await report(`from=${from}`)
    expect(data.from).toBe(from)
    expect(data.to).toBe(M)
    expect(data.matureBefore).toBe(M)
    expect(data.clamped).toBe(false)
    expect(data.productFitThreshold).toBe(50)
    expect(data.groupBy).toBeNull()
    expect(counts(data.overall)).toEqual([6, 4, 1, 1, 1, 1])
    expect(data.overall.rate).toBeCloseTo(4 / 6, 10)
    expect(data.overall.group).toBeNull()
    expect(data.rows).toEqual([data.overall])
    await expectLinksMatch([data.overall])
    const regretted = await drill(data.overall.regrettedLink)
    expect(regretted.rows.map((r) => r.name).sort()).toEqual(['W1', 'W2', 'W3', 'W5'])
    expect(regretted.description).toContain('regretted')
    const fine = await drill(data.overall.regrettedLink.replace('regret=yes', 'regret=no'))
    expect(fine.rows.map((r) => r.name).sort()).toEqual(['W4', 'W8'])
  })

  it('clamps a `to` later than today − 180 days to it', async () => {
    const today = DateTime.now().setZone(zone).toISODate()
    const data = await report(`from=${from}&to=${today}`)
    expect(data.to).toBe(M)
    expect(data.clamped).toBe(true)
    expect(counts(data.overall)).toEqual([6, 4, 1, 1, 1, 1])
    // W5 (closed on M, 00:30 Paris) is in; W6 (M + 1) is not, as the links confirm.
    const won = await drill(data.overall.link)
    expect(won.rows.map((r) => r.name).sort()).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W8'])
  })

  it('groups by rep', async () => {
    const data = await report(`from=${from}&groupBy=rep`)
    const rows: Row[] = data.rows
    expect(rows.map((r) => r.group?.key)).toEqual([rep1.userId, rep2.userId, 'none'])
    expect(rows.map(counts)).toEqual([
      [3, 2, 1, 0, 0, 1],
      [2, 1, 0, 1, 0, 0],
      [1, 1, 0, 0, 1, 0],
    ])
    expect(rows[2]?.group?.label).toBe('Unassigned')
    expect(rows[1]?.rate).toBe(0.5)
    await expectLinksMatch(rows)
  })

  it("groups by the owner's teams (a deal in each of them)", async () => {
    const data = await report(`from=${from}&groupBy=team`)
    expect(byKey(data.rows)).toEqual({
      'Team Y': [id.Y, 5, 3, 1, 1, 0, 1],
      'Team X': [id.X, 3, 2, 1, 0, 0, 1],
      'No team': ['none', 1, 1, 0, 0, 1, 0],
    })
    expect(data.rows.map((r: Row) => r.group?.label)).toEqual(['Team Y', 'Team X', 'No team'])
    await expectLinksMatch(data.rows)
  })

  it('groups by campaign', async () => {
    const data = await report(`from=${from}&groupBy=campaign`)
    expect(byKey(data.rows)).toEqual({
      Webinar: [id.C1, 4, 2, 1, 0, 0, 1],
      'No campaign': ['none', 2, 2, 0, 1, 1, 0],
    })
    await expectLinksMatch(data.rows)
  })

  it('groups by product, a deal once per product', async () => {
    const data = await report(`from=${from}&groupBy=product`)
    expect(byKey(data.rows)).toEqual({
      'Product P1': [id.P1, 4, 3, 1, 0, 1, 1],
      'Product P2': [id.P2, 2, 2, 0, 1, 0, 1],
      'No product': ['none', 1, 0, 0, 0, 0, 0],
    })
    expect(data.rows.map((r: Row) => r.rate)).toEqual([0.75, 1, 0])
    await expectLinksMatch(data.rows)
    const p1 = await drill(data.rows[0].regrettedLink)
    expect(p1.description).toContain('product “Product P1”')
  })

  it('uses the current product-fit threshold', async () => {
    const db = t.ctx.db
    await db
      .updateTable('scoringSettings')
      .set({ productFitThreshold: 45 })
      .where('workspaceId', '=', workspaceId)
      .execute()
    try {
      // W2 (won fit 45) is no longer a poor-fit win: 3 regretted.
      const data = await report(`from=${from}`)
      expect(counts(data.overall)).toEqual([6, 3, 1, 1, 1, 0])
      await expectLinksMatch([data.overall])
    } finally {
      await db
        .updateTable('scoringSettings')
        .set({ productFitThreshold: 50 })
        .where('workspaceId', '=', workspaceId)
        .execute()
    }
  })

  it('defaults to 12 months up to today − 180 days and answers empty ranges with null rates', async () => {
    const data = await report('')
    expect(data.to).toBe(M)
    expect(data.from.endsWith('-01')).toBe(true)
    expect(data.from).toBe(
      DateTime.fromISO(M, { zone }).minus({ months: 11 }).startOf('month').toISODate(),
    )
    const empty = await report('from=2020-01-01&to=2020-06-30&groupBy=product')
    expect(counts(empty.overall)).toEqual([0, 0, 0, 0, 0, 0])
    expect(empty.overall.rate).toBeNull()
    expect(empty.rows).toEqual([])
    // Every role reads reports.
    expect((await get(viewer, `from=${from}`)).statusCode).toBe(200)
  })

  it('refuses strangers and bad input naming the field', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/reports/regret' })
    expect(anonymous.statusCode).toBe(401)
    expect((await get(outsider, '')).statusCode).toBe(404)

    const unknown = await get(admin, 'groupBy=owner')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.body).toContain('groupBy')
    expect(unknown.body).toContain('rep, team, campaign, product')
    const backwards = await get(admin, 'from=2025-03-01&to=2025-01-01')
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json().error.details.field).toBe('to')
    const huge = await get(admin, 'from=2015-01-01&to=2025-01-01')
    expect(huge.statusCode).toBe(400)
    expect(huge.json().error.details.field).toBe('to')
    const tooRecent = await get(admin, `from=${day(1)}`)
    expect(tooRecent.statusCode).toBe(400)
    expect(tooRecent.json().error.details.field).toBe('from')
    const notADate = await get(admin, 'from=2025-02-30')
    expect(notADate.statusCode).toBe(400)
    expect(notADate.body).toContain('from')
  })
})

describe('GET /api/v1/reports/records: the regret, productId and teamId filters of deals', () => {
  const records = (query: string) =>
    admin.request({
      method: 'GET',
      url: `/api/v1/reports/records?kind=deals&${query}`,
      workspaceId,
    })

  it('filters deals by team and product, none included', async () => {
    const names = async (query: string) => {
      const response = await records(`from=${day(-200)}&to=${day(5)}&${query}`)
      expect(response.statusCode, response.body).toBe(200)
      return response
        .json()
        .data.rows.map((r: { name: string }) => r.name)
        .sort()
    }
    expect(await names(`teamId=${id.X}`)).toEqual(['L1', 'W1', 'W2', 'W6', 'W7', 'W8'])
    expect(await names('teamId=none')).toEqual(['W5'])
    expect(await names(`productId=${id.P2}`)).toEqual(['W2', 'W3'])
    expect(await names('productId=none')).toEqual(['W4'])
    // The lost poor-fit deal is never a regret; W6 is immature, W7 regretted before `from` only.
    expect(await names('regret=yes')).toEqual(['W1', 'W2', 'W3', 'W5', 'W7'])
    expect(await names('regret=no')).toEqual(['W4', 'W8'])
  })

  it('refuses bad values and kinds without those filters', async () => {
    const bad = await records('regret=maybe')
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('regret')
    const notUuid = await records('productId=abc')
    expect(notUuid.statusCode).toBe(400)
    expect(notUuid.body).toContain('productId')
    const handoffs = await admin.request({
      method: 'GET',
      url: '/api/v1/reports/records?kind=handoffs&regret=yes',
      workspaceId,
    })
    expect(handoffs.statusCode).toBe(400)
    expect(handoffs.json().error.details.field).toBe('regret')
  })
})
