import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { noBudgetProgramme } from '../../demo/crm-handoffs.ts'
import { seedDemo } from '../../demo/seed.ts'
import { computeAlignment } from './alignment.ts'

// The demo world's planted truths (issue 7) must be among the Bridge's top problems (issue 8): the
// LinkedIn programme whose leads sales rejects as no_budget, and the Enterprise rep who leaves MQLs
// unworked past the SLA. Two demo dates: mid-year (as src/demo/seed.test.ts) and late in the year.
let t: TestApp

beforeAll(async () => {
  t = await createTestApp()
}, 300_000)
afterAll(async () => t.close())

describe('the alignment index on the demo world', () => {
  for (const asOf of [new Date('2026-06-30T12:00:00Z'), new Date('2026-11-27T15:00:00Z')]) {
    it(`shows the planted campaign and rep among the top 3 problems (as of ${asOf.toISOString().slice(0, 10)})`, async () => {
      const { workspaceId } = await seedDemo(t.ctx.db, { seed: 7, asOf, reset: true })
      const report = await computeAlignment(t.ctx.db, workspaceId, {}, asOf)
      const problems = report.problems.join('\n')
      expect(report.problems).toHaveLength(3)
      expect(report.index).not.toBeNull()

      const campaign = report.problemDetails.find((p) => p.text.startsWith(noBudgetProgramme))
      expect(campaign?.text, problems).toMatch(
        /^LinkedIn: operations leaders \d{4} leads: (7\d|8\d|9\d)% rejected as no_budget$/,
      )
      expect(campaign?.owner).toBe('marketing')
      expect(campaign?.link).toMatch(/kind=handoffs.*campaignId=.*status=rejected&reason=no_budget/)

      // The slow rep: unworked MQLs (or, if none were open, the low attainment) of one rep.
      const rep = report.problemDetails.find(
        (p) =>
          / of .+ unworked past the SLA$/.test(p.text) ||
          / met the first-touch window /.test(p.text),
      )
      expect(rep, problems).toBeDefined()
      expect(rep?.owner).toBe('sales')
      const ownerId = new URL(rep?.link ?? '', 'http://x').searchParams.get('ownerId') ?? ''
      const owner = await t.ctx.db
        .selectFrom('users')
        .innerJoin('teamMembers', 'teamMembers.userId', 'users.id')
        .innerJoin('teams', 'teams.id', 'teamMembers.teamId')
        .select(['users.name', 'teams.name as team'])
        .where('users.id', '=', ownerId)
        .executeTakeFirstOrThrow()
      expect(owner.team).toBe('Enterprise')
      expect(rep?.text).toContain(owner.name)
    }, 600_000)
  }
})
