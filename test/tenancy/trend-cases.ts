import { expect } from 'vitest'
import { asA, asAInB, asB, bCampaign, notFound } from './world.ts'

/** Issue 14: tenancy cases of the Telescope's trends, changes and campaign benchmarks. */
export const trendCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/telescope/changes': async () => {
    notFound(await asAInB('GET', '/api/v1/telescope/changes'))
    const inA = await asA('GET', '/api/v1/telescope/changes?refresh=true')
    expect(inA.statusCode, inA.body).toBe(200)
    // Nothing of B's campaign reaches A's flags or counts.
    expect(inA.body).not.toContain(bCampaign.id)
    expect((await asB('GET', '/api/v1/telescope/changes')).statusCode).toBe(200)
  },
  'GET /api/v1/telescope/trends': async () => {
    notFound(await asAInB('GET', '/api/v1/telescope/trends?channel=email'))
    notFound(await asA('GET', `/api/v1/telescope/trends?campaignId=${bCampaign.id}`))
    const inB = await asB('GET', `/api/v1/telescope/trends?campaignId=${bCampaign.id}`)
    expect(inB.statusCode, inB.body).toBe(200)
  },
  'GET /api/v1/campaigns/{id}/benchmark': async () => {
    notFound(await asAInB('GET', `/api/v1/campaigns/${bCampaign.id}/benchmark`))
    notFound(await asA('GET', `/api/v1/campaigns/${bCampaign.id}/benchmark`))
    expect((await asB('GET', `/api/v1/campaigns/${bCampaign.id}/benchmark`)).statusCode).toBe(200)
  },
}
