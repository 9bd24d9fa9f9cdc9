import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, defaultPipeline, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let marketing: Session
let manager: Session
let sales: Session
let workspaceId: string
let repA: string
let repB: string
let teamX: string
let teamY: string
let pipeline: Awaited<ReturnType<typeof defaultPipeline>>

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Quota Co'))
  // New York time, fiscal year from February: FY2027-Q1 is February to April 2026.
  const settings = await owner.request({
    method: 'PATCH',
    url: '/api/v1/workspace',
    workspaceId,
    payload: { timeZone: 'America/New_York', fiscalYearStartMonth: 2 },
  })
  expect(settings.statusCode, settings.body).toBe(200)
  marketing = await addMember(t, owner, workspaceId, 'marketing')
  manager = await addMember(t, owner, workspaceId, 'sales_manager')
  sales = await addMember(t, owner, workspaceId, 'sales')
  const other = await addMember(t, owner, workspaceId, 'sales')
  repA = sales.userId
  repB = other.userId
  const team = async (name: string, memberIds: string[]) => {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/teams',
      workspaceId,
      payload: { name, memberIds },
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json().data.id as string
  }
  teamX = await team('East', [repA, repB])
  teamY = await team('West', [])
  pipeline = await defaultPipeline(owner, workspaceId)
  const rates = await owner.request({
    method: 'PUT',
    url: '/api/v1/exchange-rates',
    workspaceId,
    payload: { rates: [{ currency: 'EUR', rateToBase: 1.5 }] },
  })
  expect(rates.statusCode, rates.body).toBe(200)
})
afterAll(async () => t.close())

const post = (session: Session, payload: object) =>
  session.request({ method: 'POST', url: '/api/v1/targets', workspaceId, payload })

describe('setting targets', () => {
  it('derives the period from its key in the fiscal calendar', async () => {
    const quarter = await post(owner, {
      subjectKind: 'company',
      metric: 'revenue',
      period: 'FY2027-Q1',
      amount: 50_000_00,
    })
    expect(quarter.statusCode, quarter.body).toBe(201)
    expect(quarter.json().data).toMatchObject({
      periodKind: 'quarter',
      periodKey: 'FY2027-Q1',
      startsOn: '2026-02-01',
      endsOn: '2026-05-01',
      subjectId: '',
    })
    // The first ISO week of 2026 starts in December 2025.
    const week = await post(manager, {
      subjectKind: 'rep',
      subjectId: repA,
      metric: 'deals_won',
      period: '2026-W01',
      amount: 2,
    })
    expect(week.statusCode, week.body).toBe(201)
    expect(week.json().data).toMatchObject({ startsOn: '2025-12-29', endsOn: '2026-01-05' })
  })

  it('answers overlapping, negative and malformed targets clearly, writing nothing', async () => {
    const first = await post(manager, {
      subjectKind: 'team',
      subjectId: teamX,
      metric: 'revenue',
      period: '2026-03',
      amount: 10_000_00,
    })
    expect(first.statusCode, first.body).toBe(201)
    const again = await post(owner, {
      subjectKind: 'team',
      subjectId: teamX,
      metric: 'revenue',
      period: '2026-03',
      amount: 12_000_00,
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.message).toContain('already exists')
    expect(again.json().error.details.existingId).toBe(first.json().data.id)

    const cases: [object, string][] = [
      [{ subjectKind: 'company', metric: 'revenue', period: '2026-04', amount: -1 }, 'amount'],
      [{ subjectKind: 'company', metric: 'revenue', period: '2026-13', amount: 1 }, 'period'],
      [{ subjectKind: 'company', metric: 'revenue', period: 'FY2027-Q5', amount: 1 }, 'period'],
      [{ subjectKind: 'company', metric: 'revenue', period: '2026-W54', amount: 1 }, 'period'],
      [
        { subjectKind: 'company', subjectId: repA, metric: 'revenue', period: '2026', amount: 1 },
        'period',
      ],
      [{ subjectKind: 'team', metric: 'revenue', period: '2026-04', amount: 1 }, 'subjectId'],
      [
        {
          subjectKind: 'team',
          subjectId: randomUUID(),
          metric: 'sqls',
          period: '2026-04',
          amount: 1,
        },
        'subjectId',
      ],
      [
        { subjectKind: 'rep', subjectId: 'nobody', metric: 'sqls', period: '2026-04', amount: 1 },
        'subjectId',
      ],
      [{ subjectKind: 'company', metric: 'profit', period: '2026-04', amount: 1 }, 'metric'],
    ]
    for (const [payload, field] of cases) {
      const response = await post(owner, payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toContain(field)
    }
    const april = await owner.request({
      method: 'GET',
      url: '/api/v1/targets?periodKind=month&from=2026-04-01&to=2026-04-30',
      workspaceId,
    })
    expect(april.json().data).toEqual([])
  })

  it('lets sales managers set sales targets and marketing MQL targets, not the other way round', async () => {
    const payload = (metric: string) => ({
      subjectKind: 'company',
      metric,
      period: '2026-06',
      amount: 40,
    })
    expect((await post(sales, payload('revenue'))).statusCode).toBe(403)
    expect((await post(marketing, payload('revenue'))).statusCode).toBe(403)
    expect((await post(manager, payload('mqls'))).statusCode).toBe(403)
    expect((await post(marketing, payload('mqls'))).statusCode).toBe(201)
    expect((await post(manager, payload('sqls'))).statusCode).toBe(201)
  })

  it('changes and removes a target, audited', async () => {
    const created = await post(manager, {
      subjectKind: 'rep',
      subjectId: repB,
      metric: 'pipeline_created',
      period: '2026-07',
      amount: 100,
    })
    const id = created.json().data.id
    const changed = await manager.request({
      method: 'PATCH',
      url: `/api/v1/targets/${id}`,
      workspaceId,
      payload: { amount: 250 },
    })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json().data.amount).toBe(250)
    const negative = await manager.request({
      method: 'PATCH',
      url: `/api/v1/targets/${id}`,
      workspaceId,
      payload: { amount: -5 },
    })
    expect(negative.statusCode).toBe(400)
    const byMarketing = await marketing.request({
      method: 'DELETE',
      url: `/api/v1/targets/${id}`,
      workspaceId,
    })
    expect(byMarketing.statusCode).toBe(403)
    const removed = await manager.request({
      method: 'DELETE',
      url: `/api/v1/targets/${id}`,
      workspaceId,
    })
    expect(removed.statusCode).toBe(204)
    const gone = await manager.request({ method: 'GET', url: `/api/v1/targets/${id}`, workspaceId })
    expect(gone.statusCode).toBe(404)
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('workspaceId', '=', workspaceId)
      .where('targetId', '=', id)
      .orderBy('at')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['target.create', 'target.update', 'target.delete'])
  })
})

describe('progress', () => {
  /** A deal won by `ownerId` at `closedAt`, created at `createdAt`. */
  async function deal(ownerId: string, amount: number, currency: string, closedAt: string | null) {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/deals',
      workspaceId,
      payload: {
        name: `Deal ${amount}`,
        amount,
        currency,
        ownerId,
        stageId: pipeline.stage(closedAt ? 'Closed won' : 'Qualification'),
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json().data.id as string
    await t.ctx.db
      .updateTable('deals')
      .set({
        closedAt: closedAt ? new Date(closedAt) : null,
        createdAt: new Date('2026-03-02T15:00:00Z'),
      })
      .where('id', '=', id)
      .execute()
    return id
  }

  async function contactOf(ownerId: string | null) {
    const id = randomUUID()
    await t.ctx.db
      .insertInto('contacts')
      .values({ workspaceId, id, email: `${id}@example.com`, ownerId })
      .execute()
    return id
  }

  async function handoff(ownerId: string | null, createdAt: string) {
    const at = new Date(createdAt)
    await t.ctx.db
      .insertInto('handoffs')
      .values({
        workspaceId,
        id: randomUUID(),
        contactId: await contactOf(ownerId),
        ownerId,
        mqlSource: 'manual',
        mqlReason: 'test',
        createdAt: at,
        firstTouchDueAt: at,
        decisionDueAt: at,
        escalateAt: at,
      })
      .execute()
  }

  it("counts each metric in the period's local days, for the rep, the team while a member, and the company", async () => {
    // March 2026 in New York: 2026-03-01T05:00Z to 2026-04-01T04:00Z (DST starts on 8 March).
    await deal(repA, 1_000_00, 'USD', '2026-03-10T15:00:00Z')
    await deal(repA, 2_000_00, 'EUR', '2026-04-01T03:30:00Z') // 31 March, 23:30 local
    await deal(repA, 4_000_00, 'USD', '2026-04-01T04:30:00Z') // 1 April, 00:30 local
    await deal(repA, 8_000_00, 'USD', '2026-03-20T15:00:00Z') // after the move to West
    await deal(repB, 500_00, 'USD', '2026-03-05T15:00:00Z')
    await deal(repB, 300_00, 'USD', null) // open: pipeline only

    // A moves from East to West on 15 March: the trigger keeps the history; its times are set
    // here to the move's date.
    const moveOut = await owner.request({
      method: 'PATCH',
      url: `/api/v1/teams/${teamX}`,
      workspaceId,
      payload: { memberIds: [repB] },
    })
    expect(moveOut.statusCode, moveOut.body).toBe(200)
    const moveIn = await owner.request({
      method: 'PATCH',
      url: `/api/v1/teams/${teamY}`,
      workspaceId,
      payload: { memberIds: [repA] },
    })
    expect(moveIn.statusCode, moveIn.body).toBe(200)
    const history = await t.ctx.db
      .selectFrom('teamMemberHistory')
      .select(['teamId', 'userId', 'leftAt'])
      .where('workspaceId', '=', workspaceId)
      .where('userId', '=', repA)
      .execute()
    expect(history).toHaveLength(2)
    expect(history.find((h) => h.teamId === teamX)?.leftAt).not.toBeNull()
    expect(history.find((h) => h.teamId === teamY)?.leftAt).toBeNull()
    const eastHistory = await owner.request({
      method: 'GET',
      url: `/api/v1/teams/${teamX}/history`,
      workspaceId,
    })
    expect(eastHistory.statusCode, eastHistory.body).toBe(200)
    const stretches = eastHistory.json().data as { userId: string; leftAt: string | null }[]
    expect(stretches.find((h) => h.userId === repA)?.leftAt).not.toBeNull()
    expect(stretches.find((h) => h.userId === repB)?.leftAt).toBeNull()
    const moved = new Date('2026-03-15T16:00:00Z')
    await t.ctx.db
      .updateTable('teamMemberHistory')
      .set({ joinedAt: new Date('2026-01-01T00:00:00Z') })
      .where('workspaceId', '=', workspaceId)
      .where('teamId', '=', teamX)
      .execute()
    await t.ctx.db
      .updateTable('teamMemberHistory')
      .set({ leftAt: moved })
      .where('workspaceId', '=', workspaceId)
      .where('teamId', '=', teamX)
      .where('userId', '=', repA)
      .execute()
    await t.ctx.db
      .updateTable('teamMemberHistory')
      .set({ joinedAt: moved })
      .where('workspaceId', '=', workspaceId)
      .where('teamId', '=', teamY)
      .execute()

    await handoff(repA, '2026-03-03T15:00:00Z')
    await handoff(repA, '2026-03-31T15:00:00Z')
    await handoff(null, '2026-03-12T15:00:00Z') // unassigned: the company's only
    await handoff(repA, '2026-02-28T15:00:00Z') // February
    const sqlContact = await contactOf(repA)
    await t.ctx.db
      .insertInto('lifecycleEntries')
      .values({
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: sqlContact,
        stage: 'sql',
        enteredAt: new Date('2026-03-09T12:00:00Z'),
      })
      .execute()

    const set = async (subjectKind: string, subjectId: string | undefined, metric: string) => {
      const response = await post(owner, {
        subjectKind,
        subjectId,
        metric,
        period: '2026-03',
        amount: metric === 'revenue' || metric === 'pipeline_created' ? 10_000_00 : 4,
      })
      expect(response.statusCode, response.body).toBe(201)
      return response.json().data
    }
    // A: 1,000 + €2,000 × 1.5 + 8,000 = 12,000 (1 April's deal is out).
    expect(await set('rep', repA, 'revenue')).toMatchObject({ actual: 12_000_00, attainment: 1.2 })
    expect(await set('rep', repA, 'deals_won')).toMatchObject({ actual: 3, attainment: 0.75 })
    expect(await set('rep', repA, 'mqls')).toMatchObject({ actual: 2 })
    expect(await set('rep', repA, 'sqls')).toMatchObject({ actual: 1 })
    // East: A's 1,000 before the move, B's 500 (A's €2,000 and 8,000 came after it).
    expect(await set('team', teamX, 'deals_won')).toMatchObject({ actual: 2 })
    const west = await post(owner, {
      subjectKind: 'team',
      subjectId: teamY,
      metric: 'revenue',
      period: '2026-03',
      amount: 0,
    })
    expect(west.json().data).toMatchObject({ actual: 11_000_00, attainment: null })
    expect(await set('company', undefined, 'mqls')).toMatchObject({ actual: 3 })
    // Every deal was created on 2 March: 1,000 + 3,000 + 4,000 + 8,000 + 500 + 300.
    expect(await set('company', undefined, 'pipeline_created')).toMatchObject({
      actual: 16_800_00,
    })
    const east = await owner.request({
      method: 'GET',
      url: `/api/v1/targets?subjectKind=team&subjectId=${teamX}&on=2026-03-31`,
      workspaceId,
    })
    const eastActuals = east
      .json()
      .data.map((r: { metric: string; actual: number }) => [r.metric, r.actual])
    expect(eastActuals.sort()).toEqual([
      ['deals_won', 2],
      ['revenue', 1_500_00],
    ])
  })

  it('pages through targets in period order', async () => {
    const first = await owner.request({
      method: 'GET',
      url: '/api/v1/targets?limit=3',
      workspaceId,
    })
    expect(first.statusCode, first.body).toBe(200)
    const body = first.json()
    expect(body.data).toHaveLength(3)
    const rest = await owner.request({
      method: 'GET',
      url: `/api/v1/targets?limit=500&cursor=${body.nextCursor}`,
      workspaceId,
    })
    const all = [...body.data, ...rest.json().data].map((r: { startsOn: string }) => r.startsOn)
    expect(all).toEqual([...all].sort())
    expect(new Set(all.map(String)).size).toBeGreaterThan(2)
    const bad = await owner.request({ method: 'GET', url: '/api/v1/targets?cursor=x', workspaceId })
    expect(bad.statusCode).toBe(400)
  })
})
