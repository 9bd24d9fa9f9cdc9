import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { asA, asAInB, asB, b, notFound, t } from './world.ts'

/** A far-off month no other case plans for. */
const period = { periodKind: 'month', periodKey: '2031-07' }
const figures = {
  ...period,
  revenueTarget: 1_000_000,
  averageDealSize: 100_000,
  sqlToWonRate: 0.5,
  mqlToSqlRate: 0.5,
}

let bPlan: Promise<{ id: string }> | undefined

/** B's plan of 2031-07 and B's revenue target of that month (made once, on first use). */
function bPlanOnce() {
  bPlan ??= (async () => {
    await t.ctx.db
      .insertInto('targets')
      .values({
        workspaceId: b.workspaceId,
        id: randomUUID(),
        subjectKind: 'company',
        subjectId: '',
        metric: 'revenue',
        periodKind: 'month',
        periodKey: '2031-07',
        startsOn: '2031-07-01',
        endsOn: '2031-08-01',
        amount: 777_000,
      })
      .execute()
    const response = await asB('POST', '/api/v1/waterfall/plans', figures)
    if (response.statusCode !== 201) throw new Error(`setup failed: ${response.body}`)
    return response.json().data as { id: string }
  })()
  return bPlan
}

async function bPlanRow() {
  const { id } = await bPlanOnce()
  return t.ctx.db.selectFrom('waterfallPlans').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Issue 13: tenancy cases of the reverse-waterfall planner (one per /api/v1 operation). */
export const waterfallCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/waterfall/assumptions': async () => {
    await bPlanOnce()
    const url = '/api/v1/waterfall/assumptions?periodKind=month&periodKey=2031-07'
    notFound(await asAInB('GET', url))
    expect((await asB('GET', url)).json().data.revenueTarget).toBe(777_000)
    const inA = await asA('GET', url)
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data.revenueTarget).toBeNull()
  },
  'GET /api/v1/waterfall/plans': async () => {
    const { id } = await bPlanOnce()
    notFound(await asAInB('GET', '/api/v1/waterfall/plans'))
    const inA = await asA('GET', '/api/v1/waterfall/plans')
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data.map((p: { id: string }) => p.id)).not.toContain(id)
    const inB = await asB('GET', '/api/v1/waterfall/plans?periodKind=month&periodKey=2031-07')
    expect(inB.json().data.map((p: { id: string }) => p.id)).toEqual([id])
  },
  'POST /api/v1/waterfall/plans': async () => {
    const before = await bPlanRow()
    notFound(await asAInB('POST', '/api/v1/waterfall/plans', { ...figures, revenueTarget: 5 }))
    // A's plan of the same month is A's own; B's is untouched.
    const inA = await asA('POST', '/api/v1/waterfall/plans', { ...figures, revenueTarget: 5 })
    expect([200, 201]).toContain(inA.statusCode)
    expect(inA.json().data.id).not.toBe(before?.id)
    expect(await bPlanRow()).toEqual(before)
  },
  'GET /api/v1/waterfall/plans/{id}': async () => {
    const { id } = await bPlanOnce()
    notFound(await asA('GET', `/api/v1/waterfall/plans/${id}`))
    notFound(await asAInB('GET', `/api/v1/waterfall/plans/${id}`))
    expect((await asB('GET', `/api/v1/waterfall/plans/${id}`)).statusCode).toBe(200)
  },
  'POST /api/v1/waterfall/plans/{id}/agree': async () => {
    const before = await bPlanRow()
    const url = `/api/v1/waterfall/plans/${before?.id}/agree`
    notFound(await asA('POST', url, { side: 'sales' }))
    notFound(await asAInB('POST', url, { side: 'sales' }))
    expect(await bPlanRow()).toEqual(before)
  },
  'DELETE /api/v1/waterfall/plans/{id}/agree': async () => {
    const { id } = await bPlanOnce()
    const agreed = await asB('POST', `/api/v1/waterfall/plans/${id}/agree`, { side: 'sales' })
    expect(agreed.statusCode, agreed.body).toBe(200)
    const before = await bPlanRow()
    const url = `/api/v1/waterfall/plans/${id}/agree?side=sales`
    notFound(await asA('DELETE', url))
    notFound(await asAInB('DELETE', url))
    expect(await bPlanRow()).toEqual(before)
    expect(before?.salesAgreedAt).not.toBeNull()
  },
}
