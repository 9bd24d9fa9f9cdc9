import { sql } from 'kysely'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let viewer: Session
let workspaceId: string

/** Planted monthly leads: a rising trend and a season peaking in October, lowest in July. */
const season = [1.3, 1.2, 1.1, 1.0, 0.9, 0.7, 0.6, 0.7, 1.1, 1.4, 1.2, 0.9]
const planted: { month: string; leads: number }[] = []

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Outlook Co'))
  viewer = await addMember(t, owner, workspaceId, 'viewer')
  const timeZone = 'America/Chicago'
  const settings = await owner.request({
    method: 'PATCH',
    url: '/api/v1/workspace',
    workspaceId,
    payload: { timeZone },
  })
  expect(settings.statusCode, settings.body).toBe(200)
  // 36 complete months of leads, each month's on its 15th at noon local time.
  const current = DateTime.now().setZone(timeZone).startOf('month')
  for (let i = 36; i >= 1; i--) {
    const month = current.minus({ months: i })
    const leads = Math.round((60 + (36 - i) * 2) * (season[month.month - 1] ?? 1))
    planted.push({ month: month.toFormat('yyyy-MM'), leads })
    const at = month.set({ day: 15, hour: 12 }).toJSDate()
    await sql`
      with c as (
        insert into contacts (workspace_id, id, email, lifecycle_stage, created_at, updated_at)
        select ${workspaceId}::uuid, gen_random_uuid(), 'lead' || n || '-' || ${i} || '@outlook.example',
          'lead', ${at}, ${at}
        from generate_series(1, ${leads}) n
        returning id
      )
      insert into lifecycle_entries (workspace_id, id, entity, record_id, stage, entered_at)
      select ${workspaceId}::uuid, gen_random_uuid(), 'contact', c.id, 'lead', ${at} from c
    `.execute(t.ctx.db)
  }
  // A company MQL target for next month: drawn on the MQL chart even though MQLs have no history.
  const target = await owner.request({
    method: 'POST',
    url: '/api/v1/targets',
    workspaceId,
    payload: {
      subjectKind: 'company',
      metric: 'mqls',
      period: current.plus({ months: 1 }).toFormat('yyyy-MM'),
      amount: 80,
    },
  })
  expect(target.statusCode, target.body).toBe(201)
})
afterAll(async () => t.close())

const outlook = (session: Session, query = '') =>
  session.request({ method: 'GET', url: `/api/v1/telescope/outlook${query}`, workspaceId })

interface Point {
  month: string
  value: number
  lower80: number
  upper80: number
  lower95: number
  upper95: number
}

describe('the two-year outlook', () => {
  it('forecasts 24 months of leads with their season, nested intervals and a backtest', async () => {
    const response = await outlook(viewer)
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    expect(data.horizon).toBe(24)
    expect(data.lastCompleteMonth).toBe(planted.at(-1)?.month)
    const leads = data.series.find((s: { metric: string }) => s.metric === 'leads')
    // The history is the planted counts, month by month.
    expect(leads.history).toEqual(planted.map((p) => ({ month: p.month, value: p.leads })))
    expect(leads.model).toMatch(/^ETS\([AM],(N|A|Ad),[AM]\)$/)
    expect(leads.season).toBe(12)
    expect(leads.backtest.holdout).toBe(12)
    expect(leads.backtest.mape).toBeGreaterThan(0)
    expect(leads.backtest.mape).toBeLessThan(15)
    const forecast: Point[] = leads.forecast
    expect(forecast).toHaveLength(24)
    const current = DateTime.fromFormat(data.lastCompleteMonth, 'yyyy-MM').plus({ months: 1 })
    expect(forecast[0]?.month).toBe(current.toFormat('yyyy-MM'))
    for (const p of forecast) {
      expect(p.lower95).toBeGreaterThanOrEqual(0)
      expect(p.lower95).toBeLessThanOrEqual(p.lower80)
      expect(p.lower80).toBeLessThanOrEqual(p.value)
      expect(p.value).toBeLessThanOrEqual(p.upper80)
      expect(p.upper80).toBeLessThanOrEqual(p.upper95)
    }
    // The season comes back: next year's October above its July.
    const first12 = forecast.slice(0, 12)
    const october = first12.find((p) => p.month.endsWith('-10'))
    const july = first12.find((p) => p.month.endsWith('-07'))
    expect(october?.value).toBeGreaterThan((july?.value ?? 0) * 1.5)
  })

  it('says when a series has no history, and still draws its targets', async () => {
    const data = (await outlook(owner)).json().data
    const mqls = data.series.find((s: { metric: string }) => s.metric === 'mqls')
    expect(mqls.model).toBeNull()
    expect(mqls.forecast).toEqual([])
    expect(mqls.backtest).toBeNull()
    expect(mqls.notes.join(' ')).toMatch(/Not enough history/)
    const next = DateTime.fromFormat(data.lastCompleteMonth, 'yyyy-MM').plus({ months: 2 })
    expect(mqls.targets).toEqual([{ month: next.toFormat('yyyy-MM'), amount: 80 }])
    const revenue = data.series.find((s: { metric: string }) => s.metric === 'revenue')
    expect(revenue.unit).toBe('money')
    expect(data.currency).toBe('USD')
  })

  it('cuts to a 12-month horizon and refuses others with the field named', async () => {
    const twelve = await outlook(owner, '?horizon=12')
    expect(twelve.statusCode, twelve.body).toBe(200)
    const leads = twelve.json().data.series.find((s: { metric: string }) => s.metric === 'leads')
    expect(leads.forecast).toHaveLength(12)
    for (const bad of ['?horizon=6', '?horizon=25', '?horizon=abc', '?refresh=yes']) {
      const response = await outlook(owner, bad)
      expect(response.statusCode, bad).toBe(400)
      expect(response.json().error.message).toMatch(bad.includes('refresh') ? /refresh/ : /horizon/)
    }
  })

  it('keeps the day’s outlook until asked to compute it again', async () => {
    const first = (await outlook(owner)).json().data
    const again = (await outlook(owner)).json().data
    expect(again.computedAt).toBe(first.computedAt)
    const refreshed = (await outlook(owner, '?refresh=true')).json().data
    expect(Date.parse(refreshed.computedAt)).toBeGreaterThan(Date.parse(first.computedAt))
    expect(refreshed.series).toEqual(first.series)
  })
})
