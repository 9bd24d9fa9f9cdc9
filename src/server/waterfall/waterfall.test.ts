import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, defaultPipeline, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let manager: Session
let marketer: Session
let rep: Session
let workspaceId: string
let zone: string
let currency: string
/** The first instant of the current local month. */
let month: DateTime
let pipeline: Awaited<ReturnType<typeof defaultPipeline>>
let thisMonth: string
let lastMonth: string

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Plan Co'))
  manager = await addMember(t, owner, workspaceId, 'sales_manager')
  marketer = await addMember(t, owner, workspaceId, 'marketing')
  rep = await addMember(t, owner, workspaceId, 'sales')
  pipeline = await defaultPipeline(owner, workspaceId)
  const ws = await t.ctx.db
    .selectFrom('workspaces')
    .select(['timeZone', 'baseCurrency'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  zone = ws.timeZone
  currency = ws.baseCurrency
  month = DateTime.now().setZone(zone).startOf('month')
  thisMonth = month.toFormat('yyyy-MM')
  lastMonth = month.minus({ months: 1 }).toFormat('yyyy-MM')
})
afterAll(async () => t.close())

const db = () => t.ctx.db

/** A won (or lost) deal closed at `closedAt`. */
async function closedDeal(closedAt: DateTime, amount: number, outcome: 'won' | 'lost' = 'won') {
  await db()
    .insertInto('deals')
    .values({
      workspaceId,
      id: randomUUID(),
      name: `Deal ${amount}`,
      pipelineId: pipeline.id,
      stageId: pipeline.stage(outcome === 'won' ? 'Closed won' : 'Closed lost'),
      amount,
      currency,
      closedAt: closedAt.toJSDate(),
      ...(outcome === 'lost' ? { lossReason: 'price', marketingCouldHelp: 'no' as const } : {}),
    })
    .execute()
}

/** A contact that entered each lifecycle stage at the given times. */
async function contactWith(entries: [string, DateTime][]) {
  const created = await owner.request({
    method: 'POST',
    url: '/api/v1/contacts',
    workspaceId,
    payload: { email: `${randomUUID()}@example.com` },
  })
  if (created.statusCode !== 201) throw new Error(created.body)
  const id = created.json().data.id as string
  for (const [stage, at] of entries) {
    await db()
      .insertInto('lifecycleEntries')
      .values({
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: id,
        stage,
        enteredAt: at.toJSDate(),
      })
      .execute()
  }
  return id
}

const ago = (months: number, days = 0) => month.minus({ months }).plus({ days })

async function request(
  session: Session,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
) {
  return session.request({ method, url, workspaceId, ...(payload ? { payload } : {}) })
}

const plan = (overrides: Record<string, unknown> = {}) => ({
  periodKind: 'month',
  periodKey: thisMonth,
  revenueTarget: 1_000_000,
  averageDealSize: 250_000,
  sqlToWonRate: 0.25,
  mqlToSqlRate: 0.4,
  ...overrides,
})

describe('GET /api/v1/waterfall/assumptions', () => {
  it('has no measures before any history', async () => {
    const response = await request(rep, 'GET', '/api/v1/waterfall/assumptions')
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    expect(data.period).toMatchObject({ kind: 'month', key: thisMonth, isOver: false })
    expect(data.averageDealSize).toMatchObject({ value: null, wonDeals: 0 })
    expect(data.sqlToWonRate).toMatchObject({ value: null, wonDeals: 0, sqls: 0 })
    expect(data.mqlToSqlRate).toMatchObject({ value: null, mqls: 0, converted: 0 })
    expect(data.revenueTarget).toBeNull()
    expect(data.proposal).toBeNull()
  })

  it('measures the last 12 complete months against a hand-built history', async () => {
    // Won in the window: 100,000 + 200,000 + 300,000 → 3 deals, average 200,000.
    await closedDeal(ago(3, 4), 100_000)
    await closedDeal(ago(6, 1), 200_000)
    await closedDeal(ago(12, 1), 300_000)
    // Outside the window or not won: never counted.
    await closedDeal(ago(12, -2), 900_000)
    await closedDeal(month.plus({ minutes: 1 }), 900_000)
    await closedDeal(ago(2), 900_000, 'lost')

    // MQL cohorts old enough: c1..c4 (7 months ago), c11 (8 months ago); converted within 90
    // days: c1, c2, c11 (c3 reached SQL after 100 days, c4 never) → 3 of 5 = 0.6.
    const mql = ago(7, 2)
    await contactWith([
      ['mql', mql],
      ['sql', mql.plus({ days: 10 })],
    ])
    await contactWith([
      ['mql', mql],
      ['sql', mql.plus({ days: 28 })],
    ])
    await contactWith([
      ['mql', mql],
      ['sql', mql.plus({ days: 100 })],
    ])
    await contactWith([['mql', mql]])
    await contactWith([
      ['mql', ago(8)],
      ['sql', ago(8, 9)],
    ])
    // Too young (last month) or before the window: not in a cohort.
    await contactWith([['mql', ago(1, 2)]])
    await contactWith([
      ['mql', ago(13)],
      ['sql', ago(13, 5)],
    ])
    // More SQLs of the window: 12 months ago (its first day), 2 months ago and 5 months ago.
    // SQLs of the window: 4 above (10, 28, 100 days after c1..c3's MQL; c11's) + 3 = 7.
    await contactWith([['sql', ago(12, 0).plus({ hours: 1 })]])
    await contactWith([['sql', ago(2, 3)]])
    await contactWith([['sql', ago(5)]])
    // This month's SQL is not in the window.
    await contactWith([['sql', month.plus({ minutes: 2 })]])

    await db()
      .insertInto('targets')
      .values({
        workspaceId,
        id: randomUUID(),
        subjectKind: 'company',
        subjectId: '',
        metric: 'revenue',
        periodKind: 'month',
        periodKey: thisMonth,
        startsOn: month.toISODate() as string,
        endsOn: month.plus({ months: 1 }).toISODate() as string,
        amount: 1_000_000,
      })
      .execute()

    const response = await request(rep, 'GET', '/api/v1/waterfall/assumptions?periodKind=month')
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    expect(data.from).toBe(ago(12).toISODate())
    expect(data.to).toBe(month.minus({ days: 1 }).toISODate())
    expect(data.averageDealSize).toEqual({
      value: 200_000,
      wonDeals: 3,
      revenue: 600_000,
      missingRates: [],
    })
    expect(data.sqlToWonRate).toEqual({ value: 0.428571, wonDeals: 3, sqls: 7 })
    expect(data.mqlToSqlRate).toMatchObject({ value: 0.6, mqls: 5, converted: 3 })
    expect(data.revenueTarget).toBe(1_000_000)
    // 1,000,000 ÷ 200,000 = 5 won; 5 ÷ 0.428571 = 11.67 → 12 SQLs; 12 ÷ 0.6 = 20 MQLs.
    expect(data.proposal).toEqual({ wonDeals: 5, sqls: 12, mqls: 20 })
  })

  it('refuses a period key that is not of its kind, naming periodKey', async () => {
    for (const query of [
      'periodKind=month&periodKey=FY2027-Q1',
      'periodKind=quarter&periodKey=2026-13',
      'periodKind=month&periodKey=soon',
    ]) {
      const response = await request(rep, 'GET', `/api/v1/waterfall/assumptions?${query}`)
      expect(response.statusCode, query).toBe(400)
      expect(response.json().error.message).toMatch(/^periodKey: /)
    }
  })
})

describe('waterfall plans', () => {
  let planId: string

  it('computes the waterfall of a proposed plan', async () => {
    const response = await request(manager, 'POST', '/api/v1/waterfall/plans', plan())
    expect(response.statusCode, response.body).toBe(201)
    const data = response.json().data
    planId = data.id
    // 1,000,000 ÷ 250,000 = 4 won; 4 ÷ 0.25 = 16 SQLs; 16 ÷ 0.4 = 40 MQLs.
    expect(data).toMatchObject({
      periodKind: 'month',
      periodKey: thisMonth,
      startsOn: month.toISODate(),
      endsOn: month.plus({ months: 1 }).toISODate(),
      wonNeeded: 4,
      sqlsNeeded: 16,
      mqlsNeeded: 40,
      agreements: { sales: null, marketing: null },
      agreed: false,
    })
    // This month so far: one won deal of 900,000 and one SQL (made above), no handoffs.
    expect(data.progress.revenue).toEqual({ needed: 1_000_000, actual: 900_000, share: 0.9 })
    expect(data.progress.wonDeals).toEqual({ needed: 4, actual: 1, share: 0.25 })
    expect(data.progress.sqls).toEqual({ needed: 16, actual: 1, share: 1 / 16 })
    expect(data.progress.mqls).toEqual({ needed: 40, actual: 0, share: 0 })
    const listed = await request(
      rep,
      'GET',
      `/api/v1/waterfall/plans?periodKind=month&periodKey=${thisMonth}`,
    )
    expect(listed.json().data.map((p: { id: string }) => p.id)).toEqual([planId])
  })

  it('refuses plans and agreements from the wrong roles', async () => {
    const byRep = await request(rep, 'POST', '/api/v1/waterfall/plans', plan())
    expect(byRep.statusCode).toBe(403)
    const url = `/api/v1/waterfall/plans/${planId}/agree`
    expect((await request(marketer, 'POST', url, { side: 'sales' })).statusCode).toBe(403)
    expect((await request(manager, 'POST', url, { side: 'marketing' })).statusCode).toBe(403)
    expect((await request(rep, 'POST', url, { side: 'sales' })).statusCode).toBe(403)
    expect((await request(manager, 'DELETE', `${url}?side=marketing`)).statusCode).toBe(403)
  })

  it('writes the company targets once both sides agree', async () => {
    const url = `/api/v1/waterfall/plans/${planId}/agree`
    const sales = await request(manager, 'POST', url, { side: 'sales' })
    expect(sales.statusCode, sales.body).toBe(200)
    expect(sales.json().data.agreements.sales).toMatchObject({ userId: manager.userId })
    expect(sales.json().data.agreed).toBe(false)
    expect(await companyTargets(thisMonth)).toEqual({ revenue: 1_000_000 })

    const marketing = await request(marketer, 'POST', url, { side: 'marketing' })
    expect(marketing.statusCode, marketing.body).toBe(200)
    expect(marketing.json().data.agreed).toBe(true)
    expect(await companyTargets(thisMonth)).toEqual({
      revenue: 1_000_000,
      deals_won: 4,
      sqls: 16,
      mqls: 40,
    })
    // Marketing's MQL target is the plan's.
    const targets = await request(marketer, 'GET', '/api/v1/mql/targets')
    expect(targets.json().data.find((m: { month: string }) => m.month === thisMonth)).toEqual({
      month: thisMonth,
      target: 40,
    })
  })

  it('keeps the agreements when the same figures are sent again, clears them on a change', async () => {
    const same = await request(marketer, 'POST', '/api/v1/waterfall/plans', plan())
    expect(same.statusCode, same.body).toBe(200)
    expect(same.json().data.agreed).toBe(true)
    const changed = await request(
      marketer,
      'POST',
      '/api/v1/waterfall/plans',
      plan({ mqlToSqlRate: 0.5 }),
    )
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json().data).toMatchObject({
      id: planId,
      mqlsNeeded: 32,
      agreements: { sales: null, marketing: null },
      agreed: false,
    })
    // The targets stay the last agreed ones until both agree again.
    expect((await companyTargets(thisMonth)).mqls).toBe(40)
    const url = `/api/v1/waterfall/plans/${planId}/agree`
    await request(owner, 'POST', url, { side: 'sales' })
    const again = await request(owner, 'POST', url, { side: 'marketing' })
    expect(again.json().data.agreed).toBe(true)
    expect((await companyTargets(thisMonth)).mqls).toBe(32)
  })

  it('withdraws an agreement', async () => {
    const response = await request(
      marketer,
      'DELETE',
      `/api/v1/waterfall/plans/${planId}/agree?side=marketing`,
    )
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.agreements.marketing).toBeNull()
    expect(response.json().data.agreements.sales).not.toBeNull()
    expect(response.json().data.agreed).toBe(false)
  })

  it('refuses plans and agreements of a period already over', async () => {
    const past = await request(
      manager,
      'POST',
      '/api/v1/waterfall/plans',
      plan({ periodKey: lastMonth }),
    )
    expect(past.statusCode, past.body).toBe(409)
    expect(past.json().error.message).toMatch(/^periodKey: /)
    const id = randomUUID()
    await db()
      .insertInto('waterfallPlans')
      .values({
        workspaceId,
        id,
        periodKind: 'month',
        periodKey: lastMonth,
        startsOn: month.minus({ months: 1 }).toISODate() as string,
        endsOn: month.toISODate() as string,
        revenueTarget: 100,
        averageDealSize: 100,
        sqlToWonRate: 1,
        mqlToSqlRate: 1,
        wonNeeded: 1,
        sqlsNeeded: 1,
        mqlsNeeded: 1,
      })
      .execute()
    const agree = await request(manager, 'POST', `/api/v1/waterfall/plans/${id}/agree`, {
      side: 'sales',
    })
    expect(agree.statusCode, agree.body).toBe(409)
    expect(
      (await request(manager, 'GET', `/api/v1/waterfall/plans/${id}`)).json().data.isOver,
    ).toBe(true)
  })

  it.each([
    [{ sqlToWonRate: 0 }, 'body.sqlToWonRate'],
    [{ mqlToSqlRate: 1.5 }, 'body.mqlToSqlRate'],
    [{ revenueTarget: -5 }, 'body.revenueTarget'],
    [{ averageDealSize: 10.5 }, 'body.averageDealSize'],
    [{ periodKind: 'week' }, 'body.periodKind'],
    [{ periodKey: '2026-W48' }, 'periodKey'],
    [{ periodKey: 'next month' }, 'periodKey'],
  ])('refuses %o naming %s', async (overrides, field) => {
    const response = await request(manager, 'POST', '/api/v1/waterfall/plans', plan(overrides))
    expect(response.statusCode, response.body).toBe(400)
    expect(response.json().error.message.startsWith(`${field}: `), response.body).toBe(true)
  })

  it('answers 404 for an unknown plan and 400 for an unknown side', async () => {
    const unknown = randomUUID()
    expect((await request(rep, 'GET', `/api/v1/waterfall/plans/${unknown}`)).statusCode).toBe(404)
    const side = await request(owner, 'POST', `/api/v1/waterfall/plans/${planId}/agree`, {
      side: 'finance',
    })
    expect(side.statusCode).toBe(400)
    expect(side.json().error.message).toMatch(/^body\.side: /)
  })
})

async function companyTargets(periodKey: string) {
  const rows = await db()
    .selectFrom('targets')
    .select(['metric', 'amount'])
    .where('workspaceId', '=', workspaceId)
    .where('subjectKind', '=', 'company')
    .where('periodKind', '=', 'month')
    .where('periodKey', '=', periodKey)
    .execute()
  return Object.fromEntries(rows.map((r) => [r.metric, Number(r.amount)]))
}
