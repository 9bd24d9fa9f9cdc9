import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Accounts Co'))
})
afterAll(async () => t.close())

const post = (payload: Record<string, unknown>) =>
  owner.request({ method: 'POST', url: '/api/v1/accounts', workspaceId, payload })
const list = async (query: string) => {
  const response = await owner.request({
    method: 'GET',
    url: `/api/v1/accounts?${query}`,
    workspaceId,
  })
  return response
}
const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`

describe('accounts', () => {
  it('creates an account with a normalised domain and the stages it skipped stamped', async () => {
    const response = await post({
      name: 'Acme Logistics',
      domain: 'https://www.ACME-logistics.com/pricing',
      employees: 450,
      country: 'de',
      lifecycleStage: 'lead',
    })
    expect(response.statusCode).toBe(201)
    const account = response.json().data
    expect(account).toMatchObject({
      name: 'Acme Logistics',
      domain: 'acme-logistics.com',
      country: 'DE',
      lifecycleStage: 'lead',
    })
    expect(account.stageHistory.map((s: { stage: string }) => s.stage)).toEqual([
      'subscriber',
      'lead',
    ])
  })

  it('refuses a second account with the same domain, naming the field', async () => {
    await post({ name: 'Dup One', domain: 'dup.example.com' })
    const second = await post({ name: 'Dup Two', domain: 'DUP.example.com' })
    expect(second.statusCode).toBe(409)
    expect(second.json().error).toMatchObject({ code: 'conflict', details: { field: 'domain' } })
  })

  it('names the field of bad input and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'body.name'],
      [{ name: 'X', country: 'ZZ' }, 'body.country'],
      [{ name: 'X', annualRevenue: -5, annualRevenueCurrency: 'USD' }, 'body.annualRevenue'],
      [{ name: 'X', annualRevenue: 100 }, 'annualRevenueCurrency'],
      [{ name: 'X', domain: 'not a domain' }, 'domain'],
      [{ name: 'X', ownerId: 'someone-else' }, 'ownerId'],
      [{ name: 'X', lifecycleStage: 'hot' }, 'body.lifecycleStage'],
      [{ name: 'X', custom: { unknown_field: 1 } }, 'custom.unknown_field'],
    ]
    for (const [payload, field] of cases) {
      const response = await post(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toContain(field)
    }
    const rows = await t.ctx.db
      .selectFrom('accounts')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'X')
      .execute()
    expect(rows).toEqual([])
  })

  it('validates custom fields by their type', async () => {
    await t.ctx.db
      .insertInto('customFieldDefinitions')
      .values([
        {
          workspaceId,
          id: uuidv7(),
          entity: 'account',
          key: 'fleet_size',
          label: 'Fleet size',
          type: 'number',
        },
        {
          workspaceId,
          id: uuidv7(),
          entity: 'account',
          key: 'segment',
          label: 'Segment',
          type: 'select',
          options: ['retail', 'logistics'],
        },
      ])
      .execute()
    const bad = await post({ name: 'Fleet Co', custom: { fleet_size: 'many' } })
    expect(bad.json().error.message).toContain('custom.fleet_size')
    const badOption = await post({ name: 'Fleet Co', custom: { segment: 'space' } })
    expect(badOption.json().error.message).toContain(
      'custom.segment: must be one of retail, logistics',
    )
    const good = await post({ name: 'Fleet Co', custom: { fleet_size: 120, segment: 'logistics' } })
    expect(good.json().data.custom).toEqual({ fleet_size: 120, segment: 'logistics' })
    const found = await list(
      filterParam({ all: [{ field: 'custom.fleet_size', op: 'gte', value: 100 }] }),
    )
    expect(found.json().data.map((a: { name: string }) => a.name)).toEqual(['Fleet Co'])
  })

  it('searches, filters and sorts, and pages through every row once', async () => {
    for (let i = 0; i < 7; i++)
      await post({ name: `Paging ${i}`, employees: i * 100, region: i % 2 ? 'emea' : 'na' })
    const q = await list('q=PAGING%204')
    expect(q.json().data.map((a: { name: string }) => a.name)).toEqual(['Paging 4'])
    const filtered = await list(
      filterParam({
        all: [
          { field: 'employees', op: 'gte', value: 200 },
          {
            any: [
              { field: 'region', op: 'eq', value: 'emea' },
              { field: 'name', op: 'eq', value: 'Paging 2' },
            ],
          },
        ],
      }),
    )
    expect(
      filtered
        .json()
        .data.map((a: { name: string }) => a.name)
        .sort(),
    ).toEqual(['Paging 2', 'Paging 3', 'Paging 5'])
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { data: { name: string }[]; nextCursor: string | null } = (
        await list(
          `sort=-employees&limit=2&${filterParam({ all: [{ field: 'name', op: 'contains', value: 'Paging' }] })}${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json()
      seen.push(...page.data.map((a) => a.name))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([
      'Paging 6',
      'Paging 5',
      'Paging 4',
      'Paging 3',
      'Paging 2',
      'Paging 1',
      'Paging 0',
    ])
  })

  it('explains a filter it cannot use', async () => {
    const unknown = await list(filterParam({ all: [{ field: 'colour', op: 'eq', value: 'red' }] }))
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.message).toMatch(/^filter\.all\[0\]\.field: unknown field "colour"/)
    const badOp = await list(
      filterParam({ all: [{ field: 'employees', op: 'contains', value: 'x' }] }),
    )
    expect(badOp.json().error.message).toContain('filter.all[0].op')
    const badValue = await list(
      filterParam({ all: [{ field: 'employees', op: 'gt', value: 'many' }] }),
    )
    expect(badValue.json().error.message).toContain('filter.all[0].value: must be a number')
    const notJson = await list('filter=%7Bnope')
    expect(notJson.json().error.message).toBe('filter: not valid JSON')
    const badSort = await list('sort=colour')
    expect(badSort.json().error.message).toContain('sort: unknown field')
  })

  it('keeps lifecycle history forward-only', async () => {
    const created = (await post({ name: 'Stage Co', lifecycleStage: 'subscriber' })).json().data
    const jump = await owner.request({
      method: 'PATCH',
      url: `/api/v1/accounts/${created.id}`,
      workspaceId,
      payload: { lifecycleStage: 'sql' },
    })
    expect(jump.json().data.stageHistory.map((s: { stage: string }) => s.stage)).toEqual([
      'subscriber',
      'lead',
      'mql',
      'sal',
      'sql',
    ])
    const back = await owner.request({
      method: 'PATCH',
      url: `/api/v1/accounts/${created.id}`,
      workspaceId,
      payload: { lifecycleStage: 'lead' },
    })
    expect(back.statusCode).toBe(400)
    expect(back.json().error.message).toContain(
      'lifecycleStage: lifecycle stages only move forward',
    )
  })

  it('bulk-updates all or nothing, and audits each change', async () => {
    const rep = await addMember(t, owner, workspaceId, 'sales')
    const ids = [
      (await post({ name: 'Bulk A' })).json().data.id,
      (await post({ name: 'Bulk B' })).json().data.id,
    ]
    const missing = await owner.request({
      method: 'PATCH',
      url: '/api/v1/accounts/bulk',
      workspaceId,
      payload: { ids: [...ids, uuidv7()], patch: { tier: 'gold' } },
    })
    expect(missing.statusCode).toBe(404)
    const unchanged = await t.ctx.db
      .selectFrom('accounts')
      .select('tier')
      .where('id', 'in', ids)
      .execute()
    expect(unchanged.every((r) => r.tier === null)).toBe(true)
    const ok = await owner.request({
      method: 'PATCH',
      url: '/api/v1/accounts/bulk',
      workspaceId,
      payload: { ids, patch: { tier: 'gold', ownerId: rep.userId } },
    })
    expect(ok.json().data).toEqual({ updated: 2 })
    const got = (
      await owner.request({ method: 'GET', url: `/api/v1/accounts/${ids[0]}`, workspaceId })
    ).json().data
    expect(got).toMatchObject({ tier: 'gold', owner: { id: rep.userId } })
  })

  it('moves a deleted account out of lists and lookups; viewers cannot write', async () => {
    const created = (await post({ name: 'Gone Co', domain: 'gone.example' })).json().data
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    const denied = await viewer.request({
      method: 'DELETE',
      url: `/api/v1/accounts/${created.id}`,
      workspaceId,
    })
    expect(denied.statusCode).toBe(403)
    expect(
      (
        await owner.request({
          method: 'DELETE',
          url: `/api/v1/accounts/${created.id}`,
          workspaceId,
        })
      ).statusCode,
    ).toBe(204)
    expect(
      (await owner.request({ method: 'GET', url: `/api/v1/accounts/${created.id}`, workspaceId }))
        .statusCode,
    ).toBe(404)
    expect((await list('q=gone')).json().data).toEqual([])
    // The domain is free again for a new account.
    expect((await post({ name: 'New Gone', domain: 'gone.example' })).statusCode).toBe(201)
  })
})
