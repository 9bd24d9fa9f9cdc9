import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, defaultPipeline, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { dayShare, periodOf } from '../../domain/calendar.ts'
import { lastMatureDay } from '../../domain/regret.ts'

let t: TestApp
let owner: Session
let rep: Session
let workspaceId: string
let pipeline: Awaited<ReturnType<typeof defaultPipeline>>
let calendar: { timeZone: string; fiscalYearStartMonth: number }
let currency: string
let month: DateTime
const now = DateTime.now()

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Leader Co'))
  rep = await addMember(t, owner, workspaceId, 'sales')
  pipeline = await defaultPipeline(owner, workspaceId)
  const ws = await t.ctx.db
    .selectFrom('workspaces')
    .select(['timeZone', 'fiscalYearStartMonth', 'baseCurrency'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  calendar = ws
  currency = ws.baseCurrency
  month = now.setZone(ws.timeZone).startOf('month')
})
afterAll(async () => t.close())

async function deal(
  stage: string,
  amount: number,
  values: { closedAt?: DateTime; closeDate?: string; lossReason?: string },
) {
  await t.ctx.db
    .insertInto('deals')
    .values({
      workspaceId,
      id: randomUUID(),
      name: `${stage} ${amount}`,
      pipelineId: pipeline.id,
      stageId: pipeline.stage(stage),
      amount,
      currency,
      closedAt: values.closedAt?.toJSDate() ?? null,
      closeDate: values.closeDate ?? null,
      lossReason: values.lossReason ?? null,
      marketingCouldHelp: values.lossReason ? 'no' : null,
    })
    .execute()
}

async function target(periodKind: 'month' | 'quarter', start: DateTime, amount: number) {
  const period = periodOf(periodKind, start.toJSDate(), calendar)
  await t.ctx.db
    .insertInto('targets')
    .values({
      workspaceId,
      id: randomUUID(),
      subjectKind: 'company',
      subjectId: '',
      metric: 'revenue',
      periodKind,
      periodKey: period.key,
      startsOn: DateTime.fromJSDate(period.start, {
        zone: calendar.timeZone,
      }).toISODate() as string,
      endsOn: DateTime.fromJSDate(period.end, { zone: calendar.timeZone }).toISODate() as string,
      amount,
    })
    .execute()
  return period
}

describe('GET /api/v1/leader', () => {
  it('is for admins: sales gets 403', async () => {
    const response = await rep.request({ method: 'GET', url: '/api/v1/leader', workspaceId })
    expect(response.statusCode).toBe(403)
  })

  it('refuses a months count out of range, naming it', async () => {
    const response = await owner.request({
      method: 'GET',
      url: '/api/v1/leader?months=40',
      workspaceId,
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/^querystring\.months: /)
  })

  it('shows revenue vs target, coverage and win rate on a tiny history', async () => {
    const sixAgo = month.minus({ months: 6 })
    await target('month', month, 500_000)
    const quarter = await target('quarter', sixAgo, 900_000)
    const justNow = DateTime.fromMillis(Math.max(month.toMillis() + 1, now.toMillis() - 1000))
    await deal('Closed won', 200_000, { closedAt: justNow })
    await deal('Closed won', 300_000, { closedAt: sixAgo.plus({ days: 3 }) })
    await deal('Closed lost', 50_000, { closedAt: justNow, lossReason: 'price' })
    await deal('Closed lost', 70_000, { closedAt: justNow, lossReason: 'poor_fit_walked_away' })
    const today = now.setZone(calendar.timeZone).toISODate() as string
    await deal('Proposal', 600_000, { closeDate: today })
    await deal('Proposal', 100_000, {
      closeDate: month.plus({ months: 1, days: 2 }).toISODate() as string,
    })
    // Overdue (closing before this month): not pipeline closing in the month.
    await deal('Proposal', 999_000, { closeDate: month.minus({ days: 1 }).toISODate() as string })

    const response = await owner.request({ method: 'GET', url: '/api/v1/leader', workspaceId })
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    expect(data.months).toHaveLength(12)
    expect(data.months.at(-1)).toBe(month.toFormat('yyyy-MM'))
    expect(data.revenue.value).toMatchObject({
      period: month.toFormat('yyyy-MM'),
      won: 200_000,
      target: 500_000,
      targetSource: 'month',
      attainment: 0.4,
    })
    // Six months ago has no month target: its day share of the quarter's 900,000.
    const share = dayShare(
      quarter,
      sixAgo.toJSDate(),
      sixAgo.plus({ months: 1 }).toJSDate(),
      calendar,
    )
    const past = data.revenue.series.find(
      (p: { period: string }) => p.period === sixAgo.toFormat('yyyy-MM'),
    )
    expect(past).toMatchObject({
      won: 300_000,
      target: Math.round(900_000 * share),
      targetSource: 'quarter',
    })
    expect(data.revenue.quarters).toEqual([
      expect.objectContaining({ period: quarter.key, target: 900_000 }),
    ])
    // 600,000 open this month ÷ (500,000 − 200,000 remaining) = 2; next month has no target.
    expect(data.coverage.series).toEqual([
      {
        period: month.toFormat('yyyy-MM'),
        openPipeline: 600_000,
        openDeals: 1,
        target: 500_000,
        achieved: 200_000,
        remaining: 300_000,
        value: 2,
      },
      {
        period: month.plus({ months: 1 }).toFormat('yyyy-MM'),
        openPipeline: 100_000,
        openDeals: 1,
        target: null,
        achieved: 0,
        remaining: null,
        value: null,
      },
    ])
    // Won 2, lost 1 (the walk-away is not a loss): 2 ÷ 3.
    expect(data.winRate).toMatchObject({ won: 2, lost: 1, walkedAway: 1 })
    expect(data.winRate.value).toBeCloseTo(2 / 3, 10)
    const reasons = data.insights.lossReasons.map((l: { reason: string }) => l.reason).sort()
    expect(reasons).toEqual(['poor_fit_walked_away', 'price'])
    expect(data.insights.note).toMatch(/not records/)
    expect(data.alignment.link).toBe('/bridge')
    // Regret counts mature won deals only (closed on or before today − 180 days): none regretted.
    expect(data.regret).toMatchObject({ regretted: 0, to: lastMatureDay(today) })
  })
})
