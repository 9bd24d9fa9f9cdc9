import { expect } from 'vitest'
import { recomputeAttribution } from '../../src/server/attribution/recompute.ts'
import { asA, asAInB, asB, b, bCampaign, bDeal, notFound, t } from './world.ts'

const bSettings = () =>
  t.ctx.db
    .selectFrom('attributionSettings')
    .selectAll()
    .where('workspaceId', '=', b.workspaceId)
    .execute()

const bRuns = () =>
  t.ctx.db
    .selectFrom('attributionRuns')
    .selectAll()
    .where('workspaceId', '=', b.workspaceId)
    .execute()

/** Issue 12: tenancy cases of the attribution operations. */
export const attributionCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/attribution/settings': async () => {
    notFound(await asAInB('GET', '/api/v1/attribution/settings'))
    const inA = await asA('GET', '/api/v1/attribution/settings')
    expect(inA.statusCode, inA.body).toBe(200)
  },
  'PATCH /api/v1/attribution/settings': async () => {
    const changed = await asB('PATCH', '/api/v1/attribution/settings', { lookbackDays: 60 })
    expect(changed.statusCode, changed.body).toBe(200)
    const before = await bSettings()
    notFound(await asAInB('PATCH', '/api/v1/attribution/settings', { lookbackDays: 30 }))
    expect(await bSettings()).toEqual(before)
    const inA = await asA('PATCH', '/api/v1/attribution/settings', { defaultModel: 'linear' })
    expect(inA.json().data.lookbackDays).toBe(90)
  },
  'GET /api/v1/attribution/status': async () => {
    notFound(await asAInB('GET', '/api/v1/attribution/status'))
    const inA = await asA('GET', '/api/v1/attribution/status')
    expect(inA.statusCode, inA.body).toBe(200)
  },
  'POST /api/v1/attribution/recompute': async () => {
    const before = await bRuns()
    notFound(await asAInB('POST', '/api/v1/attribution/recompute'))
    expect(await bRuns()).toEqual(before)
  },
  'GET /api/v1/reports/attribution': async () => {
    await recomputeAttribution(t.ctx.db, b.workspaceId)
    notFound(await asAInB('GET', '/api/v1/reports/attribution?groupBy=campaign'))
    const inA = await asA('GET', '/api/v1/reports/attribution?groupBy=campaign')
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.body).not.toContain(bCampaign.id)
  },
  'GET /api/v1/reports/attribution/export': async () => {
    notFound(await asAInB('GET', '/api/v1/reports/attribution/export'))
    const inA = await asA('GET', `/api/v1/reports/attribution/export?workspaceId=${b.workspaceId}`)
    expect(inA.statusCode).not.toBe(200)
  },
  'GET /api/v1/reports/attribution/credits': async () => {
    await recomputeAttribution(t.ctx.db, b.workspaceId)
    const url = '/api/v1/reports/attribution/credits?conversion=opportunity_created'
    const inB = await asB('GET', url)
    expect(inB.body).toContain(bDeal.id)
    notFound(await asAInB('GET', url))
    expect((await asA('GET', url)).body).not.toContain(bDeal.id)
  },
  'GET /api/v1/attribution/journeys/{subjectId}': async () => {
    await recomputeAttribution(t.ctx.db, b.workspaceId)
    const url = `/api/v1/attribution/journeys/${bDeal.id}?conversion=opportunity_created`
    const inB = await asB('GET', url)
    expect(inB.statusCode, inB.body).toBe(200)
    notFound(await asAInB('GET', url))
    notFound(await asA('GET', url))
  },
}
