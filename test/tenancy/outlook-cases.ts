import { sql } from 'kysely'
import { expect } from 'vitest'
import { asA, asAInB, asB, b, notFound, t } from './world.ts'

/** Issue 14: tenancy case of the Telescope's two-year outlook. */
export const outlookCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/telescope/outlook': async () => {
    // 60 leads of B two months ago: B's history holds them, A's never does.
    const at = new Date(Date.now() - 60 * 86_400_000)
    await sql`
      with c as (
        insert into contacts (workspace_id, id, email, created_at, updated_at)
        select ${b.workspaceId}::uuid, gen_random_uuid(), 'outlook-' || n || '@b.example', ${at}, ${at}
        from generate_series(1, 60) n returning id
      )
      insert into lifecycle_entries (workspace_id, id, entity, record_id, stage, entered_at)
      select ${b.workspaceId}::uuid, gen_random_uuid(), 'contact', c.id, 'lead', ${at} from c
    `.execute(t.ctx.db)
    notFound(await asAInB('GET', '/api/v1/telescope/outlook'))
    const leadsOf = (response: {
      json(): { data: { series: { metric: string; history: { value: number }[] }[] } }
    }) =>
      response
        .json()
        .data.series.find((s) => s.metric === 'leads')
        ?.history.map((h) => h.value) ?? []
    const inB = await asB('GET', '/api/v1/telescope/outlook?refresh=true')
    expect(inB.statusCode, inB.body).toBe(200)
    expect(Math.max(...leadsOf(inB))).toBeGreaterThanOrEqual(60)
    const inA = await asA('GET', '/api/v1/telescope/outlook?refresh=true')
    expect(inA.statusCode, inA.body).toBe(200)
    expect(leadsOf(inA).every((n) => n < 60)).toBe(true)
  },
}
