import { expect } from 'vitest'
import { asA, asAInB, asB, bCampaign, bDeal, notFound } from './world.ts'

/** Issue 8 (the Bridge): the drill-down behind every number sees only its own workspace. */
export const drillCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/reports/records': async () => {
    const created = await asB('POST', '/api/v1/contacts', { email: 'b-drill-mql@example.com' })
    expect(created.statusCode, created.body).toBe(201)
    const marked = await asB('POST', `/api/v1/contacts/${created.json().data.id}/lifecycle`, {
      stage: 'mql',
      reason: 'B asked for a demo',
    })
    expect(marked.statusCode, marked.body).toBe(200)
    notFound(await asAInB('GET', '/api/v1/reports/records?kind=handoffs'))
    // B's drill-down lists its handoff; A's, over the same range, lists none of B's records,
    // not even when it names B's campaign.
    const handoffId: string = marked.json().data.handoffId
    const inB = (await asB('GET', '/api/v1/reports/records?kind=handoffs&limit=200')).json().data
    expect(inB.rows.map((row: { id: string }) => row.id)).toContain(handoffId)
    const bIds = [handoffId, created.json().data.id, bDeal.id]
    for (const query of ['kind=handoffs', 'kind=contacts&stage=mql', 'kind=deals']) {
      const inA = await asA('GET', `/api/v1/reports/records?${query}&limit=200`)
      expect(inA.statusCode, inA.body).toBe(200)
      for (const row of inA.json().data.rows) expect(bIds).not.toContain(row.id)
    }
    const byCampaign = await asA(
      'GET',
      `/api/v1/reports/records?kind=handoffs&campaignId=${bCampaign.id}`,
    )
    expect(byCampaign.json().data).toMatchObject({ total: 0, rows: [] })
  },
}
