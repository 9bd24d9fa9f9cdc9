import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { addMember, defaultPipeline, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

// A hand-built world in Auckland (UTC+13 in December), seen on Wednesday 2 December 2026 at
// 13:00 local (00:00 UTC): this ISO week runs Monday 30 November to Sunday 6 December, across a
// month boundary, and local days differ from UTC days.
const zone = 'Pacific/Auckland'
const now = new Date('2026-12-02T00:00:00Z')
const local = (iso: string) => DateTime.fromISO(iso, { zone }).toUTC().toISO() as string

let t: TestApp
let admin: Session
let rep: Session
let rep2: Session
let lead: Session
let manager: Session
let workspaceId: string
let teamId: string
let pipeline: Awaited<ReturnType<typeof defaultPipeline>>
const ids: Record<string, string> = {}

async function post(url: string, payload: Record<string, unknown>, by: Session = admin) {
  const response = await by.request({ method: 'POST', url, workspaceId, payload })
  if (response.statusCode !== 201 && response.statusCode !== 200) throw new Error(response.body)
  return response.json().data as { id: string; handoffId?: string }
}

const task = (subject: string, dueAt: string, ownerId: string) =>
  post('/api/v1/activities', {
    type: 'task',
    subject,
    dueAt: local(dueAt),
    ownerId,
    accountId: ids.account,
  })

async function deal(name: string, fields: Record<string, unknown>) {
  return (
    await post('/api/v1/deals', { name, stageId: pipeline.stage('Qualification'), ...fields })
  ).id
}

async function win(dealId: string) {
  const moved = await admin.request({
    method: 'PATCH',
    url: `/api/v1/deals/${dealId}`,
    workspaceId,
    payload: { stageId: pipeline.stage('Closed won') },
  })
  if (moved.statusCode !== 200) throw new Error(moved.body)
}

async function target(userId: string, metric: string, kind: string, key: string, range: string[]) {
  await t.ctx.db
    .insertInto('targets')
    .values({
      workspaceId,
      id: randomUUID(),
      subjectKind: 'rep',
      subjectId: userId,
      metric: metric as 'revenue',
      periodKind: kind as 'month',
      periodKey: key,
      startsOn: range[0] as string,
      endsOn: range[1] as string,
      amount: Number(range[2]),
    })
    .execute()
}

async function today(by: Session, query = '') {
  const response = await by.request({ method: 'GET', url: `/api/v1/today${query}`, workspaceId })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(now)
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t, 'Today Co'))
  await t.ctx.db
    .updateTable('workspaces')
    .set({ timeZone: zone })
    .where('id', '=', workspaceId)
    .execute()
  rep = await addMember(t, admin, workspaceId, 'sales')
  rep2 = await addMember(t, admin, workspaceId, 'sales')
  lead = await addMember(t, admin, workspaceId, 'sales')
  manager = await addMember(t, admin, workspaceId, 'sales_manager')
  pipeline = await defaultPipeline(admin, workspaceId)
  // `lead` is a plain rep who leads the team of rep and rep2.
  teamId = (
    await post('/api/v1/teams', {
      name: 'Pacific',
      managerId: lead.userId,
      memberIds: [rep.userId, rep2.userId, lead.userId],
    })
  ).id

  ids.account = (await post('/api/v1/accounts', { name: 'Kiwi Freight' })).id
  // Tasks: yesterday (overdue), the first second of today (due today, overdue by now), late today,
  // done today, tomorrow 00:30 local (still 1 December in UTC), another rep's, and a deleted one.
  ids.yesterday = (await task('Call back Ana', '2026-12-01T10:00', rep.userId)).id
  ids.early = (await task('Send the deck', '2026-12-02T00:00:01', rep.userId)).id
  ids.late = (await task('Prepare the demo', '2026-12-02T23:30', rep.userId)).id
  ids.done = (await task('Book the call', '2026-12-02T09:00', rep.userId)).id
  const done = await admin.request({
    method: 'PATCH',
    url: `/api/v1/activities/${ids.done}`,
    workspaceId,
    payload: { done: true },
  })
  if (done.statusCode !== 200) throw new Error(done.body)
  await task('Tomorrow', '2026-12-03T00:30', rep.userId)
  await task("Rep 2's task", '2026-12-01T09:00', rep2.userId)
  const gone = await task('Deleted', '2026-12-01T09:00', rep.userId)
  await admin.request({ method: 'DELETE', url: `/api/v1/activities/${gone.id}`, workspaceId })

  // Deals closing this week (30 Nov - 6 Dec), across the month boundary.
  ids.monday = await deal('Monday close', {
    ownerId: rep.userId,
    amount: 30000,
    closeDate: '2026-11-30',
  })
  ids.sunday = await deal('Sunday close', {
    ownerId: rep.userId,
    amount: 20000,
    closeDate: '2026-12-06',
  })
  await deal('Last week', { ownerId: rep.userId, amount: 1, closeDate: '2026-11-29' })
  await deal('Next week', { ownerId: rep.userId, amount: 1, closeDate: '2026-12-07' })
  await deal("Rep 2's deal", { ownerId: rep2.userId, amount: 1, closeDate: '2026-12-02' })
  ids.won = await deal('Won this week', {
    ownerId: rep.userId,
    amount: 100000,
    closeDate: '2026-12-03',
  })
  await win(ids.won)
  ids.won2 = await deal('Rep 2 won', { ownerId: rep2.userId, amount: 50000 })
  await win(ids.won2)

  // Product fit: below the default threshold (40), overridden, above it.
  ids.poor = await deal('Poor fit', { ownerId: rep.userId, amount: 5000 })
  ids.overridden = await deal('Overridden', { ownerId: rep.userId, amount: 5000 })
  ids.fine = await deal('Fine fit', { ownerId: rep.userId, amount: 5000 })
  const setFit = (id: string, productFit: number, extra: Record<string, unknown> = {}) =>
    t.ctx.db
      .updateTable('deals')
      .set({ productFit, ...extra })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
  await setFit(ids.poor, 25, {
    fitDetails: JSON.stringify([
      {
        productId: randomUUID(),
        productName: 'Arm',
        fit: 25,
        reasons: ['industry Retail not in Logistics'],
      },
    ]),
  })
  await setFit(ids.overridden, 10, {
    fitOverrideAt: now,
    fitOverrideBy: manager.userId,
    fitOverrideReason: 'pilot',
  })
  await setFit(ids.fine, 60)
  await setFit(ids.won, 5) // won: not a warning any more

  // Hot leads: scores planted as the scoring worker would write them.
  const contact = async (name: string, ownerId: string, stage = 'lead') =>
    (
      await post('/api/v1/contacts', {
        firstName: name,
        email: `${name.toLowerCase().replace(' ', '.')}-${randomUUID().slice(0, 8)}@example.com`,
        ownerId,
        lifecycleStage: stage,
      })
    ).id
  const score = (contactId: string, fitScore: number, engagement: number) =>
    t.ctx.db
      .insertInto('contactScores')
      .values({ workspaceId, contactId, fit: fitScore, engagement })
      .execute()
  ids.cool = await contact('Cool', rep.userId)
  ids.warm = await contact('Warm', rep.userId)
  ids.hot = await contact('Hot', rep.userId)
  await score(ids.cool, 90, 20)
  await score(ids.warm, 10, 80)
  await score(ids.hot, 60, 80)
  await score(await contact('Customer', rep.userId, 'customer'), 100, 100)
  await score(await contact('Other', rep2.userId), 100, 95)

  // Handoffs owned by rep: one with its first-touch window missed, one still running.
  for (const [key, name] of [
    ['late', 'Late Lead'],
    ['fresh', 'Fresh Lead'],
  ] as const) {
    const contactId = await contact(name, rep.userId)
    const marked = await post(`/api/v1/contacts/${contactId}/lifecycle`, {
      stage: 'mql',
      reason: 'Asked for pricing',
    })
    ids[`${key}Handoff`] = marked.handoffId as string
    await post(`/api/v1/handoffs/${marked.handoffId}/reassign`, { ownerId: rep.userId })
  }
  const due = (id: string, firstTouch: number, decision: number) =>
    t.ctx.db
      .updateTable('handoffs')
      .set({
        firstTouchDueAt: new Date(now.getTime() + firstTouch * 3600_000),
        decisionDueAt: new Date(now.getTime() + decision * 3600_000),
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
  await due(ids.lateHandoff as string, -2, 20)
  await due(ids.freshHandoff as string, 30, 60)

  // Targets: rep 100 000 of revenue this month (won 100 000: 100 %) and 2 deals won this week
  // (1: 50 %); rep 2 200 000 this month (won 50 000: 25 %); last month's target is not today's;
  // the lead has none.
  await target(rep.userId, 'revenue', 'month', '2026-12', ['2026-12-01', '2027-01-01', '100000'])
  await target(rep2.userId, 'revenue', 'month', '2026-12', ['2026-12-01', '2027-01-01', '200000'])
  await target(rep.userId, 'deals_won', 'week', '2026-W49', ['2026-11-30', '2026-12-07', '2'])
  await target(rep.userId, 'revenue', 'month', '2026-11', ['2026-11-01', '2026-12-01', '9'])
})
afterAll(async () => {
  vi.useRealTimers()
  await t?.close()
})

describe('GET /api/v1/today', () => {
  it("lists the rep's overdue and due-today tasks in the workspace's day, overdue first", async () => {
    const data = await today(rep)
    expect(data.today).toBe('2026-12-02')
    expect(data.week).toEqual({ key: '2026-W49', startsOn: '2026-11-30', endsOn: '2026-12-07' })
    expect(data.tasks.items.map((i: { id: string }) => i.id)).toEqual([
      ids.yesterday,
      ids.early,
      ids.late,
    ])
    expect(data.tasks.items.map((i: { isOverdue: boolean }) => i.isOverdue)).toEqual([
      true,
      true,
      false,
    ])
    expect(data.tasks.overdue).toBe(2)
    expect(data.tasks.dueLaterToday).toBe(1)
    // Due today: early, late and done (tomorrow 00:30 local is still 1 December in UTC: not today).
    expect(data.tasks.progress).toEqual({ done: 1, total: 3 })
  })

  it("moves today's task progress when a task is completed", async () => {
    const done = await rep.request({
      method: 'PATCH',
      url: `/api/v1/activities/${ids.late}`,
      workspaceId,
      payload: { done: true },
    })
    expect(done.statusCode, done.body).toBe(200)
    const data = await today(rep)
    expect(data.tasks.progress).toEqual({ done: 2, total: 3 })
    expect(data.tasks.items.map((i: { id: string }) => i.id)).toEqual([ids.yesterday, ids.early])
    expect(data.tasks.dueLaterToday).toBe(0)
  })

  it('shows open handoffs with their SLA clocks, the missed one first', async () => {
    const data = await today(rep)
    expect(data.handoffs.open).toBe(2)
    expect(data.handoffs.breached).toBe(1)
    const [late, fresh] = data.handoffs.items
    expect(late.id).toBe(ids.lateHandoff)
    expect(late.sla.firstTouch).toBe('missed')
    expect(late.sla.firstTouchDueAt).toBe('2026-12-01T22:00:00.000Z')
    expect(fresh.id).toBe(ids.freshHandoff)
    expect(fresh.sla.firstTouch).toBe('running')
    expect(fresh.sla.decision).toBe('running')
    expect(fresh.sla.firstTouchMinutesLeft).toBeGreaterThan(0)
  })

  it('ranks hot leads by engagement then fit, leaving out customers and other reps', async () => {
    const data = await today(rep)
    expect(data.hotLeads.map((c: { id: string }) => c.id)).toEqual([ids.hot, ids.warm, ids.cool])
    expect(data.hotLeads[0]).toMatchObject({ name: 'Hot', fit: 60, engagement: 80 })
  })

  it('lists open deals closing this ISO week, across the month boundary', async () => {
    const data = await today(rep)
    expect(data.closingThisWeek.items.map((d: { id: string }) => d.id)).toEqual([
      ids.monday,
      ids.sunday,
    ])
    expect(data.closingThisWeek.items[0]).toMatchObject({
      amount: 30000,
      closeDate: '2026-11-30',
      stage: { name: 'Qualification' },
    })
    expect(data.closingThisWeek.totalInBase).toBe(50000)
  })

  it('warns of open deals below the product-fit threshold that nobody overrode', async () => {
    const data = await today(rep)
    expect(data.poorFit.threshold).toBe(40)
    expect(data.poorFit.items).toHaveLength(1)
    expect(data.poorFit.items[0]).toMatchObject({
      id: ids.poor,
      productFit: 25,
      reasons: ['Arm: industry Retail not in Logistics'],
    })
  })

  it("shows progress against today's, this week's and this month's targets", async () => {
    const data = await today(rep)
    // November's target is not a period holding today.
    expect(
      data.targets.map(
        (p: {
          periodKind: string
          metric: string
          amount: number
          actual: number
          attainment: number
        }) => [p.periodKind, p.metric, p.amount, p.actual, p.attainment],
      ),
    ).toEqual([
      ['week', 'deals_won', 2, 1, 0.5],
      ['month', 'revenue', 100000, 100000, 1],
    ])
  })

  it("refuses another rep's Today to a plain rep, and allows it to their manager", async () => {
    const refused = await rep2.request({
      method: 'GET',
      url: `/api/v1/today?userId=${rep.userId}`,
      workspaceId,
    })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.message).toContain('userId')
    const byLead = await today(lead, `?userId=${rep.userId}`)
    expect(byLead.rep.id).toBe(rep.userId)
    expect(byLead.tasks.progress).toEqual({ done: 2, total: 3 })
    const byManager = await today(manager, `?userId=${rep2.userId}`)
    expect(byManager.tasks.items).toHaveLength(1)
    // The team's lead leads nobody else: the manager is not in their team.
    const notTheirs = await lead.request({
      method: 'GET',
      url: `/api/v1/today?userId=${manager.userId}`,
      workspaceId,
    })
    expect(notTheirs.statusCode).toBe(403)
    const unknown = await manager.request({
      method: 'GET',
      url: `/api/v1/today?userId=${randomUUID()}`,
      workspaceId,
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.message).toContain('userId')
  })

  it('gives a person with nothing to do an empty day', async () => {
    const data = await today(manager)
    expect(data.tasks).toMatchObject({ overdue: 0, progress: { done: 0, total: 0 }, items: [] })
    expect(data.handoffs.items).toEqual([])
    expect(data.hotLeads).toEqual([])
    expect(data.closingThisWeek.items).toEqual([])
    expect(data.poorFit.items).toEqual([])
    expect(data.targets).toEqual([])
  })
})

describe('GET /api/v1/today/team', () => {
  it('sums each rep of the team and ranks them by attainment', async () => {
    const response = await lead.request({ method: 'GET', url: '/api/v1/today/team', workspaceId })
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    expect(data.team).toMatchObject({ id: teamId, name: 'Pacific', manager: { id: lead.userId } })
    const row = (id: string) => data.reps.find((r: { rep: { id: string } }) => r.rep.id === id)
    expect(row(rep.userId)).toMatchObject({
      tasks: { overdue: 2, dueLaterToday: 0, progress: { done: 2, total: 3 } },
      openHandoffs: 2,
      breachedHandoffs: 1,
      closingThisWeek: 2,
      poorFitDeals: 1,
    })
    expect(row(rep.userId).monthTargets.map((p: { attainment: number }) => p.attainment)).toEqual([
      1,
    ])
    expect(row(rep2.userId)).toMatchObject({
      tasks: { overdue: 1 },
      openHandoffs: 0,
      closingThisWeek: 1,
      poorFitDeals: 0,
    })
    expect(data.leaderboard.metric).toBe('revenue')
    expect(data.leaderboard.period).toEqual({
      kind: 'month',
      key: '2026-12',
      startsOn: '2026-12-01',
      endsOn: '2027-01-01',
    })
    expect(
      data.leaderboard.rows.map(
        (r: { rank: number | null; rep: { id: string }; attainment: number | null }) => [
          r.rank,
          r.rep.id,
          r.attainment,
        ],
      ),
    ).toEqual([
      [1, rep.userId, 1],
      [2, rep2.userId, 0.25],
      [null, lead.userId, null],
    ])
  })

  it('ranks by another metric and period when asked', async () => {
    const response = await manager.request({
      method: 'GET',
      url: `/api/v1/today/team?teamId=${teamId}&period=week&metric=deals_won`,
      workspaceId,
    })
    expect(response.statusCode, response.body).toBe(200)
    const rows = response.json().data.leaderboard.rows
    expect(rows[0]).toMatchObject({ rank: 1, rep: { id: rep.userId }, amount: 2, actual: 1 })
    expect(rows.slice(1).map((r: { rank: number | null }) => r.rank)).toEqual([null, null])
  })

  it('refuses a team to a rep who does not manage it, and answers clearly for bad input', async () => {
    const refused = await rep.request({
      method: 'GET',
      url: `/api/v1/today/team?teamId=${teamId}`,
      workspaceId,
    })
    expect(refused.statusCode).toBe(403)
    const none = await rep.request({ method: 'GET', url: '/api/v1/today/team', workspaceId })
    expect(none.statusCode).toBe(400)
    expect(none.json().error.message).toContain('teamId')
    for (const query of ['teamId=pacific', `teamId=${teamId}&period=year`, 'metric=calls']) {
      const bad = await manager.request({
        method: 'GET',
        url: `/api/v1/today/team?${query}`,
        workspaceId,
      })
      expect(bad.statusCode, query).toBe(400)
    }
    const unknown = await manager.request({
      method: 'GET',
      url: `/api/v1/today/team?teamId=${randomUUID()}`,
      workspaceId,
    })
    expect(unknown.statusCode).toBe(404)
  })
})
