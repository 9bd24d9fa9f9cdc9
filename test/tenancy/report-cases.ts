import { expect } from 'vitest'
import { asA, asAInB, asB, notFound } from './world.ts'

let bSetup: Promise<void> | undefined

/** One MQL of B this month, and an MQL target of B for this month (made once, on first use). */
function bOnce() {
  bSetup ??= (async () => {
    const created = await asB('POST', '/api/v1/contacts', { email: 'b-report-mql@example.com' })
    expect(created.statusCode, created.body).toBe(201)
    const marked = await asB('POST', `/api/v1/contacts/${created.json().data.id}/lifecycle`, {
      stage: 'mql',
      reason: 'B asked for pricing',
    })
    expect(marked.statusCode, marked.body).toBe(200)
  })()
  return bSetup
}

/** The reports of issue 7: the two-way SLA. */
export const reportCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/reports/sla': async () => {
    await bOnce()
    notFound(await asAInB('GET', '/api/v1/reports/sla'))
    // B's own report sees its MQL, A's report of the same range counts none of it.
    const inB = (await asB('GET', '/api/v1/reports/sla')).json().data
    expect(inB.overall.handoffs).toBeGreaterThanOrEqual(1)
    const inA = await asA('GET', `/api/v1/reports/sla?from=${inB.from}&to=${inB.to}`)
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data.overall.handoffs).toBe(0)
    expect(inA.json().data.byOwner).toEqual([])
  },
}
