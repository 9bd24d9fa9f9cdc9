import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { refreshStaleSnapshots } from './refresh.ts'
import { workspaceToday } from './snapshots.ts'

let t: TestApp
let workspaceId: string

beforeAll(async () => {
  t = await createTestApp()
  ;({ workspaceId } = await makeWorkspace(t, 'Snapshot Co'))
})
afterAll(async () => t.close())

const stored = () =>
  t.ctx.db
    .selectFrom('telescopeSnapshots')
    .select(['kind', 'asOf', 'computedAt'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('kind')
    .execute()

describe("the worker's Telescope snapshots", () => {
  it('computes the outlook and the changes of a workspace that has none for its day, once', async () => {
    expect(await stored()).toEqual([])
    expect(await refreshStaleSnapshots(t.ctx.db)).toBeGreaterThanOrEqual(2)
    const today = await workspaceToday(t.ctx.db, workspaceId)
    const first = await stored()
    expect(first.map((r) => [r.kind, r.asOf])).toEqual([
      ['changes', today],
      ['outlook', today],
    ])
    // Nothing is stale an instant later: nothing is computed again.
    expect(await refreshStaleSnapshots(t.ctx.db)).toBe(0)
    expect(await stored()).toEqual(first)
    // The next local day, both are computed again, and the pages read them.
    const tomorrow = new Date(Date.now() + 86_400_000)
    expect(await refreshStaleSnapshots(t.ctx.db, tomorrow)).toBeGreaterThanOrEqual(2)
    const next = await stored()
    expect(next.map((r) => r.asOf)).not.toContain(today)
  })
})
