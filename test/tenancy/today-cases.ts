import { expect } from 'vitest'
import { a, asA, asAInB, asB, bDeal, bMember, bTeam, notFound } from './world.ts'

/** Issue 13: tenancy cases of the Today operations (one per /api/v1 operation). */
export const todayCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/today': async () => {
    const url = `/api/v1/today?userId=${bMember.userId}`
    notFound(await asAInB('GET', url))
    // B's rep is no member of A: A's admin cannot read their day through A.
    notFound(await asA('GET', url))
    // A's own Today never shows B's deal (owned by B's rep).
    const own = await asA('GET', '/api/v1/today')
    expect(own.statusCode, own.body).toBe(200)
    expect(own.json().data.rep.id).toBe(a.owner.userId)
    const inB = await asB('GET', url)
    expect(inB.statusCode, inB.body).toBe(200)
    expect(inB.json().data.rep.id).toBe(bMember.userId)
    expect(JSON.stringify(own.json())).not.toContain(bDeal.id)
  },
  'GET /api/v1/today/team': async () => {
    const url = `/api/v1/today/team?teamId=${bTeam.id}`
    notFound(await asAInB('GET', url))
    notFound(await asA('GET', url))
    const inB = await asB('GET', url)
    expect(inB.statusCode, inB.body).toBe(200)
    expect(inB.json().data.reps.map((r: { rep: { id: string } }) => r.rep.id)).toEqual([
      bMember.userId,
    ])
  },
}
