import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

// The workspace keeps the default calendar: UTC, fiscal year from January.
let t: TestApp
let admin: Session
let manager: Session
let otherManager: Session
let rep: Session
let otherRep: Session
let marketer: Session
let viewer: Session
let workspaceId: string
const month = DateTime.utc().toFormat('yyyy-MM')
const nextMonth = DateTime.utc().plus({ months: 1 }).toFormat('yyyy-MM')

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t, 'Forecast Co'))
  manager = await addMember(t, admin, workspaceId, 'sales_manager')
  otherManager = await addMember(t, admin, workspaceId, 'sales_manager')
  rep = await addMember(t, admin, workspaceId, 'sales')
  otherRep = await addMember(t, admin, workspaceId, 'sales')
  marketer = await addMember(t, admin, workspaceId, 'marketing')
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  for (const team of [
    { name: 'East', managerId: manager.userId, memberIds: [manager.userId, rep.userId] },
    { name: 'West', managerId: otherManager.userId, memberIds: [otherRep.userId] },
  ]) {
    const created = await admin.request({
      method: 'POST',
      url: '/api/v1/teams',
      workspaceId,
      payload: team,
    })
    if (created.statusCode !== 201) throw new Error(created.body)
  }
}, 60_000)
afterAll(async () => t.close())

const submit = (session: Session, payload: Record<string, unknown>) =>
  session.request({ method: 'POST', url: '/api/v1/forecast/submissions', workspaceId, payload })
const adjust = (session: Session, id: string, payload: Record<string, unknown>) =>
  session.request({
    method: 'POST',
    url: `/api/v1/forecast/submissions/${id}/adjust`,
    workspaceId,
    payload,
  })
const history = (session: Session, query: string) =>
  session.request({ method: 'GET', url: `/api/v1/forecast/submissions?${query}`, workspaceId })
const figures = { commit: 50_000_00, bestCase: 80_000_00, pipeline: 120_000_00 }

function expectError(
  response: { statusCode: number; json(): { error: { message: string } }; body: string },
  status: number,
  text: string,
) {
  expect(response.statusCode, response.body).toBe(status)
  expect(response.json().error.message).toContain(text)
}

/** A submission of a period long closed, written directly (the API refuses to). */
async function closedSubmission(repId: string) {
  const id = randomUUID()
  await t.ctx.db
    .insertInto('forecastSubmissions')
    .values({
      workspaceId,
      id,
      repId,
      periodKind: 'month',
      periodKey: '2020-01',
      startsOn: '2020-01-01',
      endsOn: '2020-02-01',
      kind: 'submission',
      commitAmount: 1,
      bestCaseAmount: 2,
      pipelineAmount: 3,
      submittedAt: new Date('2019-12-30T00:00:00Z'),
    })
    .execute()
  return id
}

describe('POST /api/v1/forecast/submissions', () => {
  it('keeps every submission: a resubmission is a new row, the history newest first', async () => {
    const first = await submit(rep, { periodKind: 'month', periodKey: month, ...figures })
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json().data).toMatchObject({
      kind: 'submission',
      adjustsId: null,
      rep: { id: rep.userId },
      periodKind: 'month',
      periodKey: month,
      startsOn: `${month}-01`,
      endsOn: `${nextMonth}-01`,
      ...figures,
      currency: 'USD',
      note: null,
      submittedBy: { id: rep.userId },
    })
    const second = await submit(rep, {
      periodKind: 'month',
      periodKey: month,
      ...figures,
      commit: 45_000_00,
      note: 'Globex slips to next month',
    })
    expect(second.statusCode, second.body).toBe(201)
    expect(second.json().data.id).not.toBe(first.json().data.id)

    const list = await history(viewer, `periodKind=month&periodKey=${month}&repId=${rep.userId}`)
    expect(list.statusCode, list.body).toBe(200)
    expect(list.json().data.map((s: { id: string; commit: number }) => [s.id, s.commit])).toEqual([
      [second.json().data.id, 45_000_00],
      [first.json().data.id, 50_000_00],
    ])
    expect(list.json().data[0].note).toBe('Globex slips to next month')
    // Audited.
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('workspaceId', '=', workspaceId)
      .where('targetId', '=', first.json().data.id)
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['forecast.submit'])
  })

  it('pages the history with a cursor', async () => {
    const page = await history(viewer, `repId=${rep.userId}&limit=1`)
    expect(page.json().data).toHaveLength(1)
    const cursor = page.json().nextCursor as string
    expect(cursor).toBeTruthy()
    const next = await history(viewer, `repId=${rep.userId}&limit=1&cursor=${cursor}`)
    expect(next.statusCode, next.body).toBe(200)
    expect(next.json().data[0].id).not.toBe(page.json().data[0].id)
    expectError(await history(viewer, 'cursor=bogus'), 400, 'cursor')
  })

  it('accepts a fiscal quarter key', async () => {
    const quarter = DateTime.utc().plus({ months: 3 })
    const key = `FY${quarter.year}-Q${Math.ceil(quarter.month / 3)}`
    const response = await submit(rep, { periodKind: 'quarter', periodKey: key, ...figures })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().data.periodKey).toBe(key)
  })

  it('refuses a period that has closed, naming it', async () => {
    const response = await submit(rep, { periodKind: 'month', periodKey: '2026-10', ...figures })
    if (DateTime.utc() >= DateTime.fromISO('2026-11-01', { zone: 'utc' })) {
      expectError(response, 409, 'period 2026-10 has closed')
    }
    expectError(
      await submit(rep, { periodKind: 'month', periodKey: '2020-01', ...figures }),
      409,
      'period 2020-01 has closed (its last day was 2020-01-31)',
    )
  })

  it('answers bad figures and period keys clearly', async () => {
    const base = { periodKind: 'month', periodKey: month, ...figures }
    expectError(await submit(rep, { ...base, bestCase: 1 }), 400, 'bestCase: must be at least')
    expectError(await submit(rep, { ...base, commit: -1 }), 400, 'commit')
    expectError(await submit(rep, { ...base, pipeline: 10.5 }), 400, 'pipeline')
    expectError(await submit(rep, { ...base, periodKey: '2026-13' }), 400, 'periodKey')
    expectError(await submit(rep, { ...base, periodKey: 'FY2027-Q5' }), 400, 'periodKey')
    expectError(
      await submit(rep, { ...base, periodKey: 'FY2027-Q1' }),
      400,
      'periodKey: FY2027-Q1 is a quarter, not a month',
    )
    expectError(await submit(rep, { ...base, periodKind: 'week' }), 400, 'periodKind')
  })

  it('lets a manager submit for a rep of their team, no one else for another rep', async () => {
    const forRep = await submit(manager, {
      periodKind: 'month',
      periodKey: month,
      ...figures,
      repId: rep.userId,
    })
    expect(forRep.statusCode, forRep.body).toBe(201)
    expect(forRep.json().data).toMatchObject({
      rep: { id: rep.userId },
      submittedBy: { id: manager.userId },
    })
    const base = { periodKind: 'month', periodKey: month, ...figures }
    expectError(await submit(otherRep, { ...base, repId: rep.userId }), 403, 'your own')
    expectError(await submit(otherManager, { ...base, repId: rep.userId }), 403, 'your own')
    expectError(await submit(marketer, base), 403, 'forecast:submit')
    expectError(await submit(viewer, base), 403, 'forecast:submit')
    expectError(
      await submit(manager, { ...base, repId: 'no-such-user' }),
      400,
      'repId: no member of this workspace',
    )
    expectError(await submit(admin, { ...base, repId: marketer.userId }), 400, 'repId:')
  })
})

describe('POST /api/v1/forecast/submissions/{id}/adjust', () => {
  let submissionId: string
  beforeAll(async () => {
    const response = await submit(rep, {
      periodKind: 'month',
      periodKey: nextMonth,
      ...figures,
      note: 'Three deals in commit',
    })
    submissionId = response.json().data.id
  })

  it('needs a note', async () => {
    expectError(await adjust(manager, submissionId, { commit: 40_000_00 }), 400, 'note')
    expectError(
      await adjust(manager, submissionId, { commit: 40_000_00, note: '   ' }),
      400,
      'note: a note saying why is required',
    )
  })

  it('is refused to a rep, and to a manager of another team', async () => {
    expectError(
      await adjust(rep, submissionId, { commit: 1, note: 'mine' }),
      403,
      'forecast:manage',
    )
    expectError(
      await adjust(otherManager, submissionId, { commit: 1, note: 'not mine' }),
      403,
      'You manage no team of',
    )
  })

  it("stores the team manager's adjustment beside the submission, keeping both", async () => {
    const response = await adjust(manager, submissionId, {
      commit: 40_000_00,
      note: 'Initech needs legal review: out of commit',
    })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json().data).toMatchObject({
      kind: 'adjustment',
      adjustsId: submissionId,
      rep: { id: rep.userId },
      periodKey: nextMonth,
      commit: 40_000_00,
      bestCase: figures.bestCase,
      pipeline: figures.pipeline,
      note: 'Initech needs legal review: out of commit',
      submittedBy: { id: manager.userId },
    })
    // An adjustment of the adjustment adjusts the same submission; an admin may adjust anyone's.
    const again = await adjust(admin, response.json().data.id, {
      commit: 42_000_00,
      note: 'Half of Initech back',
    })
    expect(again.statusCode, again.body).toBe(201)
    expect(again.json().data.adjustsId).toBe(submissionId)

    const list = await history(rep, `periodKind=month&periodKey=${nextMonth}`)
    expect(
      list.json().data.map((s: { kind: string; commit: number }) => [s.kind, s.commit]),
    ).toEqual([
      ['adjustment', 42_000_00],
      ['adjustment', 40_000_00],
      ['submission', 50_000_00],
    ])
  })

  it('keeps best case at least commit', async () => {
    expectError(
      await adjust(manager, submissionId, { commit: 90_000_00, note: 'More' }),
      400,
      'bestCase: must be at least commit',
    )
  })

  it('refuses a closed period and an unknown submission', async () => {
    const closedId = await closedSubmission(rep.userId)
    expectError(
      await adjust(manager, closedId, { commit: 1, note: 'too late' }),
      409,
      'period 2020-01 has closed',
    )
    expectError(await adjust(manager, randomUUID(), { note: 'who?' }), 404, 'not found')
    expectError(await adjust(manager, 'nope', { note: 'who?' }), 400, 'id')
  })
})

describe('GET /api/v1/forecast/submissions', () => {
  it('answers unknown reps and bad period keys clearly', async () => {
    expectError(await history(viewer, 'repId=no-such-user'), 404, 'repId')
    expectError(await history(viewer, 'periodKind=month&periodKey=2026-W48'), 400, 'periodKey')
    expectError(await history(viewer, 'periodKey=2026-11'), 400, 'periodKind: required')
  })
})
