import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { asA, asAInB, asB, b, bActivity, notFound, t } from './world.ts'

let bSetup: Promise<void> | undefined

/** One MQL of B this month, and an objection tag of B on B's activity (made once). */
function bOnce() {
  bSetup ??= (async () => {
    const created = await asB('POST', '/api/v1/contacts', { email: 'b-voice-mql@example.com' })
    expect(created.statusCode, created.body).toBe(201)
    const marked = await asB('POST', `/api/v1/contacts/${created.json().data.id}/lifecycle`, {
      stage: 'mql',
      reason: 'B asked for a demo',
    })
    expect(marked.statusCode, marked.body).toBe(200)
    const tag = { id: randomUUID() }
    await t.ctx.db
      .insertInto('feedbackTags')
      .values({
        workspaceId: b.workspaceId,
        id: tag.id,
        kind: 'objection',
        name: 'B voice objection',
      })
      .execute()
    await t.ctx.db
      .insertInto('feedbackTagLinks')
      .values({
        workspaceId: b.workspaceId,
        tagId: tag.id,
        entity: 'activity',
        entityId: bActivity.id,
      })
      .execute()
  })()
  return bSetup
}

/** Issue 8 (the Bridge): tenancy cases of the voice operations. */
export const voiceCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/reports/voice-of-sales': async () => {
    await bOnce()
    notFound(await asAInB('GET', '/api/v1/reports/voice-of-sales'))
    // B's report sees its handoff and its objection; A's report of the same range sees neither.
    const inB = (await asB('GET', '/api/v1/reports/voice-of-sales?groupBy=campaign')).json().data
    expect(inB.quality.length).toBeGreaterThanOrEqual(1)
    expect(inB.objections.map((o: { tag: { name: string } }) => o.tag.name)).toContain(
      'B voice objection',
    )
    const inA = await asA(
      'GET',
      `/api/v1/reports/voice-of-sales?from=${inB.from}&to=${inB.to}&groupBy=campaign`,
    )
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data).toMatchObject({ quality: [], objections: [], competitors: [] })
  },
}
