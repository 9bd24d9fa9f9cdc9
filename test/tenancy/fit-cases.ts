import { expect } from 'vitest'
import { asA, asAInB, asB, notFound, rowOf } from './world.ts'

let bSetup: Promise<{ dealId: string }> | undefined

/**
 * A poor-fit deal of B (made once, on first use): B's account in Retail on a product for Banking
 * only, fit 0; overridden by B's owner when `overridden`, so A's DELETE has something to remove.
 */
function bPoorDealOnce() {
  bSetup ??= (async () => {
    const account = await asB('POST', '/api/v1/accounts', { name: 'B retail', industry: 'Retail' })
    expect(account.statusCode, account.body).toBe(201)
    const product = await asB('POST', '/api/v1/products', {
      name: 'B banking only',
      icpIndustries: ['Banking'],
    })
    expect(product.statusCode, product.body).toBe(201)
    const deal = await asB('POST', '/api/v1/deals', {
      name: 'B poor fit',
      accountId: account.json().data.id,
      lineItems: [{ productId: product.json().data.id, quantity: 1 }],
    })
    expect(deal.statusCode, deal.body).toBe(201)
    expect(deal.json().data.poorFit).toBe(true)
    return { dealId: String(deal.json().data.id) }
  })()
  return bSetup
}

const reason = 'A sneaky override from another workspace.'

/** Issue 9: tenancy cases of the fit operations (one per /api/v1 operation). */
export const fitCases: Record<string, () => Promise<void>> = {
  'POST /api/v1/deals/{id}/fit-override': async () => {
    const { dealId } = await bPoorDealOnce()
    const before = await rowOf('deals', dealId)
    notFound(await asA('POST', `/api/v1/deals/${dealId}/fit-override`, { reason }))
    notFound(await asAInB('POST', `/api/v1/deals/${dealId}/fit-override`, { reason }))
    const after = await rowOf('deals', dealId)
    expect(after?.fitOverrideAt).toBeNull()
    expect(after).toEqual(before)
  },
  'DELETE /api/v1/deals/{id}/fit-override': async () => {
    const { dealId } = await bPoorDealOnce()
    const overridden = await asB('POST', `/api/v1/deals/${dealId}/fit-override`, {
      reason: 'B owner lets this one through.',
    })
    expect(overridden.statusCode, overridden.body).toBe(200)
    const before = await rowOf('deals', dealId)
    notFound(await asA('DELETE', `/api/v1/deals/${dealId}/fit-override`))
    notFound(await asAInB('DELETE', `/api/v1/deals/${dealId}/fit-override`))
    const after = await rowOf('deals', dealId)
    expect(after?.fitOverrideReason).toBe('B owner lets this one through.')
    expect(after).toEqual(before)
    // Put B back as it was, whichever case runs first.
    const removed = await asB('DELETE', `/api/v1/deals/${dealId}/fit-override`)
    expect(removed.statusCode, removed.body).toBe(200)
  },
}
