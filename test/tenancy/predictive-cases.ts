import { expect } from 'vitest'
import { asA, asAInB, b, notFound, t } from './world.ts'

const bTraining = () =>
  t.ctx.db
    .selectFrom('predictiveTraining')
    .selectAll()
    .where('workspaceId', '=', b.workspaceId)
    .execute()

/** Issue 10: tenancy cases of the predictive model's operations. */
export const predictiveCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/predictive/model': async () => {
    notFound(await asAInB('GET', '/api/v1/predictive/model'))
    const inA = await asA('GET', '/api/v1/predictive/model')
    expect(inA.statusCode, inA.body).toBe(200)
  },
  'POST /api/v1/predictive/model/retrain': async () => {
    const before = await bTraining()
    notFound(await asAInB('POST', '/api/v1/predictive/model/retrain'))
    expect(await bTraining()).toEqual(before)
  },
}
