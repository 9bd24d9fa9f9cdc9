import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { asA, asAInB, asB, b, bDefaultPipeline, notFound, t } from './world.ts'

let bSetup: Promise<void> | undefined

/** A won deal of B closed 200 days ago that churned 30 days later (made once, on first use). */
function bOnce() {
  bSetup ??= (async () => {
    const db = t.ctx.db
    const won = await db
      .selectFrom('stages')
      .select('id')
      .where('workspaceId', '=', b.workspaceId)
      .where('pipelineId', '=', bDefaultPipeline.id)
      .where('isWon', '=', true)
      .executeTakeFirstOrThrow()
    const closedAt = new Date(Date.now() - 200 * 86_400_000)
    await db
      .insertInto('deals')
      .values({
        workspaceId: b.workspaceId,
        id: randomUUID(),
        name: 'B regretted deal',
        pipelineId: bDefaultPipeline.id,
        stageId: won.id,
        currency: 'EUR',
        closedAt,
        churnedOn: new Date(closedAt.getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
      })
      .execute()
  })()
  return bSetup
}

/** Issue 9: tenancy cases of the regret operations (one per /api/v1 operation). */
export const regretCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/reports/regret': async () => {
    await bOnce()
    notFound(await asAInB('GET', '/api/v1/reports/regret'))
    // B's report counts its regretted deal; A's of the same range counts none of B's deals.
    const inB = (await asB('GET', '/api/v1/reports/regret?groupBy=rep')).json().data
    expect(inB.overall.regretted).toBeGreaterThanOrEqual(1)
    const inA = await asA('GET', `/api/v1/reports/regret?from=${inB.from}&to=${inB.to}&groupBy=rep`)
    expect(inA.statusCode, inA.body).toBe(200)
    const a = inA.json().data
    expect(a.overall.won).toBe(0)
    expect(a.rows).toEqual([])
    // B's drill-down link finds nothing from A.
    const link = String(inB.overall.regrettedLink).replace(
      '/bridge/records?',
      '/api/v1/reports/records?',
    )
    const drilled = await asA('GET', link)
    expect(drilled.statusCode, drilled.body).toBe(200)
    expect(drilled.json().data.total).toBe(0)
  },
}
