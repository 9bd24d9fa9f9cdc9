import { expect } from 'vitest'
import {
  a,
  asA,
  asAInB,
  b,
  bAccount,
  bActivity,
  bCampaign,
  bContact,
  bDeal,
  bProduct,
} from './world.ts'

const entities = ['accounts', 'contacts', 'products', 'deals', 'activities', 'campaigns']

/** Exports: A's file never holds B's rows, and naming B (header or query) is not_found. */
export const exportCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/exports/{entity}': async () => {
    const bIds = [bAccount.id, bContact.id, bDeal.id, bProduct.id, bCampaign.id, bActivity.id]
    for (const entity of entities) {
      expect((await asAInB('GET', `/api/v1/exports/${entity}`)).statusCode, entity).toBe(404)
      const byQuery = await a.owner.request({
        method: 'GET',
        url: `/api/v1/exports/${entity}?workspaceId=${b.workspaceId}`,
      })
      expect(byQuery.statusCode, entity).toBe(404)
      for (const format of ['csv', 'jsonl']) {
        const own = await asA('GET', `/api/v1/exports/${entity}?format=${format}`)
        expect(own.statusCode, own.body).toBe(200)
        for (const id of bIds) expect(own.body, `${entity} ${format}`).not.toContain(id)
      }
    }
  },
}
