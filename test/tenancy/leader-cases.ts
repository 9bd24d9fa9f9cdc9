import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { asA, asAInB, asB, b, bDefaultPipeline, notFound, t } from './world.ts'

let bSetup: Promise<void> | undefined

/** A won deal of B closed a moment ago (made once, on first use). */
function bOnce() {
  bSetup ??= (async () => {
    const won = await t.ctx.db
      .selectFrom('stages')
      .select('id')
      .where('workspaceId', '=', b.workspaceId)
      .where('pipelineId', '=', bDefaultPipeline.id)
      .where('isWon', '=', true)
      .executeTakeFirstOrThrow()
    await t.ctx.db
      .insertInto('deals')
      .values({
        workspaceId: b.workspaceId,
        id: randomUUID(),
        name: 'B leader deal',
        pipelineId: bDefaultPipeline.id,
        stageId: won.id,
        amount: 4_242_000,
        currency: 'EUR',
        closedAt: new Date(Date.now() - 1000),
      })
      .execute()
  })()
  return bSetup
}

/** Issue 13: tenancy case of the leader view. */
export const leaderCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/leader': async () => {
    await bOnce()
    notFound(await asAInB('GET', '/api/v1/leader'))
    const inB = await asB('GET', '/api/v1/leader')
    expect(inB.statusCode, inB.body).toBe(200)
    expect(inB.json().data.winRate.won).toBeGreaterThanOrEqual(1)
    // A's view counts none of B's won deals.
    const inA = await asA('GET', '/api/v1/leader')
    expect(inA.statusCode, inA.body).toBe(200)
    const won = inA.json().data.revenue.series.map((p: { won: number | null }) => p.won ?? 0)
    expect(won.every((w: number) => w < 4_242_000)).toBe(true)
  },
}
