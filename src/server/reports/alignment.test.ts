import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { upsertMqlTarget } from '../mql/queries.ts'
import { computeAlignment } from './alignment.ts'
import type { AlignmentReport } from './alignment-types.ts'

// Hand-computed fixtures of the alignment index (DEFINITIONS.md "Alignment index"). Records are
// written directly, with exact times; "now" is Tuesday 10 November 2026, 12:00 in Chicago.
let t: TestApp
const now = new Date('2026-11-10T18:00:00Z')
const hour = 3_600_000

interface World {
  admin: Session
  workspaceId: string
}
let main: World
let repA: Session
let repB: Session

const at = (iso: string) => new Date(iso)
const plus = (iso: string, hours: number) => new Date(at(iso).getTime() + hours * hour)

async function contact(workspaceId: string, deleted = false) {
  const id = randomUUID()
  await t.ctx.db
    .insertInto('contacts')
    .values({ workspaceId, id, deletedAt: deleted ? at('2026-11-01T00:00:00Z') : null })
    .execute()
  return id
}

interface HandoffSpec {
  created: string
  owner?: Session | null
  /** First touch; the window is 4 hours from creation. */
  touched?: string
  status?: 'open' | 'accepted' | 'rejected'
  decided?: string
  reason?: string
  quality?: number
  campaignId?: string
}

async function handoff(workspaceId: string, spec: HandoffSpec) {
  const status = spec.status ?? 'open'
  await t.ctx.db
    .insertInto('handoffs')
    .values({
      workspaceId,
      id: randomUUID(),
      contactId: await contact(workspaceId),
      ownerId: spec.owner?.userId ?? null,
      campaignId: spec.campaignId ?? null,
      mqlSource: 'manual',
      mqlReason: 'Asked for a demo',
      status,
      createdAt: at(spec.created),
      firstTouchDueAt: plus(spec.created, 4),
      decisionDueAt: plus(spec.created, 48),
      escalateAt: plus(spec.created, 24),
      firstTouchAt: spec.touched ? at(spec.touched) : null,
      decidedAt: status === 'open' ? null : at(spec.decided ?? plus(spec.created, 1).toISOString()),
      rejectionReason: status === 'rejected' ? (spec.reason ?? 'not_icp') : null,
      rejectionOutcome: status === 'rejected' ? 'disqualify' : null,
      quality: spec.quality ?? null,
    })
    .execute()
}

async function deal(
  workspaceId: string,
  outcome: 'won' | 'lost',
  closed: string,
  couldHelp: 'yes' | 'no' | 'unsure' | null,
  deleted = false,
) {
  const stage = await t.ctx.db
    .selectFrom('stages')
    .select(['id', 'pipelineId'])
    .where('workspaceId', '=', workspaceId)
    .where(outcome === 'won' ? 'isWon' : 'isLost', '=', true)
    .executeTakeFirstOrThrow()
  await t.ctx.db
    .insertInto('deals')
    .values({
      workspaceId,
      id: randomUUID(),
      name: `Deal closed ${closed}`,
      pipelineId: stage.pipelineId,
      stageId: stage.id,
      currency: 'USD',
      closedAt: at(closed),
      marketingCouldHelp: couldHelp,
      lossReason: outcome === 'lost' ? 'price' : null,
      deletedAt: deleted ? at('2026-11-01T00:00:00Z') : null,
    })
    .execute()
}

/** A contact entering mql at `mql` (and again at each of `again`), and sql at `sql`. */
async function cohortMember(
  workspaceId: string,
  mql: string,
  sql?: string,
  options: { again?: string[]; deleted?: boolean } = {},
) {
  const recordId = await contact(workspaceId, options.deleted)
  const entries = [
    { stage: 'mql', enteredAt: at(mql), isReentry: false },
    ...(options.again ?? []).map((when) => ({
      stage: 'mql',
      enteredAt: at(when),
      isReentry: true,
    })),
    ...(sql ? [{ stage: 'sql', enteredAt: at(sql), isReentry: false }] : []),
  ]
  await t.ctx.db
    .insertInto('lifecycleEntries')
    .values(
      entries.map((e) => ({
        workspaceId,
        id: randomUUID(),
        entity: 'contact' as const,
        recordId,
        ...e,
      })),
    )
    .execute()
}

async function target(workspaceId: string, month: string, value: number) {
  await upsertMqlTarget(t.ctx.db, workspaceId, `${month}-01`, value)
}

async function newWorld(timeZone: string): Promise<World> {
  const { owner, workspaceId } = await makeWorkspace(t)
  await t.ctx.db.updateTable('workspaces').set({ timeZone }).where('id', '=', workspaceId).execute()
  // The default pipeline (with its won and lost stages) is made on the first read.
  const pipelines = await owner.request({ method: 'GET', url: '/api/v1/pipelines', workspaceId })
  expect(pipelines.statusCode, pipelines.body).toBe(200)
  return { admin: owner, workspaceId }
}

beforeAll(async () => {
  t = await createTestApp()
  main = await newWorld('America/Chicago')
  const ws = main.workspaceId
  repA = await addMember(t, main.admin, ws, 'sales')
  repB = await addMember(t, main.admin, ws, 'sales')

  // Handoffs. Chicago is UTC-5 until 1 November 2026, UTC-6 after.
  // August (outside every range below): met, accepted, rated.
  await handoff(ws, {
    created: '2026-08-20T15:00:00Z',
    owner: repA,
    touched: '2026-08-20T16:00:00Z',
    status: 'accepted',
    quality: 5,
  })
  // O5: 30 September 22:00 in Chicago → September. Met, accepted, not rated.
  await handoff(ws, {
    created: '2026-10-01T03:00:00Z',
    owner: repA,
    touched: '2026-10-01T04:00:00Z',
    status: 'accepted',
  })
  // October: O1 met, accepted, rated 4.
  await handoff(ws, {
    created: '2026-10-05T14:00:00Z',
    owner: repA,
    touched: '2026-10-05T15:00:00Z',
    status: 'accepted',
    quality: 4,
  })
  // O2 touched after the window (missed), rejected no_budget, not rated.
  await handoff(ws, {
    created: '2026-10-06T14:00:00Z',
    owner: repA,
    touched: '2026-10-06T20:00:00Z',
    status: 'rejected',
    reason: 'no_budget',
    decided: '2026-10-07T14:00:00Z',
  })
  // O3 untouched, open, the window long ended: missed.
  await handoff(ws, { created: '2026-10-07T14:00:00Z', owner: repB })
  // O4 rejected untouched before its window ended: not counted for the SLA; rated 2.
  await handoff(ws, {
    created: '2026-10-08T14:00:00Z',
    owner: repB,
    status: 'rejected',
    reason: 'not_icp',
    decided: '2026-10-08T15:00:00Z',
    quality: 2,
  })
  // O6: 31 October 23:00 in Chicago → October. Met, open.
  await handoff(ws, {
    created: '2026-11-01T04:00:00Z',
    owner: repA,
    touched: '2026-11-01T05:00:00Z',
  })
  // November: N1 untouched past its window (missed); N2's window still runs (not counted).
  await handoff(ws, { created: '2026-11-09T15:00:00Z', owner: repB })
  await handoff(ws, { created: '2026-11-10T17:00:00Z', owner: repB })

  // Deals lost in October: yes, unsure, unanswered, and (31 Oct in Chicago) no; a won one and a
  // deleted lost one do not count.
  await deal(ws, 'lost', '2026-10-20T15:00:00Z', 'yes')
  await deal(ws, 'lost', '2026-10-21T15:00:00Z', 'unsure')
  await deal(ws, 'lost', '2026-10-22T15:00:00Z', null)
  await deal(ws, 'won', '2026-10-23T15:00:00Z', null)
  await deal(ws, 'lost', '2026-10-24T15:00:00Z', 'yes', true)
  await deal(ws, 'lost', '2026-11-01T03:00:00Z', 'no')

  await target(ws, '2026-10', 4)
  await target(ws, '2026-11', 20)

  // MQL cohorts. March 1 of 1; April 1 of 2; May none; June 1 of 5 (one more reaches sql 91 days
  // later: too late); July 2 of 4; August 2 of 5 (one was sql before it was mql: not a
  // conversion); September 0 of 3 (one on 30 September in Chicago); October 1 of 4 (one contact
  // entering twice counts once; a deleted contact not at all).
  await cohortMember(ws, '2026-03-10T15:00:00Z', '2026-04-01T15:00:00Z')
  await cohortMember(ws, '2026-04-10T15:00:00Z', '2026-05-01T15:00:00Z')
  await cohortMember(ws, '2026-04-12T15:00:00Z')
  await cohortMember(ws, '2026-06-10T15:00:00Z', '2026-06-20T15:00:00Z')
  await cohortMember(ws, '2026-06-10T15:00:00Z', '2026-09-09T15:00:00Z')
  for (const day of ['11', '12', '13']) await cohortMember(ws, `2026-06-${day}T15:00:00Z`)
  await cohortMember(ws, '2026-07-10T15:00:00Z', '2026-07-20T15:00:00Z')
  await cohortMember(ws, '2026-07-11T15:00:00Z', '2026-10-08T15:00:00Z')
  await cohortMember(ws, '2026-07-12T15:00:00Z')
  await cohortMember(ws, '2026-07-13T15:00:00Z')
  await cohortMember(ws, '2026-08-10T15:00:00Z', '2026-08-20T15:00:00Z')
  await cohortMember(ws, '2026-08-11T15:00:00Z', '2026-09-20T15:00:00Z')
  await cohortMember(ws, '2026-08-12T15:00:00Z', '2026-07-01T15:00:00Z')
  await cohortMember(ws, '2026-08-13T15:00:00Z')
  await cohortMember(ws, '2026-08-14T15:00:00Z')
  await cohortMember(ws, '2026-09-15T15:00:00Z')
  await cohortMember(ws, '2026-09-20T15:00:00Z')
  await cohortMember(ws, '2026-10-01T02:00:00Z')
  await cohortMember(ws, '2026-10-03T15:00:00Z', '2026-10-25T15:00:00Z', {
    again: ['2026-10-20T15:00:00Z'],
  })
  await cohortMember(ws, '2026-10-10T15:00:00Z')
  await cohortMember(ws, '2026-10-11T15:00:00Z')
  await cohortMember(ws, '2026-10-12T15:00:00Z')
  await cohortMember(ws, '2026-10-13T15:00:00Z', '2026-10-20T15:00:00Z', { deleted: true })
}, 120_000)
afterAll(async () => t.close())

const report = (query: { from?: string; to?: string }, world = main) =>
  computeAlignment(t.ctx.db, world.workspaceId, query, now)
const part = (r: AlignmentReport, key: string) => r.parts.find((p) => p.key === key)

describe('alignment index: the parts of October 2026', () => {
  let r: AlignmentReport
  beforeAll(async () => {
    r = await report({ from: '2026-09-01', to: '2026-11-10' })
  })

  it('takes the last complete month as the index period', () => {
    expect(r.indexPeriod).toBe('2026-10')
    expect(r.timeZone).toBe('America/Chicago')
    expect(r.period).toBe('month')
    expect(r.parts.map((p) => p.key)).toEqual([
      'sla_attainment',
      'acceptance_rate',
      'mql_to_sql',
      'feedback_coverage',
      'marketing_commitment',
    ])
  })

  it('sla_attainment: first-touched in the window ÷ window ended or touched', () => {
    expect(part(r, 'sla_attainment')).toMatchObject({
      owner: 'sales',
      x: 0.5,
      value: 50,
      numerator: 2,
      denominator: 4,
      detail: '2 of 4 handoffs first-touched within the SLA window',
      link: '/bridge/records?kind=handoffs&from=2026-10-01&to=2026-10-31&month=2026-10',
      shortfallLink:
        '/bridge/records?kind=handoffs&from=2026-10-01&to=2026-10-31&sla=missed&month=2026-10',
    })
  })

  it('acceptance_rate: accepted ÷ decided', () => {
    const p = part(r, 'acceptance_rate')
    expect(p).toMatchObject({ owner: 'marketing', value: 33.3, numerator: 1, denominator: 3 })
    expect(p?.x).toBeCloseTo(1 / 3, 10)
    expect(p?.shortfallLink).toContain('status=rejected')
  })

  it('mql_to_sql: the cohort rate ÷ the median of the 6 months before', () => {
    // October 1 of 4 = 0.25; April 0.5, May none, June 0.2, July 0.5, August 0.4, September 0 →
    // median of 0, 0.2, 0.4, 0.5, 0.5 = 0.4 → x = 0.625.
    const p = part(r, 'mql_to_sql')
    expect(p).toMatchObject({ owner: 'both', value: 62.5, numerator: 1, denominator: 4 })
    expect(p?.x).toBeCloseTo(0.625, 10)
    expect(p?.detail).toBe(
      '1 of 4 new MQLs reached SQL within 90 days (25%), against a median of 40% over the 6 months before; the cohort is younger than 90 days, so these are its conversions so far',
    )
    expect(p?.link).toBe(
      '/bridge/records?kind=contacts&from=2026-10-01&to=2026-10-31&stage=mql&month=2026-10',
    )
    // September: 0 of 3 against the median of March-August (1, 0.5, 0.2, 0.5, 0.4 → 0.5): 0, not omitted.
    expect(p?.trend).toEqual([
      { period: '2026-09', value: 0 },
      { period: '2026-10', value: 62.5 },
      { period: '2026-11', value: null },
    ])
  })

  it('feedback_coverage: (rated decided handoffs + losses answered) ÷ (decided + losses)', () => {
    // Rated: O1, O4 of O1, O2, O4; losses answered: yes and no of 4 (the deleted one left out).
    const p = part(r, 'feedback_coverage')
    expect(p).toMatchObject({ owner: 'sales', value: 57.1, numerator: 4, denominator: 7 })
    expect(p?.detail).toBe(
      '4 of 7 with feedback: 2 of 3 decided handoffs rated, 2 of 4 lost deals saying whether marketing could have helped',
    )
    expect(p?.shortfallLink).toBe(
      '/bridge/records?kind=handoffs&from=2026-10-01&to=2026-10-31&status=decided&rated=no&month=2026-10',
    )
  })

  it('marketing_commitment: MQLs delivered ÷ target, x unclamped, value clamped', () => {
    expect(part(r, 'marketing_commitment')).toMatchObject({
      owner: 'marketing',
      x: 1.25,
      value: 100,
      numerator: 5,
      denominator: 4,
      detail: '5 MQLs delivered against a target of 4',
    })
  })

  it('the index is the mean of the parts present, per month', () => {
    // (50 + 33.3 + 62.5 + 57.1 + 100) ÷ 5 = 60.58.
    expect(r.index).toBe(60.6)
    // September: SLA 100, acceptance 100, MQL→SQL 0, feedback 0 of 1 (no target) → 50.
    // November so far: SLA 0 of 1, commitment 2 of 20 → (0 + 10) ÷ 2 = 5.
    expect(r.series).toEqual([
      { period: '2026-09', value: 50 },
      { period: '2026-10', value: 60.6 },
      { period: '2026-11', value: 5 },
    ])
    expect(part(r, 'sla_attainment')?.trend).toEqual([
      { period: '2026-09', value: 100 },
      { period: '2026-10', value: 50 },
      { period: '2026-11', value: 0 },
    ])
    expect(part(r, 'acceptance_rate')?.trend.at(-1)).toEqual({ period: '2026-11', value: null })
  })

  it('finds no problem where none passes its threshold', () => {
    expect(r.problems).toEqual([])
    expect(r.problemDetails).toEqual([])
  })
})

describe('alignment index: ranges', () => {
  it('uses to’s own month when to is its last day', async () => {
    const r = await report({ from: '2026-09-01', to: '2026-10-31' })
    expect(r.indexPeriod).toBe('2026-10')
    expect(r.index).toBe(60.6)
    expect(r.series.map((s) => s.period)).toEqual(['2026-09', '2026-10'])
  })

  it('counts the index month whole when the range lies inside the next month', async () => {
    const r = await report({ from: '2026-11-01', to: '2026-11-10' })
    expect(r.indexPeriod).toBe('2026-10')
    expect(r.index).toBe(60.6)
    expect(r.series).toEqual([{ period: '2026-11', value: 5 }])
    expect(part(r, 'sla_attainment')?.trend).toEqual([{ period: '2026-11', value: 0 }])
  })

  it('counts only the days in range of a month the range cuts', async () => {
    // From 6 October: O2, O3 missed, O6 met (O1 is on the 5th).
    const r = await report({ from: '2026-10-06', to: '2026-10-31' })
    expect(part(r, 'sla_attainment')).toMatchObject({
      numerator: 1,
      denominator: 3,
      link: '/bridge/records?kind=handoffs&from=2026-10-06&to=2026-10-31&month=2026-10',
    })
  })

  it('omits parts without data: an empty period has no parts and no index', async () => {
    const r = await report({ from: '2025-01-01', to: '2025-01-31' })
    expect(r).toMatchObject({
      index: null,
      indexPeriod: '2025-01',
      parts: [],
      series: [{ period: '2025-01', value: null }],
    })
  })

  it('a single record: one part, the index equal to it', async () => {
    const one = await newWorld('UTC')
    await handoff(one.workspaceId, {
      created: '2026-10-15T10:00:00Z',
      touched: '2026-10-15T11:00:00Z',
    })
    const r = await report({ from: '2026-10-01', to: '2026-10-31' }, one)
    expect(r.parts).toHaveLength(1)
    expect(r.parts[0]).toMatchObject({
      key: 'sla_attainment',
      label: 'SLA attainment',
      x: 1,
      value: 100,
      numerator: 1,
      denominator: 1,
      detail: '1 of 1 handoffs first-touched within the SLA window',
    })
    expect(r.index).toBe(100)
    expect(r.series).toEqual([{ period: '2026-10', value: 100 }])
  })
})

describe('alignment index: forecast_accuracy', () => {
  it("is 1 − WAPE of each ended month's commit submissions against what each rep won", async () => {
    const w = await newWorld('America/Chicago')
    const ws = w.workspaceId
    const x = await addMember(t, w.admin, ws, 'sales')
    const y = await addMember(t, w.admin, ws, 'sales')
    const won = await t.ctx.db
      .selectFrom('stages')
      .select(['id', 'pipelineId'])
      .where('workspaceId', '=', ws)
      .where('isWon', '=', true)
      .executeTakeFirstOrThrow()
    const wonDeal = (owner: Session, amount: number, closed: string) =>
      t.ctx.db
        .insertInto('deals')
        .values({
          workspaceId: ws,
          id: randomUUID(),
          name: `Won ${amount}`,
          pipelineId: won.pipelineId,
          stageId: won.id,
          amount,
          currency: 'USD',
          ownerId: owner.userId,
          forecastCategory: 'closed_won',
          closedAt: at(closed),
        })
        .execute()
    const submitted = (rep: Session, month: string, commit: number, when: string) =>
      t.ctx.db
        .insertInto('forecastSubmissions')
        .values({
          workspaceId: ws,
          id: randomUUID(),
          repId: rep.userId,
          periodKind: 'month',
          periodKey: month,
          startsOn: `${month}-01`,
          endsOn: `${month}-28`,
          kind: 'submission',
          commitAmount: commit,
          bestCaseAmount: commit,
          pipelineAmount: 0,
          submittedAt: at(when),
        })
        .execute()
    // October: x committed 1,000.00 before it began (a later 0.01 does not count) and won 800.00;
    // y committed 500.00 and won 600.00 (31 October 22:00 in Chicago). |200| + |100| of 1,400.
    await submitted(x, '2026-10', 100_000, '2026-09-25T15:00:00Z')
    await submitted(x, '2026-10', 1, '2026-10-05T15:00:00Z')
    await wonDeal(x, 80_000, '2026-10-15T15:00:00Z')
    await submitted(y, '2026-10', 50_000, '2026-09-28T15:00:00Z')
    await wonDeal(y, 60_000, '2026-11-01T03:00:00Z')
    // September: a commitment but nothing won (no WAPE); November has not ended.
    await submitted(x, '2026-09', 10_000, '2026-08-30T15:00:00Z')
    await submitted(x, '2026-11', 10_000, '2026-10-30T15:00:00Z')
    await wonDeal(x, 10_000, '2026-11-05T15:00:00Z')

    const r = await report({ from: '2026-09-01', to: '2026-11-10' }, w)
    expect(r.parts.map((p) => p.key)).toEqual(['forecast_accuracy'])
    const p = part(r, 'forecast_accuracy')
    expect(p).toMatchObject({
      owner: 'sales',
      label: 'Forecast accuracy',
      value: 78.6,
      numerator: 30_000,
      denominator: 140_000,
      detail:
        "2 reps' commits off by $300 in all against $1,400 won (WAPE 21.4%; each rep's last submission before the month began)",
      link: '/bridge/records?kind=deals&from=2026-10-01&to=2026-10-31&outcome=won&month=2026-10',
      shortfallLink: '/microscope/forecast?periodKind=month&periodKey=2026-10',
    })
    expect(p?.x).toBeCloseTo(1 - 30_000 / 140_000, 12)
    expect(p?.trend).toEqual([
      { period: '2026-09', value: null },
      { period: '2026-10', value: 78.6 },
      { period: '2026-11', value: null },
    ])
    expect(r.index).toBe(78.6)
  })
})

describe('alignment index: problems', () => {
  let w: World
  let r: AlignmentReport
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    w = await newWorld('UTC')
    const ws = w.workspaceId
    const rita = await addMember(t, w.admin, ws, 'sales')
    const dana = await addMember(t, w.admin, ws, 'sales')
    const sam = await addMember(t, w.admin, ws, 'sales')
    for (const [person, name] of [
      [rita, 'Rita Campbell'],
      [dana, 'Dana Reyes'],
      [sam, 'Sam Carter'],
    ] as const) {
      await t.ctx.db.updateTable('users').set({ name }).where('id', '=', person.userId).execute()
      ids[name] = person.userId
    }
    const campaign = await w.admin.request({
      method: 'POST',
      url: '/api/v1/campaigns',
      workspaceId: ws,
      payload: { name: 'Webinar Q3', channel: 'events', type: 'webinar' },
    })
    expect(campaign.statusCode, campaign.body).toBe(201)
    const campaignId = campaign.json().data.id as string
    ids.campaign = campaignId

    // Webinar Q3: 10 decided in October (6 no_budget, 2 not_icp, 2 accepted), all met by Rita.
    for (let i = 0; i < 10; i++) {
      const created = `2026-10-${String(i + 1).padStart(2, '0')}T10:00:00Z`
      const status = i < 8 ? 'rejected' : 'accepted'
      await handoff(ws, {
        created,
        owner: rita,
        touched: plus(created, 1).toISOString(),
        status,
        reason: i < 6 ? 'no_budget' : 'not_icp',
        decided: plus(created, 2).toISOString(),
        campaignId,
      })
    }
    // One more of the campaign, still open with its window running: not decided, not counted.
    await handoff(ws, { created: '2026-11-10T17:00:00Z', owner: rita, campaignId })
    // Dana: 4 open MQLs untouched past the window.
    for (const day of ['02', '03', '04', '05']) {
      await handoff(ws, { created: `2026-11-${day}T10:00:00Z`, owner: dana })
    }
    // Sam: 10 accepted in October, 2 touched in the window, 8 after it.
    for (let i = 0; i < 10; i++) {
      const created = `2026-10-${String(i + 12)}T10:00:00Z`
      await handoff(ws, {
        created,
        owner: sam,
        touched: plus(created, i < 2 ? 1 : 6).toISOString(),
        status: 'accepted',
        decided: plus(created, 7).toISOString(),
      })
    }
    // One MQL waiting unassigned (a mild problem, pushed out of the top 3).
    await handoff(ws, { created: '2026-11-10T12:00:00Z' })
    r = await report({}, w)
  })

  it('ranks the three biggest problems in plain words', () => {
    // Dana 50 + 5 × 4 = 70; the campaign 60% = 60; Sam 20% against the others' 10 of 14 (Rita 10
    // of 10, Dana 0 of 4) = 71.4%: a 51.4-point gap; the unassigned MQL (24) is fourth.
    expect(r.problems).toEqual([
      '4 MQLs of Dana Reyes unworked past the SLA',
      'Webinar Q3 leads: 60% rejected as no_budget',
      'Sam Carter met the first-touch window for 20% of handoffs (others 71%)',
    ])
    expect(r.problemDetails.map((p) => [p.owner, p.severity])).toEqual([
      ['sales', 70],
      ['marketing', 60],
      ['sales', 51.4],
    ])
  })

  it('links each problem to its records', () => {
    const [dana, campaign, sam] = r.problemDetails
    expect(dana?.link).toBe(
      `/bridge/records?kind=handoffs&from=2026-11-02&to=2026-11-10&ownerId=${ids['Dana Reyes']}&sla=unworked`,
    )
    expect(campaign?.link).toBe(
      `/bridge/records?kind=handoffs&from=2025-12-01&to=2026-11-10&campaignId=${ids.campaign}&status=rejected&reason=no_budget`,
    )
    expect(sam?.link).toBe(
      `/bridge/records?kind=handoffs&from=2026-08-13&to=2026-11-10&ownerId=${ids['Sam Carter']}&sla=missed`,
    )
  })

  it('the drill-down behind each problem link counts what the problem says', async () => {
    const expected = [4, 6, 8]
    for (const [i, problem] of r.problemDetails.entries()) {
      const query = problem.link.split('?')[1]
      const response = await w.admin.request({
        method: 'GET',
        url: `/api/v1/reports/records?${query}`,
        workspaceId: w.workspaceId,
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json().data.total, problem.text).toBe(expected[i])
    }
  })
})

describe('GET /api/v1/reports/alignment', () => {
  const get = (url: string) =>
    main.admin.request({ method: 'GET', url, workspaceId: main.workspaceId })

  it('answers the report in a data envelope', async () => {
    const response = await get(
      '/api/v1/reports/alignment?from=2026-09-01&to=2026-10-31&period=month',
    )
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    expect(data.indexPeriod).toBe('2026-10')
    expect(data.index).toBe(60.6)
    expect(data.parts).toHaveLength(5)
  })

  it('lets a viewer read it', async () => {
    const viewer = await addMember(t, main.admin, main.workspaceId, 'viewer')
    const response = await viewer.request({
      method: 'GET',
      url: '/api/v1/reports/alignment?from=2026-09-01&to=2026-10-31',
      workspaceId: main.workspaceId,
    })
    expect(response.statusCode, response.body).toBe(200)
  })

  it.each([
    ['period=week', 'period'],
    ['from=2026-10-10&to=2026-10-01', 'to'],
    ['from=2020-01-01&to=2026-10-01', 'to'],
    ['from=2026-13-01', 'from'],
  ])('refuses %s naming %s', async (query, field) => {
    const response = await get(`/api/v1/reports/alignment?${query}`)
    expect(response.statusCode, response.body).toBe(400)
    // Query errors read "querystring.<field>: …", range errors "<field>: …".
    expect(response.json().error.message).toMatch(new RegExp(`^(querystring\\.)?${field}: `))
  })

  it('needs a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/reports/alignment' })
    expect(response.statusCode).toBe(401)
  })
})
