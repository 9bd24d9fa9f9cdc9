import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { addMonths, currentMonth, monthsBetween } from './months.ts'
import { defaultMqlRules, isMqlByScore, loadMqlRules } from './rules.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Funnel Co'))
})
afterAll(async () => t.close())

const send = (
  as: Session,
  method: 'GET' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
) => as.request({ method, url, workspaceId, ...(payload ? { payload } : {}) })

describe('isMqlByScore', () => {
  const rules = { fitMin: 50, engagementMin: 60, predictiveInCharge: false, predictiveMin: 0.3 }
  const cases: [
    string,
    Partial<typeof rules>,
    [number | null, number | null, number | null],
    boolean,
  ][] = [
    ['both thresholds met, at the limit', {}, [50, 60, null], true],
    ['fit below', {}, [49, 90, null], false],
    ['engagement below', {}, [90, 59, null], false],
    ['not scored yet', {}, [null, 90, null], false],
    ['rules ignore the probability while the model is not in charge', {}, [10, 10, 0.99], false],
    ['model in charge: probability at P', { predictiveInCharge: true }, [0, 0, 0.3], true],
    ['model in charge: probability below P', { predictiveInCharge: true }, [90, 90, 0.29], false],
    [
      'model in charge, no prediction: the rules apply',
      { predictiveInCharge: true },
      [90, 90, null],
      true,
    ],
  ]
  for (const [name, override, [fit, engagement, predictive], expected] of cases) {
    it(name, () => {
      expect(isMqlByScore({ ...rules, ...override }, { fit, engagement, predictive })).toBe(
        expected,
      )
    })
  }
})

describe('months', () => {
  it('turns the month at midnight in the workspace time zone', () => {
    const instant = new Date('2026-12-31T23:30:00Z')
    expect(currentMonth('UTC', instant)).toBe('2026-12')
    expect(currentMonth('Europe/Zurich', instant)).toBe('2027-01')
    expect(addMonths('2026-11', 2)).toBe('2027-01')
    expect(monthsBetween('2026-11', '2027-02')).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ])
  })
})

describe('MQL rules', () => {
  it('answers the defaults before anyone changed them', async () => {
    const response = await send(owner, 'GET', '/api/v1/mql/rules')
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toEqual({
      fitMin: 50,
      engagementMin: 50,
      predictiveInCharge: false,
      predictiveMin: 0.3,
      highIntentForms: true,
      updatedAt: null,
    })
    expect(await loadMqlRules(t.ctx.db, workspaceId)).toEqual(defaultMqlRules)
  })

  it('changes the thresholds, keeps the rest and audits the change', async () => {
    const response = await send(owner, 'PATCH', '/api/v1/mql/rules', {
      fitMin: 70,
      predictiveMin: 0.4567,
      highIntentForms: false,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data).toMatchObject({
      fitMin: 70,
      engagementMin: 50,
      predictiveMin: 0.457,
      highIntentForms: false,
    })
    const loaded = await loadMqlRules(t.ctx.db, workspaceId)
    expect(loaded).toMatchObject({ fitMin: 70, predictiveMin: 0.457, highIntentForms: false })
    expect(typeof loaded.predictiveMin).toBe('number')
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('details')
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'mql_rules.update')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]?.details).toMatchObject({ fitMin: { from: 50, to: 70 } })
  })

  it('names the field of a bad threshold and stores nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ fitMin: 101 }, 'body.fitMin'],
      [{ engagementMin: -1 }, 'body.engagementMin'],
      [{ fitMin: 12.5 }, 'body.fitMin'],
      [{ predictiveMin: 1.5 }, 'body.predictiveMin'],
      [{ highIntentForms: 'yes' }, 'body.highIntentForms'],
    ]
    for (const [payload, field] of cases) {
      const response = await send(owner, 'PATCH', '/api/v1/mql/rules', payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toMatch(
        new RegExp(`^${field}: `),
      )
    }
    expect((await loadMqlRules(t.ctx.db, workspaceId)).fitMin).toBe(70)
  })

  it('refuses to put the predictive model in charge before one is trained', async () => {
    const response = await send(owner, 'PATCH', '/api/v1/mql/rules', { predictiveInCharge: true })
    expect(response.statusCode).toBe(409)
    expect(response.json().error.message).toMatch(/^predictiveInCharge: no predictive model/)
    expect((await loadMqlRules(t.ctx.db, workspaceId)).predictiveInCharge).toBe(false)
  })

  it('lets marketing change the rules, and sales only read them', async () => {
    const sales = await addMember(t, owner, workspaceId, 'sales')
    expect((await send(sales, 'GET', '/api/v1/mql/rules')).statusCode).toBe(200)
    const refused = await send(sales, 'PATCH', '/api/v1/mql/rules', { fitMin: 10 })
    expect(refused.statusCode).toBe(403)
    const marketing = await addMember(t, owner, workspaceId, 'marketing')
    const done = await send(marketing, 'PATCH', '/api/v1/mql/rules', { engagementMin: 40 })
    expect(done.statusCode).toBe(200)
    expect((await loadMqlRules(t.ctx.db, workspaceId)).fitMin).toBe(70)
    expect((await loadMqlRules(t.ctx.db, workspaceId)).engagementMin).toBe(40)
  })
})

describe('MQL targets', () => {
  it('lists 12 months around the current one, null where no target is set', async () => {
    const response = await send(owner, 'GET', '/api/v1/mql/targets')
    expect(response.statusCode).toBe(200)
    const now = currentMonth('UTC')
    const months = response.json().data
    expect(months).toHaveLength(12)
    expect(months[0]).toEqual({ month: addMonths(now, -6), target: null })
    expect(months[6].month).toBe(now)
    expect(months[11].month).toBe(addMonths(now, 5))
  })

  it('sets, changes, reads and deletes a month’s target', async () => {
    const put = await send(owner, 'PUT', '/api/v1/mql/targets/2026-03', { target: 120 })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json().data).toEqual({ month: '2026-03', target: 120 })
    await send(owner, 'PUT', '/api/v1/mql/targets/2026-03', { target: 150 })
    await send(owner, 'PUT', '/api/v1/mql/targets/2026-05', { target: 0 })
    const range = await send(owner, 'GET', '/api/v1/mql/targets?from=2026-02&to=2026-05')
    expect(range.json().data).toEqual([
      { month: '2026-02', target: null },
      { month: '2026-03', target: 150 },
      { month: '2026-04', target: null },
      { month: '2026-05', target: 0 },
    ])
    const deleted = await send(owner, 'DELETE', '/api/v1/mql/targets/2026-03')
    expect(deleted.statusCode).toBe(204)
    const after = await send(owner, 'GET', '/api/v1/mql/targets?from=2026-03&to=2026-03')
    expect(after.json().data).toEqual([{ month: '2026-03', target: null }])
    expect((await send(owner, 'DELETE', '/api/v1/mql/targets/2026-03')).statusCode).toBe(404)
  })

  it('names the month or target that is not valid', async () => {
    const cases: [string, string, Record<string, unknown> | undefined, string][] = [
      ['PUT', '/api/v1/mql/targets/2026-13', { target: 5 }, 'params.month'],
      ['PUT', '/api/v1/mql/targets/March', { target: 5 }, 'params.month'],
      ['DELETE', '/api/v1/mql/targets/2026-3', undefined, 'params.month'],
      ['PUT', '/api/v1/mql/targets/2026-04', { target: -1 }, 'body.target'],
      ['PUT', '/api/v1/mql/targets/2026-04', { target: 2.5 }, 'body.target'],
      ['PUT', '/api/v1/mql/targets/2026-04', {}, 'body.target'],
      ['GET', '/api/v1/mql/targets?from=2026-00', undefined, 'querystring.from'],
      ['GET', '/api/v1/mql/targets?from=2026-06&to=2026-01', undefined, 'to'],
      ['GET', '/api/v1/mql/targets?from=2020-01&to=2026-01', undefined, 'to'],
    ]
    for (const [method, url, payload, field] of cases) {
      const response = await send(owner, method as 'PUT', url, payload)
      expect(response.statusCode, url).toBe(400)
      expect(response.json().error.message, url).toMatch(new RegExp(`^${field}: `))
    }
  })

  it('lets only mql:manage set or delete targets', async () => {
    const sales = await addMember(t, owner, workspaceId, 'sales_manager')
    await send(owner, 'PUT', '/api/v1/mql/targets/2026-08', { target: 40 })
    expect(
      (await send(sales, 'PUT', '/api/v1/mql/targets/2026-08', { target: 1 })).statusCode,
    ).toBe(403)
    expect((await send(sales, 'DELETE', '/api/v1/mql/targets/2026-08')).statusCode).toBe(403)
    const list = await send(sales, 'GET', '/api/v1/mql/targets?from=2026-08&to=2026-08')
    expect(list.json().data).toEqual([{ month: '2026-08', target: 40 }])
  })
})
