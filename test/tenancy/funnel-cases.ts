import { expect } from 'vitest'
import { asA, asAInB, asB, notFound } from './world.ts'

let bSetup: Promise<void> | undefined

/** A contact of B that became a subscriber and then a lead today (made once, on first use). */
function bOnce() {
  bSetup ??= (async () => {
    const created = await asB('POST', '/api/v1/contacts', { email: 'b-funnel@example.com' })
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json().data.id
    for (const stage of ['subscriber', 'lead']) {
      const moved = await asB('POST', `/api/v1/contacts/${id}/lifecycle`, { stage })
      expect(moved.statusCode, moved.body).toBe(200)
    }
  })()
  return bSetup
}

/** Issue 8 (the Bridge): tenancy cases of the funnel operations. */
export const funnelCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/reports/funnel': async () => {
    await bOnce()
    notFound(await asAInB('GET', '/api/v1/reports/funnel'))
    // B's funnel counts its lead; A's funnel of the same range counts none of B's contacts.
    const inB = (await asB('GET', '/api/v1/reports/funnel?groupBy=campaign')).json().data
    const entered = inB.overall.reduce((n: number, r: { entered: number }) => n + r.entered, 0)
    expect(entered).toBeGreaterThanOrEqual(1)
    const inA = await asA(
      'GET',
      `/api/v1/reports/funnel?from=${inB.from}&to=${inB.to}&groupBy=campaign`,
    )
    expect(inA.statusCode, inA.body).toBe(200)
    const a = inA.json().data
    const aEntered = a.overall.reduce((n: number, r: { entered: number }) => n + r.entered, 0)
    expect(aEntered).toBe(0)
    expect(a.rows).toEqual([])
  },
}
