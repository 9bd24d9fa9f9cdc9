import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { upsertMqlTarget } from '../../src/server/mql/queries.ts'
import { asA, asAInB, asB, b, notFound, t } from './world.ts'

let bSetup: Promise<void> | undefined

/**
 * One handoff of B in March 2025, first-touched in time and accepted, and B's MQL target of that
 * month (written directly: the API cannot back-date). Made once, on first use.
 */
function bOnce() {
  bSetup ??= (async () => {
    const db = t.ctx.db
    const workspaceId = b.workspaceId
    const contactId = randomUUID()
    await db
      .insertInto('contacts')
      .values({ workspaceId, id: contactId, email: 'b-alignment@example.com' })
      .execute()
    const at = (iso: string) => new Date(iso)
    await db
      .insertInto('handoffs')
      .values({
        workspaceId,
        id: randomUUID(),
        contactId,
        mqlSource: 'manual',
        mqlReason: 'B asked for a demo',
        status: 'accepted',
        createdAt: at('2025-03-10T15:00:00Z'),
        firstTouchDueAt: at('2025-03-10T19:00:00Z'),
        decisionDueAt: at('2025-03-12T15:00:00Z'),
        escalateAt: at('2025-03-11T15:00:00Z'),
        firstTouchAt: at('2025-03-10T16:00:00Z'),
        decidedAt: at('2025-03-10T17:00:00Z'),
      })
      .execute()
    await upsertMqlTarget(db, workspaceId, '2025-03-01', 8)
  })()
  return bSetup
}

/** Issue 8 (the Bridge): tenancy cases of the alignment operations. */
export const alignmentCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/reports/alignment': async () => {
    await bOnce()
    const url = '/api/v1/reports/alignment?from=2025-03-01&to=2025-03-31'
    notFound(await asAInB('GET', url))
    // B's index of March 2025 counts its handoff; A's report of the same month sees nothing of it.
    const inB = await asB('GET', url)
    expect(inB.statusCode, inB.body).toBe(200)
    const parts = inB.json().data.parts as { key: string; numerator: number; denominator: number }[]
    expect(parts.find((p) => p.key === 'marketing_commitment')).toMatchObject({
      numerator: 1,
      denominator: 8,
    })
    const inA = await asA('GET', url)
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data.parts).toEqual([])
    expect(inA.json().data.index).toBeNull()
  },
}
