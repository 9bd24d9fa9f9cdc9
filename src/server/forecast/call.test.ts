import { randomUUID } from 'node:crypto'
import type { Response as InjectResponse } from 'light-my-request'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, defaultPipeline, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { forecastCall } from './call.ts'

type CallData = Awaited<ReturnType<typeof forecastCall>>
type RepRow = CallData['reps'][number]

// A hand-built world around the current month P (UTC workspace, fiscal year from January, base
// USD, 1 EUR = 1.1 USD). Amounts are cents. Deals and past submissions are written directly, with
// exact dates; this month's submissions go through the API.
let t: TestApp
let admin: Session
let manager: Session
let repA: Session
let repB: Session
let repC: Session
let viewer: Session
let workspaceId: string
let east: string
let west: string
let pipeline: Awaited<ReturnType<typeof defaultPipeline>>

const P = DateTime.utc().startOf('month')
const key = (m: DateTime) => m.toFormat('yyyy-MM')
const inMonth = (m: DateTime, days: number) => m.plus({ days }).toISODate() as string

interface DealSpec {
  owner: Session | null
  stage: string
  amount: number
  currency?: string
  category?: 'pipeline' | 'best_case' | 'commit' | 'omitted'
  closeDate?: string
  closedAt?: DateTime
  deleted?: boolean
}

async function deal(spec: DealSpec) {
  const id = randomUUID()
  const won = spec.stage === 'Closed won'
  const lost = spec.stage === 'Closed lost'
  await t.ctx.db
    .insertInto('deals')
    .values({
      workspaceId,
      id,
      name: `${spec.stage} ${spec.amount}`,
      pipelineId: pipeline.id,
      stageId: pipeline.stage(spec.stage),
      amount: spec.amount,
      currency: spec.currency ?? 'USD',
      ownerId: spec.owner?.userId ?? null,
      forecastCategory: won ? 'closed_won' : lost ? 'omitted' : (spec.category ?? 'pipeline'),
      closeDate: spec.closeDate ?? null,
      closedAt: spec.closedAt ? spec.closedAt.toJSDate() : null,
      lossReason: lost ? 'price' : null,
      deletedAt: spec.deleted ? new Date() : null,
    })
    .execute()
  return id
}

async function pastSubmission(
  rep: Session,
  month: DateTime,
  submittedAt: DateTime,
  [commit, bestCase, pipelineAmount]: [number, number, number],
) {
  await t.ctx.db
    .insertInto('forecastSubmissions')
    .values({
      workspaceId,
      id: randomUUID(),
      repId: rep.userId,
      periodKind: 'month',
      periodKey: key(month),
      startsOn: month.toISODate() as string,
      endsOn: month.plus({ months: 1 }).toISODate() as string,
      kind: 'submission',
      commitAmount: commit,
      bestCaseAmount: bestCase,
      pipelineAmount: pipelineAmount,
      submittedBy: rep.userId,
      submittedAt: submittedAt.toJSDate(),
    })
    .execute()
}

async function target(kind: 'company' | 'team' | 'rep', subjectId: string, amount: number) {
  await t.ctx.db
    .insertInto('targets')
    .values({
      workspaceId,
      id: randomUUID(),
      subjectKind: kind,
      subjectId,
      metric: 'revenue',
      periodKind: 'month',
      periodKey: key(P),
      startsOn: P.toISODate() as string,
      endsOn: P.plus({ months: 1 }).toISODate() as string,
      amount,
    })
    .execute()
}

async function created(response: Promise<InjectResponse>) {
  const done = await response
  if (done.statusCode !== 201) throw new Error(done.body)
  return done.json().data
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t, 'Call Co'))
  manager = await addMember(t, admin, workspaceId, 'sales_manager')
  repA = await addMember(t, admin, workspaceId, 'sales')
  repB = await addMember(t, admin, workspaceId, 'sales')
  repC = await addMember(t, admin, workspaceId, 'sales')
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  pipeline = await defaultPipeline(admin, workspaceId)
  const rates = await admin.request({
    method: 'PUT',
    url: '/api/v1/exchange-rates',
    workspaceId,
    payload: { rates: [{ currency: 'EUR', rateToBase: 1.1 }] },
  })
  if (rates.statusCode !== 200) throw new Error(rates.body)
  const team = (payload: Record<string, unknown>) =>
    created(admin.request({ method: 'POST', url: '/api/v1/teams', workspaceId, payload }))
  east = (
    await team({
      name: 'East',
      managerId: manager.userId,
      memberIds: [manager.userId, repA.userId, repB.userId],
    })
  ).id
  west = (await team({ name: 'West', memberIds: [repC.userId] })).id

  // History behind the learned probabilities: one deal won in P−2 through Qualification and
  // Proposal: Qualification (1 + 10 × 0.1) ÷ 11 = 2/11, Proposal (1 + 10 × 0.55) ÷ 11 = 6.5/11.
  const history = await deal({
    owner: repA,
    stage: 'Closed won',
    amount: 50_000,
    closedAt: P.minus({ months: 2 }).plus({ days: 2 }),
  })
  const q = pipeline.stage('Qualification')
  const p = pipeline.stage('Proposal')
  const w = pipeline.stage('Closed won')
  await t.ctx.db
    .insertInto('dealStageChanges')
    .values(
      [
        [null, q],
        [q, p],
        [p, w],
      ].map(([from, to], i) => ({
        workspaceId,
        id: randomUUID(),
        dealId: history,
        fromStageId: from ?? null,
        toStageId: to as string,
        changedAt: P.minus({ months: 3 }).plus({ days: i }).toJSDate(),
      })),
    )
    .execute()

  // P's deals. repA: commit 10,000 (Proposal), best case €20,000 = 22,000 (Demo), pipeline
  // 5,000 (Qualification), won 30,000; left out: omitted, closing next month, lost, deleted.
  const closing = inMonth(P, 10)
  await deal({
    owner: repA,
    stage: 'Proposal',
    amount: 10_000,
    category: 'commit',
    closeDate: closing,
  })
  await deal({
    owner: repA,
    stage: 'Demo',
    amount: 20_000,
    currency: 'EUR',
    category: 'best_case',
    closeDate: closing,
  })
  await deal({
    owner: repA,
    stage: 'Qualification',
    amount: 5_000,
    closeDate: P.toISODate() as string,
  })
  await deal({ owner: repA, stage: 'Closed won', amount: 30_000, closedAt: P.plus({ hours: 1 }) })
  await deal({
    owner: repA,
    stage: 'Demo',
    amount: 99_900,
    category: 'omitted',
    closeDate: closing,
  })
  await deal({
    owner: repA,
    stage: 'Discovery',
    amount: 77_700,
    category: 'commit',
    closeDate: P.plus({ months: 1 }).toISODate() as string,
  })
  await deal({ owner: repA, stage: 'Closed lost', amount: 66_600, closedAt: P.plus({ hours: 2 }) })
  await deal({
    owner: repA,
    stage: 'Negotiation',
    amount: 55_500,
    category: 'commit',
    closeDate: closing,
    deleted: true,
  })
  // repB: commit 40,000 (Negotiation 0.75), won 5,000. repC: pipeline 8,000 (Discovery 0.2).
  // No one's: pipeline 1,000 (Demo 0.35).
  await deal({
    owner: repB,
    stage: 'Negotiation',
    amount: 40_000,
    category: 'commit',
    closeDate: closing,
  })
  await deal({ owner: repB, stage: 'Closed won', amount: 5_000, closedAt: P.plus({ days: 1 }) })
  await deal({ owner: repC, stage: 'Discovery', amount: 8_000, closeDate: closing })
  await deal({ owner: null, stage: 'Demo', amount: 1_000, closeDate: closing })

  await target('rep', repA.userId, 100_000)
  await target('rep', repB.userId, 40_000)
  await target('team', east, 150_000)
  await target('company', '', 200_000)

  // Past periods. repA: P−2 submitted before it started (70,000 / 80,000 / 100,000) and again
  // after it started (ignored); won 50,000 (the history deal). P−1: 20,000 / 30,000 / 40,000,
  // won 10,000. repB: P−1 15,000 / 20,000 / 30,000, won €10,000 = 11,000; P−3 won with no
  // submission (left out).
  const P1 = P.minus({ months: 1 })
  const P2 = P.minus({ months: 2 })
  await pastSubmission(repA, P2, P2.minus({ days: 1 }), [70_000, 80_000, 100_000])
  await pastSubmission(repA, P2, P2.plus({ days: 1 }), [50_000, 50_000, 50_000])
  await pastSubmission(repA, P1, P1.minus({ days: 3 }), [20_000, 30_000, 40_000])
  await deal({ owner: repA, stage: 'Closed won', amount: 10_000, closedAt: P1.plus({ days: 5 }) })
  await pastSubmission(repB, P1, P1.minus({ days: 2 }), [15_000, 20_000, 30_000])
  await deal({
    owner: repB,
    stage: 'Closed won',
    amount: 10_000,
    currency: 'EUR',
    closedAt: P1.plus({ days: 6 }),
  })
  await deal({
    owner: repB,
    stage: 'Closed won',
    amount: 99_000,
    closedAt: P.minus({ months: 3 }).plus({ days: 3 }),
  })

  // This month: repA submits, the manager adjusts with a note; repB submits twice.
  const submit = (rep: Session, commit: number, bestCase: number, pipelineAmount: number) =>
    created(
      rep.request({
        method: 'POST',
        url: '/api/v1/forecast/submissions',
        workspaceId,
        payload: {
          periodKind: 'month',
          periodKey: key(P),
          commit,
          bestCase,
          pipeline: pipelineAmount,
        },
      }),
    )
  const a = await submit(repA, 60_000, 90_000, 120_000)
  await created(
    manager.request({
      method: 'POST',
      url: `/api/v1/forecast/submissions/${a.id}/adjust`,
      workspaceId,
      payload: { commit: 45_000, note: 'The euro deal slips' },
    }),
  )
  await submit(repB, 50_000, 50_000, 0)
  await submit(repB, 45_000, 50_000, 0)
}, 120_000)
afterAll(async () => t.close())

const call = async (session: Session, query = ''): Promise<CallData> => {
  const response = await session.request({
    method: 'GET',
    url: `/api/v1/forecast/call${query}`,
    workspaceId,
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}
const repRow = (data: CallData, rep: Session) =>
  data.reps.find((r) => r.rep.id === rep.userId) as RepRow

describe('GET /api/v1/forecast/call', () => {
  let data: CallData
  beforeAll(async () => {
    data = await call(viewer)
  })

  it('defaults to the current month, open', () => {
    expect(data.period).toMatchObject({
      kind: 'month',
      key: key(P),
      startsOn: P.toISODate(),
      endsOn: P.plus({ months: 1 }).toISODate(),
      closed: false,
      timeZone: 'UTC',
    })
    expect(data.baseCurrency).toBe('USD')
    expect(data.missingRates).toEqual([])
    expect(data.accuracyPeriods).toEqual([6, 5, 4, 3, 2, 1].map((n) => key(P.minus({ months: n }))))
  })

  it("shows a rep's submission, the manager's adjustment with its note, and the figure that counts", () => {
    const a = repRow(data, repA)
    expect(a.submission).toMatchObject({ commit: 60_000, bestCase: 90_000, pipeline: 120_000 })
    expect(a.adjustment).toMatchObject({
      commit: 45_000,
      bestCase: 90_000,
      note: 'The euro deal slips',
      submittedBy: { id: manager.userId },
      adjustsId: a.submission?.id,
    })
    expect(a.effective).toEqual({
      commit: 45_000,
      bestCase: 90_000,
      pipeline: 120_000,
      source: 'adjustment',
    })
    const b = repRow(data, repB)
    expect(b.submission?.commit).toBe(45_000)
    expect(b.adjustment).toBeNull()
    expect(b.effective).toMatchObject({ commit: 45_000, source: 'submission' })
    expect(repRow(data, repC).submission).toBeNull()
  })

  it('adds up the deals behind each number, in the base currency', () => {
    const a = repRow(data, repA)
    expect(a.categories).toEqual({
      commit: { amount: 10_000, count: 1 },
      best_case: { amount: 22_000, count: 1 },
      pipeline: { amount: 5_000, count: 1 },
      closed_won: { amount: 30_000, count: 1 },
    })
    expect(a.openPipeline).toBe(37_000)
    expect(a.won).toBe(30_000)
    // 10,000 × 6.5/11 + 22,000 × 0.35 + 5,000 × 2/11 = 75,000/11 + 7,700 = 14,518.18…
    expect(a.weighted).toBe(14_518)
    expect(a.target).toBe(100_000)
    // 37,000 ÷ (100,000 − 30,000).
    expect(a.coverage).toBeCloseTo(37_000 / 70_000, 12)
    const dealsOfA = data.deals.filter((d) => d.ownerId === repA.userId)
    expect(dealsOfA.map((d) => [d.bucket, d.amountInBase])).toEqual([
      ['closed_won', 30_000],
      ['best_case', 22_000],
      ['commit', 10_000],
      ['pipeline', 5_000],
    ])
    const euro = dealsOfA.find((d) => d.currency === 'EUR')
    expect(euro).toMatchObject({ amount: 20_000, stageName: 'Demo', probability: 0.35 })
    expect(euro?.weighted).toBeCloseTo(7_700, 9)

    const b = repRow(data, repB)
    expect(b).toMatchObject({ weighted: 30_000, won: 5_000, target: 40_000, openPipeline: 40_000 })
    expect(b.coverage).toBeCloseTo(40_000 / 35_000, 12)
    const c = repRow(data, repC)
    expect(c).toMatchObject({ weighted: 1_600, target: null, coverage: null })
  })

  it('rolls up by team and for the company', () => {
    expect(data.teams.map((t: { team: { name: string } }) => t.team.name)).toEqual(['East', 'West'])
    const eastRow = data.teams[0] as CallData['teams'][number]
    expect(eastRow.repIds.sort()).toEqual([manager.userId, repA.userId, repB.userId].sort())
    expect(eastRow.submitted).toEqual({
      commit: 105_000,
      bestCase: 140_000,
      pipeline: 120_000,
      reps: 2,
    })
    expect(eastRow.effective).toEqual({
      commit: 90_000,
      bestCase: 140_000,
      pipeline: 120_000,
      reps: 2,
    })
    expect(eastRow.categories).toEqual({
      commit: { amount: 50_000, count: 2 },
      best_case: { amount: 22_000, count: 1 },
      pipeline: { amount: 5_000, count: 1 },
      closed_won: { amount: 35_000, count: 2 },
    })
    // 14,518.18 + 30,000.
    expect(eastRow).toMatchObject({ weighted: 44_518, won: 35_000, target: 150_000 })
    expect(eastRow.coverage).toBeCloseTo(77_000 / 115_000, 12)
    expect(data.teams[1]).toMatchObject({ weighted: 1_600, target: null, submitted: null })

    // The company counts the deal no one owns too: pipeline 5,000 + 8,000 + 1,000.
    const company = data.company
    expect(company.categories.pipeline).toEqual({ amount: 14_000, count: 3 })
    expect(company).toMatchObject({ openPipeline: 86_000, won: 35_000, target: 200_000 })
    // 44,518.18 + 1,600 + 350.
    expect(company.weighted).toBe(46_468)
    expect(company.coverage).toBeCloseTo(86_000 / 165_000, 12)
    expect(company.effective).toEqual({
      commit: 90_000,
      bestCase: 140_000,
      pipeline: 120_000,
      reps: 2,
    })
  })

  it('measures accuracy per rep and category over the closed months', () => {
    const a = repRow(data, repA).accuracy
    // commit: |70,000 − 50,000| + |20,000 − 10,000| = 30,000 of 60,000 won → 0.5.
    expect(a.commit).toEqual({
      accuracy: 0.5,
      periods: 2,
      forecast: 90_000,
      actual: 60_000,
      error: 30_000,
    })
    // best case: 30,000 + 20,000 → 1 − 50,000/60,000; pipeline 50,000 + 30,000 → 1 − 80,000/60,000.
    expect(a.bestCase.accuracy).toBeCloseTo(1 / 6, 12)
    expect(a.pipeline.accuracy).toBeCloseTo(-1 / 3, 12)
    // repB: |15,000 − 11,000| of 11,000; the month won without a submission is left out.
    const b = repRow(data, repB).accuracy
    expect(b.commit).toMatchObject({ periods: 1, actual: 11_000, error: 4_000 })
    expect(b.commit.accuracy).toBeCloseTo(7 / 11, 12)
    expect(repRow(data, repC).accuracy.commit).toEqual({
      accuracy: null,
      periods: 0,
      forecast: 0,
      actual: 0,
      error: 0,
    })
    // Pooled: 34,000 of 71,000.
    expect(data.teams[0]?.accuracy.commit.accuracy).toBeCloseTo(1 - 34_000 / 71_000, 12)
    expect(data.company.accuracy.commit.accuracy).toBeCloseTo(1 - 34_000 / 71_000, 12)
  })

  it("says who may submit and adjust: the rep their own, the team's manager their reps'", async () => {
    expect(data.canSubmit).toBe(false)
    expect(repRow(data, repA)).toMatchObject({ canSubmit: false, canAdjust: false })
    const asManager = await call(manager)
    expect(repRow(asManager, repA)).toMatchObject({ canAdjust: true })
    expect(repRow(asManager, repC)).toMatchObject({ canAdjust: false })
    const asRep = await call(repA)
    expect(asRep.canSubmit).toBe(true)
    expect(repRow(asRep, repA)).toMatchObject({ canSubmit: true, canAdjust: false })
    expect(repRow(await call(admin), repB).canAdjust).toBe(true)
  })

  it("shows one team's reps and roll-up, the company's still whole", async () => {
    const westOnly = await call(viewer, `?teamId=${west}`)
    expect(westOnly.team).toEqual({ id: west, name: 'West' })
    expect(westOnly.reps.map((r: { rep: { id: string } }) => r.rep.id)).toEqual([repC.userId])
    expect(westOnly.teams.map((r: { team: { id: string } }) => r.team.id)).toEqual([west])
    expect(westOnly.company.openPipeline).toBe(86_000)
  })

  it('reads a closed month, nothing open to submit or adjust', async () => {
    const last = await call(manager, `?periodKind=month&periodKey=${key(P.minus({ months: 1 }))}`)
    expect(last.period.closed).toBe(true)
    expect(repRow(last, repA)).toMatchObject({ won: 10_000, canAdjust: false })
    expect(repRow(last, repB).won).toBe(11_000)
    expect(last.canSubmit).toBe(false)
  })

  it('counts a rep moved mid-period in the team they were in at the period end', async () => {
    // Last month repC was in East for ten days, then moved to West (history kept).
    const last = P.minus({ months: 1 })
    const moved = last.plus({ days: 10 }).toJSDate()
    await t.ctx.db
      .insertInto('teamMemberHistory')
      .values([
        {
          workspaceId,
          teamId: east,
          userId: repC.userId,
          joinedAt: last.toJSDate(),
          leftAt: moved,
        },
        { workspaceId, teamId: west, userId: repC.userId, joinedAt: moved, leftAt: null },
      ])
      .execute()
    const closed = await call(viewer, `?periodKind=month&periodKey=${key(last)}`)
    expect(closed.teams.map((r) => [r.team.name, r.repIds])).toEqual([['West', [repC.userId]]])
    expect(repRow(closed, repC).teams).toEqual([{ id: west, name: 'West' }])
  })

  it('answers bad periods and unknown teams clearly', async () => {
    const bad = async (query: string, status: number, text: string) => {
      const response = await viewer.request({
        method: 'GET',
        url: `/api/v1/forecast/call${query}`,
        workspaceId,
      })
      expect(response.statusCode, response.body).toBe(status)
      expect(response.json().error.message).toContain(text)
    }
    await bad('?periodKey=2026-W48', 400, 'periodKey')
    await bad('?periodKind=quarter&periodKey=2026-11', 400, 'periodKey: 2026-11 is a month')
    await bad('?periodKind=day', 400, 'periodKind')
    await bad(`?teamId=${randomUUID()}`, 404, 'teamId')
    await bad('?teamId=east', 400, 'teamId')
  })
})
