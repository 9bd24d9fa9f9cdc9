import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Products Co'))
})
afterAll(async () => t.close())

const post = (payload: Record<string, unknown>) =>
  owner.request({ method: 'POST', url: '/api/v1/products', workspaceId, payload })
const patch = (id: string, payload: Record<string, unknown>) =>
  owner.request({ method: 'PATCH', url: `/api/v1/products/${id}`, workspaceId, payload })
const list = (query: string) =>
  owner.request({ method: 'GET', url: `/api/v1/products?${query}`, workspaceId })
const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`
const names = (response: { json(): { data: { name: string }[] } }) =>
  response.json().data.map((p) => p.name)

describe('products', () => {
  it('creates a product with its ideal customer profile, priced in the base currency', async () => {
    const response = await post({
      name: 'AMR-100',
      family: 'mobile_robots',
      price: 4_500_000,
      icpIndustries: ['logistics', 'retail', 'logistics'],
      icpEmployeesMin: 200,
      icpEmployeesMax: 5000,
      icpRegions: ['emea'],
      icpProblems: ['labor_shortage'],
    })
    expect(response.statusCode).toBe(201)
    expect(response.json().data).toMatchObject({
      name: 'AMR-100',
      price: 4_500_000,
      currency: 'USD',
      icpIndustries: ['logistics', 'retail'],
      icpEmployeesMin: 200,
      icpEmployeesMax: 5000,
    })
  })

  it('refuses a second live product with the same name in any case, naming it', async () => {
    const first = (await post({ name: 'Fleet Manager', currency: 'EUR' })).json().data
    const second = await post({ name: 'fleet MANAGER' })
    expect(second.statusCode).toBe(409)
    expect(second.json().error).toMatchObject({
      code: 'conflict',
      message: 'name: a product called "Fleet Manager" already exists',
      details: { field: 'name', existingId: first.id },
    })
    const other = (await post({ name: 'Fleet Manager Pro' })).json().data
    expect((await patch(other.id, { name: 'FLEET manager' })).statusCode).toBe(409)
    await owner.request({ method: 'DELETE', url: `/api/v1/products/${first.id}`, workspaceId })
    expect((await post({ name: 'Fleet Manager' })).statusCode).toBe(201)
  })

  it('names the field of bad input and writes nothing', async () => {
    const existing = (
      await post({ name: 'Range Co', icpEmployeesMin: 10, icpEmployeesMax: 100 })
    ).json().data
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'body.name'],
      [{ name: 'Bad', price: -1 }, 'body.price'],
      [{ name: 'Bad', price: 1.5 }, 'body.price'],
      [{ name: 'Bad', currency: 'ZZZ' }, 'body.currency'],
      [{ name: 'Bad', icpEmployeesMin: 500, icpEmployeesMax: 100 }, 'icpEmployeesMin'],
      [{ name: 'Bad', icpIndustries: 'logistics' }, 'body.icpIndustries'],
    ]
    for (const [payload, field] of cases) {
      const response = await post(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toMatch(
        new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}`),
      )
    }
    // The range is checked against the stored bound the patch leaves alone.
    const narrowed = await patch(existing.id, { icpEmployeesMax: 5 })
    expect(narrowed.statusCode).toBe(400)
    expect(narrowed.json().error.message).toBe(
      'icpEmployeesMin: must not exceed icpEmployeesMax (10 > 5)',
    )
    const rows = await t.ctx.db
      .selectFrom('products')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'Bad')
      .execute()
    expect(rows).toEqual([])
  })

  it('searches by name, filters by family, price and profile, and pages in price order', async () => {
    for (const [i, family] of ['arms', 'arms', 'software', 'services'].entries()) {
      await post({ name: `Catalog ${i}`, family, price: (i + 1) * 1000, icpRegions: ['na'] })
    }
    expect(names(await list('q=CATALOG%202'))).toEqual(['Catalog 2'])
    const filtered = await list(
      filterParam({
        all: [
          { field: 'family', op: 'in', value: ['arms', 'services'] },
          { field: 'price', op: 'gte', value: 2000 },
          { field: 'icpRegions', op: 'contains', value: 'na' },
        ],
      }),
    )
    expect(names(filtered)).toEqual(['Catalog 1', 'Catalog 3'])
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { data: { name: string }[]; nextCursor: string | null } = (
        await list(`sort=-price&limit=3&q=catalog${cursor ? `&cursor=${cursor}` : ''}`)
      ).json()
      seen.push(...page.data.map((p) => p.name))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(['Catalog 3', 'Catalog 2', 'Catalog 1', 'Catalog 0'])
    const byFamily = await list('sort=family&q=catalog')
    expect(names(byFamily)).toEqual(['Catalog 0', 'Catalog 1', 'Catalog 3', 'Catalog 2'])
    expect((await list('sort=colour')).json().error.message).toContain('sort: unknown field')
  })

  it('lets only catalog managers change the catalogue, and audits each change', async () => {
    const product = (await post({ name: 'Audited' })).json().data
    const marketer = await addMember(t, owner, workspaceId, 'marketing')
    const denied = await marketer.request({
      method: 'POST',
      url: '/api/v1/products',
      workspaceId,
      payload: { name: 'Nope' },
    })
    expect(denied.statusCode).toBe(403)
    const read = await marketer.request({
      method: 'GET',
      url: `/api/v1/products/${product.id}`,
      workspaceId,
    })
    expect(read.json().data.name).toBe('Audited')
    await patch(product.id, { price: 990 })
    const actions = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('workspaceId', '=', workspaceId)
      .where('targetId', '=', product.id)
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(['product.create', 'product.update'])
    expect(actions[1]?.details).toEqual({ price: { from: 0, to: 990 } })
  })

  it('hides deleted products and those of other workspaces', async () => {
    const product = (await post({ name: 'Gone Product' })).json().data
    const other = await makeWorkspace(t, 'Other Products')
    const foreign = await other.owner.request({
      method: 'GET',
      url: `/api/v1/products/${product.id}`,
      workspaceId: other.workspaceId,
    })
    expect(foreign.statusCode).toBe(404)
    const foreignPatch = await other.owner.request({
      method: 'PATCH',
      url: `/api/v1/products/${product.id}`,
      workspaceId: other.workspaceId,
      payload: { price: 1 },
    })
    expect(foreignPatch.statusCode).toBe(404)
    const deleted = await owner.request({
      method: 'DELETE',
      url: `/api/v1/products/${product.id}`,
      workspaceId,
    })
    expect(deleted.statusCode).toBe(204)
    const gone = await owner.request({
      method: 'GET',
      url: `/api/v1/products/${product.id}`,
      workspaceId,
    })
    expect(gone.statusCode).toBe(404)
    expect(names(await list('q=gone%20product'))).toEqual([])
    const missing = await owner.request({
      method: 'DELETE',
      url: `/api/v1/products/${uuidv7()}`,
      workspaceId,
    })
    expect(missing.statusCode).toBe(404)
  })
})
