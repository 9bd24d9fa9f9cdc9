import { describe, expect, it } from 'vitest'
import {
  chooseRep,
  chooseRule,
  isAbsentAt,
  type RepChoice,
  RoutingCondition,
  type RoutingLead,
  type RoutingRep,
  type RoutingRule,
  segmentOf,
  startOfLocalDay,
} from './routing.ts'

const hourMs = 3_600_000
const day0 = Date.UTC(2026, 0, 5)
const at = (hours: number) => new Date(day0 + hours * hourMs)

describe('segmentOf', () => {
  const cases: [number | null, string | null][] = [
    [null, null],
    [0, 'smb'],
    [199, 'smb'],
    [200, 'mid_market'],
    [1999, 'mid_market'],
    [2000, 'enterprise'],
    [250_000, 'enterprise'],
  ]
  for (const [employees, segment] of cases) {
    it(`puts ${employees} employees in ${segment}`, () => {
      expect(segmentOf(employees)).toBe(segment)
    })
  }
})

describe('chooseRule', () => {
  const rules: RoutingRule[] = [
    {
      id: 'dach-enterprise',
      teamId: 'dach-ent',
      conditions: [
        { field: 'country', op: 'in', value: ['DE', 'AT', 'CH'] },
        { field: 'employees', op: 'gte', value: 2000 },
      ],
    },
    {
      id: 'dach',
      teamId: 'dach',
      conditions: [{ field: 'country', op: 'in', value: ['de', 'at', 'ch'] }],
    },
    {
      id: 'no-size',
      teamId: 'triage',
      conditions: [{ field: 'employees', op: 'exists', value: false }],
    },
    { id: 'rest', teamId: 'global', conditions: [] },
  ]
  const cases: { name: string; lead: RoutingLead; rule: string | null }[] = [
    {
      name: 'the first rule whose conditions all hold wins',
      lead: { country: 'DE', employees: 5000 },
      rule: 'dach-enterprise',
    },
    {
      name: 'a rule with one failing condition is skipped for the next',
      lead: { country: 'de', employees: 150 },
      rule: 'dach',
    },
    {
      name: 'a later rule applies only when the earlier ones do not',
      lead: { country: 'FR', employees: null },
      rule: 'no-size',
    },
    {
      name: 'a rule without conditions catches the rest',
      lead: { country: 'FR', employees: 40 },
      rule: 'rest',
    },
    { name: 'a lead with no attributes goes to the first rule it fits', lead: {}, rule: 'no-size' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(chooseRule(rules, c.lead)?.id ?? null).toBe(c.rule)
    })
  }

  it('follows the order given, not the specificity of the rules', () => {
    const reversed = [...rules].reverse()
    expect(chooseRule(reversed, { country: 'DE', employees: 5000 })?.id).toBe('rest')
  })

  it('gives null when no rule matches', () => {
    expect(chooseRule(rules.slice(0, 2), { country: 'US', employees: 10 })).toBeNull()
    expect(chooseRule([], { country: 'US' })).toBeNull()
  })
})

describe('routing conditions', () => {
  const cases: { name: string; when: RoutingCondition; lead: RoutingLead; matches: boolean }[] = [
    {
      name: 'in matches a listed value whatever its case',
      when: { field: 'country', op: 'in', value: ['DE', 'FR'] },
      lead: { country: 'fr' },
      matches: true,
    },
    {
      name: 'in ignores surrounding spaces',
      when: { field: 'industry', op: 'in', value: ['Software'] },
      lead: { industry: ' software ' },
      matches: true,
    },
    {
      name: 'in does not match an unlisted value',
      when: { field: 'region', op: 'in', value: ['EMEA'] },
      lead: { region: 'APAC' },
      matches: false,
    },
    {
      name: 'in does not match an empty value',
      when: { field: 'segment', op: 'in', value: ['smb'] },
      lead: { segment: null },
      matches: false,
    },
    {
      name: 'nin matches an unlisted value',
      when: { field: 'country', op: 'nin', value: ['US', 'CA'] },
      lead: { country: 'MX' },
      matches: true,
    },
    {
      name: 'nin refuses a listed value whatever its case',
      when: { field: 'country', op: 'nin', value: ['US', 'CA'] },
      lead: { country: 'us' },
      matches: false,
    },
    {
      name: 'nin matches an empty value, as in the filter language',
      when: { field: 'industry', op: 'nin', value: ['Education'] },
      lead: {},
      matches: true,
    },
    {
      name: 'eq compares text case-insensitively',
      when: { field: 'segment', op: 'eq', value: 'Enterprise' },
      lead: { segment: 'enterprise' },
      matches: true,
    },
    {
      name: 'eq does not match an empty value',
      when: { field: 'region', op: 'eq', value: 'EMEA' },
      lead: { region: '  ' },
      matches: false,
    },
    {
      name: 'neq matches another value and an empty one',
      when: { field: 'region', op: 'neq', value: 'EMEA' },
      lead: { region: null },
      matches: true,
    },
    {
      name: 'neq refuses the same value whatever its case',
      when: { field: 'region', op: 'neq', value: 'EMEA' },
      lead: { region: 'emea' },
      matches: false,
    },
    {
      name: 'gte includes the bound',
      when: { field: 'employees', op: 'gte', value: 200 },
      lead: { employees: 200 },
      matches: true,
    },
    {
      name: 'gte refuses a smaller size',
      when: { field: 'employees', op: 'gte', value: 200 },
      lead: { employees: 199 },
      matches: false,
    },
    {
      name: 'gt excludes the bound',
      when: { field: 'employees', op: 'gt', value: 200 },
      lead: { employees: 200 },
      matches: false,
    },
    {
      name: 'lt excludes the bound',
      when: { field: 'employees', op: 'lt', value: 200 },
      lead: { employees: 200 },
      matches: false,
    },
    {
      name: 'lt matches a smaller size',
      when: { field: 'employees', op: 'lt', value: 200 },
      lead: { employees: 0 },
      matches: true,
    },
    {
      name: 'lte includes the bound',
      when: { field: 'employees', op: 'lte', value: 1999 },
      lead: { employees: 1999 },
      matches: true,
    },
    {
      name: 'eq on a size matches only that size',
      when: { field: 'employees', op: 'eq', value: 50 },
      lead: { employees: 51 },
      matches: false,
    },
    {
      name: 'an unknown size matches no comparison',
      when: { field: 'employees', op: 'lt', value: 200 },
      lead: { employees: null },
      matches: false,
    },
    {
      name: 'exists false matches a missing value',
      when: { field: 'region', op: 'exists', value: false },
      lead: {},
      matches: true,
    },
    {
      name: 'exists false matches blank text',
      when: { field: 'industry', op: 'exists', value: false },
      lead: { industry: '  ' },
      matches: true,
    },
    {
      name: 'exists true counts a size of zero as known',
      when: { field: 'employees', op: 'exists', value: true },
      lead: { employees: 0 },
      matches: true,
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const rule = { id: 'r', teamId: 't', conditions: [c.when] }
      expect(chooseRule([rule], c.lead) !== null).toBe(c.matches)
    })
  }

  it('parses conditions and names the part that does not fit the field', () => {
    const parse = (value: unknown) => RoutingCondition.safeParse(value)
    expect(parse({ field: 'country', op: 'in', value: [' DE '] }).data).toEqual({
      field: 'country',
      op: 'in',
      value: ['DE'],
    })
    expect(parse({ field: 'employees', op: 'gte', value: 200 }).success).toBe(true)
    const refusals: [unknown, string][] = [
      [{ field: 'employees', op: 'in', value: ['5'] }, 'op'],
      [{ field: 'country', op: 'gte', value: 5 }, 'op'],
      [{ field: 'segment', op: 'in', value: [] }, 'value'],
      [{ field: 'segment', op: 'eq', value: ' ' }, 'value'],
      [{ field: 'employees', op: 'lt', value: 2.5 }, 'value'],
      [{ field: 'employees', op: 'lt', value: -1 }, 'value'],
      [{ field: 'region', op: 'exists', value: 'yes' }, 'value'],
      [{ field: 'title', op: 'eq', value: 'CEO' }, 'field'],
    ]
    for (const [input, path] of refusals) {
      const result = parse(input)
      expect(result.success, JSON.stringify(input)).toBe(false)
      expect(result.error?.issues[0]?.path, JSON.stringify(input)).toEqual([path])
    }
  })
})

describe('isAbsentAt', () => {
  it('covers from the start, up to but not including the end, either end open', () => {
    expect(isAbsentAt(null, null, at(0))).toBe(false)
    expect(isAbsentAt(at(0), at(10), at(0))).toBe(true)
    expect(isAbsentAt(at(0), at(10), at(10))).toBe(false)
    expect(isAbsentAt(at(1), at(10), at(0))).toBe(false)
    expect(isAbsentAt(at(0), null, at(1000))).toBe(true)
    expect(isAbsentAt(null, at(10), at(9))).toBe(true)
    expect(isAbsentAt(null, at(10), at(11))).toBe(false)
  })
})

describe('startOfLocalDay', () => {
  it('starts the day at local midnight, ahead of or behind UTC and across DST', () => {
    const now = new Date('2026-03-29T22:30:00Z')
    expect(startOfLocalDay(now, 'UTC').toISOString()).toBe('2026-03-29T00:00:00.000Z')
    // Berlin is already on the 30th, in summer time since 02:00 local that day.
    expect(startOfLocalDay(now, 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z')
    expect(startOfLocalDay(now, 'America/New_York').toISOString()).toBe('2026-03-29T04:00:00.000Z')
  })
})

const makeRep = (id: string, overrides: Partial<RoutingRep> = {}): RoutingRep => ({
  id,
  isActive: true,
  isAbsent: false,
  capacity: null,
  dailyCap: null,
  openCount: 0,
  todayCount: 0,
  lastAssignedAt: null,
  ...overrides,
})

describe('chooseRep', () => {
  const cases: { name: string; reps: RoutingRep[]; choice: RepChoice }[] = [
    {
      name: 'a team without reps has no active rep',
      reps: [],
      choice: { repId: null, reason: 'no_active_rep' },
    },
    {
      name: 'inactive reps (not selling, or not accepting leads) are skipped',
      reps: [makeRep('a', { isActive: false }), makeRep('b', { isActive: false })],
      choice: { repId: null, reason: 'no_active_rep' },
    },
    {
      name: 'absent reps are skipped',
      reps: [makeRep('a', { isAbsent: true }), makeRep('b', { isActive: false })],
      choice: { repId: null, reason: 'all_absent' },
    },
    {
      name: 'reps at capacity are skipped',
      reps: [makeRep('a', { capacity: 3, openCount: 3 }), makeRep('b', { capacity: 0 })],
      choice: { repId: null, reason: 'all_at_capacity' },
    },
    {
      name: 'reps at their daily cap are skipped',
      reps: [
        makeRep('a', { dailyCap: 5, todayCount: 5 }),
        makeRep('b', { dailyCap: 2, todayCount: 2 }),
      ],
      choice: { repId: null, reason: 'all_at_daily_cap' },
    },
    {
      name: 'with an absent rep and a full one, capacity is what blocks the team',
      reps: [makeRep('a', { isAbsent: true }), makeRep('b', { capacity: 1, openCount: 1 })],
      choice: { repId: null, reason: 'all_at_capacity' },
    },
    {
      name: 'with one rep full and one at its cap, the cap is what blocks the team',
      reps: [
        makeRep('a', { capacity: 1, openCount: 1 }),
        makeRep('b', { dailyCap: 1, todayCount: 1 }),
      ],
      choice: { repId: null, reason: 'all_at_daily_cap' },
    },
    {
      name: 'the one eligible rep gets the lead however recently it had one',
      reps: [
        makeRep('a', { isAbsent: true }),
        makeRep('b', { capacity: 2, openCount: 2 }),
        makeRep('c', { dailyCap: 9, todayCount: 8, lastAssignedAt: at(-0.1) }),
      ],
      choice: { repId: 'c' },
    },
    {
      name: 'the rep whose last assignment is the oldest gets the lead',
      reps: [
        makeRep('a', { lastAssignedAt: at(-1) }),
        makeRep('b', { lastAssignedAt: at(-3) }),
        makeRep('c', { lastAssignedAt: at(-2) }),
      ],
      choice: { repId: 'b' },
    },
    {
      name: 'a rep never assigned goes first',
      reps: [makeRep('a', { lastAssignedAt: at(-100) }), makeRep('z')],
      choice: { repId: 'z' },
    },
    {
      name: 'a rep under capacity is chosen while the longer-waiting one is full',
      reps: [
        makeRep('a', { lastAssignedAt: at(-5), capacity: 2, openCount: 2 }),
        makeRep('b', { lastAssignedAt: at(-1) }),
      ],
      choice: { repId: 'b' },
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(chooseRep(c.reps)).toEqual(c.choice)
    })
  }

  it('breaks ties by id, whatever the order the reps come in', () => {
    const same = at(-2)
    const reps = ['m', 'c', 'x'].map((id) => makeRep(id, { lastAssignedAt: same }))
    expect(chooseRep(reps)).toEqual({ repId: 'c' })
    expect(chooseRep([...reps].reverse())).toEqual({ repId: 'c' })
    const fresh = ['q', 'b', 'k'].map((id) => makeRep(id))
    expect(chooseRep(fresh)).toEqual({ repId: 'b' })
  })
})

/** One rep of a simulated team: when they are in it, away, and their limits. */
interface SimRep {
  id: string
  joinsAt?: number
  /** Absent from lead index `[0]` up to (not including) lead `[1]`. */
  absent?: [from: number, to: number]
  capacity?: number
  dailyCap?: number
}

/**
 * Routes `leads` leads one after another (one every `minutesApart`, open handoffs closing after
 * `holdHours`), keeping the state the server would load, and answers who got each lead.
 */
function simulate(team: SimRep[], leads: number, minutesApart = 6, holdHours = 6) {
  const last = new Map<string, Date>()
  const open: { repId: string; closesAt: number }[] = []
  const today = new Map<string, number>()
  const owners: (string | null)[] = []
  const reasons: string[] = []
  let day = -1
  const peakOpen = new Map<string, number>()
  const peakToday = new Map<string, number>()
  for (let i = 0; i < leads; i++) {
    const now = new Date(day0 + i * minutesApart * 60_000)
    const nowDay = Math.floor((now.getTime() - day0) / (24 * hourMs))
    if (nowDay !== day) {
      day = nowDay
      today.clear()
    }
    for (let k = open.length - 1; k >= 0; k--) {
      if ((open[k]?.closesAt ?? 0) <= now.getTime()) open.splice(k, 1)
    }
    const reps = team
      .filter((r) => i >= (r.joinsAt ?? 0))
      .map((r) =>
        makeRep(r.id, {
          isAbsent: r.absent !== undefined && i >= r.absent[0] && i < r.absent[1],
          capacity: r.capacity ?? null,
          dailyCap: r.dailyCap ?? null,
          openCount: open.filter((h) => h.repId === r.id).length,
          todayCount: today.get(r.id) ?? 0,
          lastAssignedAt: last.get(r.id) ?? null,
        }),
      )
    const choice = chooseRep(reps)
    owners.push(choice.repId)
    if (choice.repId === null) {
      reasons.push(choice.reason)
      continue
    }
    const repId = choice.repId
    last.set(repId, now)
    today.set(repId, (today.get(repId) ?? 0) + 1)
    open.push({ repId, closesAt: now.getTime() + holdHours * hourMs })
    peakToday.set(repId, Math.max(peakToday.get(repId) ?? 0, today.get(repId) ?? 0))
    const openNow = open.filter((h) => h.repId === repId).length
    peakOpen.set(repId, Math.max(peakOpen.get(repId) ?? 0, openNow))
  }
  return { owners, reasons, peakOpen, peakToday }
}

const countOf = (owners: (string | null)[], id: string, from = 0, to = owners.length) =>
  owners.slice(from, to).filter((o) => o === id).length

/** The largest difference between the counts of `ids` after each lead of [from, to). */
function widestGap(owners: (string | null)[], ids: string[], from: number, to: number) {
  const counts = new Map(ids.map((id) => [id, 0]))
  let widest = 0
  for (let i = from; i < to; i++) {
    const owner = owners[i]
    if (owner !== null && owner !== undefined && counts.has(owner))
      counts.set(owner, (counts.get(owner) ?? 0) + 1)
    const values = [...counts.values()]
    widest = Math.max(widest, Math.max(...values) - Math.min(...values))
  }
  return widest
}

describe('round robin over thousands of assignments', () => {
  const leads = 10_000
  // Three reps throughout; dee away for leads 3,000-5,000; eve joins at lead 5,000.
  const team: SimRep[] = [
    { id: 'ana' },
    { id: 'ben' },
    { id: 'cai' },
    { id: 'dee', absent: [3000, 5000] },
    { id: 'eve', joinsAt: 5000 },
  ]
  const run = simulate(team, leads)

  it('assigns every lead while someone is eligible', () => {
    expect(run.owners.filter((o) => o === null)).toEqual([])
  })

  it('keeps reps who stay eligible within one lead of each other at every moment', () => {
    expect(widestGap(run.owners, ['ana', 'ben', 'cai'], 0, leads)).toBeLessThanOrEqual(1)
    // And the long-run shares are equal, ± 1.
    const counts = ['ana', 'ben', 'cai'].map((id) => countOf(run.owners, id))
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
  })

  it('gives a newcomer one lead per turn of the team from the start, no surge', () => {
    // Five eligible from lead 5,000: every run of five consecutive leads has eve once.
    for (let i = 5000; i + 5 <= leads; i++) {
      expect(countOf(run.owners, 'eve', i, i + 5), `leads ${i}-${i + 4}`).toBe(1)
    }
    expect(widestGap(run.owners, ['ana', 'ben', 'cai', 'dee', 'eve'], 5000, leads)).toBe(1)
  })

  it('gives a rep back from absence no catch-up for the leads missed', () => {
    expect(countOf(run.owners, 'dee', 3000, 5000)).toBe(0)
    expect(countOf(run.owners, 'dee', 5000, 5005)).toBe(1)
    expect(countOf(run.owners, 'dee', 5000, leads)).toBe(1000)
    // Over the whole run dee is behind by exactly the share missed while away.
    expect(countOf(run.owners, 'ana') - countOf(run.owners, 'dee')).toBeGreaterThanOrEqual(600)
  })

  it('gives the same owners for the same inputs', () => {
    expect(simulate(team, leads).owners).toEqual(run.owners)
  })
})

describe('round robin with capacity and daily caps', () => {
  // A lead every 6 minutes (240 a day); handoffs stay open 6 hours.
  const team: SimRep[] = [
    { id: 'ana', capacity: 10 },
    { id: 'ben', dailyCap: 40 },
    { id: 'cai' },
    { id: 'dee' },
  ]
  const leads = 24 * 10 * 10
  const run = simulate(team, leads)

  it('never passes a capacity or a daily cap, though both are reached', () => {
    expect(run.peakOpen.get('ana')).toBe(10)
    expect(run.peakToday.get('ben')).toBe(40)
    expect(run.owners.filter((o) => o === null)).toEqual([])
  })

  it('lets a skipped rep lose the turn rather than get it back later', () => {
    // ana (15 open at full pace) and ben (60 a day at full pace) are skipped while full; whenever
    // they come back, cai and dee (never limited) each get a lead between two of theirs.
    for (const id of ['ana', 'ben']) {
      let previous = -1
      run.owners.forEach((owner, i) => {
        if (owner !== id) return
        if (previous >= 0) {
          for (const other of ['cai', 'dee'])
            expect(countOf(run.owners, other, previous, i), `${id} at ${i}`).toBeGreaterThan(0)
        }
        previous = i
      })
    }
    expect(countOf(run.owners, 'ben')).toBe(400)
    expect(countOf(run.owners, 'ana')).toBeLessThan(countOf(run.owners, 'cai'))
    expect(widestGap(run.owners, ['cai', 'dee'], 0, leads)).toBeLessThanOrEqual(1)
  })

  it('leaves a lead unassigned with the blocking reason when nobody is eligible', () => {
    const full = simulate([{ id: 'ana', capacity: 2 }], 3, 1, 24)
    expect(full.owners).toEqual(['ana', 'ana', null])
    expect(full.reasons).toEqual(['all_at_capacity'])
    const capped = simulate([{ id: 'ana', dailyCap: 1 }], 2, 1, 0)
    expect(capped.reasons).toEqual(['all_at_daily_cap'])
  })
})
