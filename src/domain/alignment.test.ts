import { describe, expect, it } from 'vitest'
import {
  alignmentIndex,
  alignmentParts,
  median,
  mqlToSqlX,
  type ProblemFact,
  partValue,
  problemOf,
  rankProblems,
} from './alignment.ts'

describe('alignment parts', () => {
  it('lists the eight parts of DEFINITIONS.md with their owners', () => {
    expect(alignmentParts.map((p) => [p.key, p.owner])).toEqual([
      ['sla_attainment', 'sales'],
      ['acceptance_rate', 'marketing'],
      ['mql_to_sql', 'both'],
      ['feedback_coverage', 'sales'],
      ['marketing_commitment', 'marketing'],
      ['insight_loop', 'both'],
      ['content_coverage', 'marketing'],
      ['forecast_accuracy', 'sales'],
    ])
    for (const part of alignmentParts) {
      expect(part.label).not.toBe('')
      expect(part.meaning).toMatch(/\.$/)
    }
  })
})

describe('partValue', () => {
  it.each([
    [0, 0],
    [1, 100],
    [0.5, 50],
    [412 / 530, 77.7],
    [1.25, 100],
    [-0.2, 0],
    [2 / 3, 66.7],
  ])('x = %s → %s', (x, value) => {
    expect(partValue(x)).toBe(value)
  })
})

describe('alignmentIndex', () => {
  it.each([
    { values: [80, 60, 100], index: 80 },
    { values: [80, null, 60], index: 70 },
    { values: [77.7], index: 77.7 },
    { values: [100, 0, 50, 25], index: 43.8 },
    { values: [33.3, 33.3, 33.4], index: 33.3 },
    { values: [], index: null },
    { values: [null, undefined], index: null },
  ])('$values → $index', ({ values, index }) => {
    expect(alignmentIndex(values)).toBe(index)
  })
})

describe('median and mqlToSqlX', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([0.3, 0.1, 0.2])).toBe(0.2)
    expect(median([0.4, 0.1, 0.3, 0.2])).toBeCloseTo(0.25)
    expect(median([])).toBeNull()
  })

  it.each([
    // 0.2 against the median of 0.1, 0.2, 0.3, 0.4, 0.25, 0.15 (sorted: .1 .15 .2 .25 .3 .4 → .225).
    { rate: 0.2, trailing: [0.1, 0.2, 0.3, 0.4, 0.25, 0.15], x: 0.2 / 0.225 },
    // Months without data are left out: median of 0.1 and 0.3 = 0.2.
    { rate: 0.3, trailing: [null, 0.1, null, 0.3, null, null], x: 1.5 },
    { rate: 0.2, trailing: [0.25], x: 0.8 },
    { rate: 0, trailing: [0.25], x: 0 },
    { rate: 0.2, trailing: [null, null], x: null },
    { rate: 0.2, trailing: [], x: null },
    { rate: 0.2, trailing: [0, 0, 0.1], x: null },
    { rate: null, trailing: [0.2], x: null },
  ])('rate $rate against $trailing → $x', ({ rate, trailing, x }) => {
    const got = mqlToSqlX(rate, trailing)
    if (x === null) expect(got).toBeNull()
    else expect(got).toBeCloseTo(x, 10)
  })
})

const campaign = (over: Partial<ProblemFact & { kind: 'campaign_rejections' }> = {}) =>
  ({
    kind: 'campaign_rejections',
    campaignId: 'c1',
    campaignName: 'LinkedIn: operations leaders 2025',
    decided: 120,
    reason: 'no_budget',
    rejectedWithReason: 100,
    link: '/c1',
    ...over,
  }) as ProblemFact

describe('problemOf', () => {
  it('words a campaign mostly rejected for one reason, its share as severity', () => {
    expect(problemOf(campaign())).toEqual({
      text: 'LinkedIn: operations leaders 2025 leads: 83% rejected as no_budget',
      owner: 'marketing',
      severity: 83.3,
      link: '/c1',
      subject: 'campaign:c1',
    })
  })

  it('ignores a campaign under 10 decided handoffs or under 40% for one reason', () => {
    expect(problemOf(campaign({ decided: 9, rejectedWithReason: 9 }))).toBeNull()
    expect(problemOf(campaign({ decided: 10, rejectedWithReason: 4 }))?.severity).toBe(40)
    expect(problemOf(campaign({ decided: 10, rejectedWithReason: 3 }))).toBeNull()
  })

  it('words a rep with unworked MQLs from 3 on', () => {
    const fact = (unworked: number): ProblemFact => ({
      kind: 'rep_unworked',
      ownerId: 'u1',
      ownerName: 'Dana Reyes',
      unworked,
      link: '/u1',
    })
    expect(problemOf(fact(2))).toBeNull()
    expect(problemOf(fact(3))).toMatchObject({
      text: '3 MQLs of Dana Reyes unworked past the SLA',
      owner: 'sales',
      severity: 65,
    })
    expect(problemOf(fact(7))?.severity).toBe(85)
    expect(problemOf(fact(30))?.severity).toBe(100)
  })

  it('words a rep far below the others on the first-touch window', () => {
    const fact = (met: number, counted: number, othersMet = 88, othersCounted = 100) =>
      ({
        kind: 'rep_attainment',
        ownerId: 'u1',
        ownerName: 'Dana Reyes',
        met,
        counted,
        othersMet,
        othersCounted,
        link: '/u1',
      }) as ProblemFact
    expect(problemOf(fact(21, 100))).toMatchObject({
      text: 'Dana Reyes met the first-touch window for 21% of handoffs (others 88%)',
      severity: 67,
    })
    expect(problemOf(fact(2, 9))).toBeNull() // too few
    expect(problemOf(fact(5, 10))).toBeNull() // 50% is not below 50%
    expect(problemOf(fact(4, 10, 60, 100))).toBeNull() // 40% vs 60%: gap under 25 points
    expect(problemOf(fact(4, 10, 0, 0))).toBeNull() // no others to compare with
  })

  it('words the unassigned queue, a missed MQL target and thin feedback mildly', () => {
    expect(problemOf({ kind: 'unassigned', waiting: 1, link: '/q' })).toMatchObject({
      text: '1 MQL waiting in the unassigned queue',
      severity: 24,
    })
    expect(problemOf({ kind: 'unassigned', waiting: 0, link: '/q' })).toBeNull()
    const target = (delivered: number, target: number): ProblemFact => ({
      kind: 'marketing_target',
      periodLabel: 'October 2026',
      delivered,
      target,
      link: '/t',
    })
    expect(problemOf(target(410, 500))).toMatchObject({
      text: "MQLs at 82% of October 2026's target (410 of 500)",
      owner: 'marketing',
      severity: 18,
    })
    expect(problemOf(target(450, 500))).toBeNull()
    expect(problemOf(target(0, 500))?.severity).toBe(50)
    const feedback = (covered: number, total: number): ProblemFact => ({
      kind: 'feedback',
      periodLabel: 'October 2026',
      covered,
      total,
      link: '/f',
    })
    expect(problemOf(feedback(30, 100))).toMatchObject({
      text: 'Feedback given on 30% of decided handoffs and lost deals in October 2026 (30 of 100)',
      severity: 35,
    })
    expect(problemOf(feedback(50, 100))).toBeNull()
    expect(problemOf(feedback(0, 0))).toBeNull()
  })
})

describe('rankProblems', () => {
  const facts: ProblemFact[] = [
    {
      kind: 'marketing_target',
      periodLabel: 'October 2026',
      delivered: 410,
      target: 500,
      link: '/t',
    },
    { kind: 'unassigned', waiting: 2, link: '/q' },
    campaign(),
    {
      kind: 'rep_attainment',
      ownerId: 'u1',
      ownerName: 'Dana Reyes',
      met: 21,
      counted: 100,
      othersMet: 88,
      othersCounted: 100,
      link: '/u1-missed',
    },
    { kind: 'rep_unworked', ownerId: 'u1', ownerName: 'Dana Reyes', unworked: 7, link: '/u1' },
    { kind: 'feedback', periodLabel: 'October 2026', covered: 45, total: 100, link: '/f' },
  ]

  it('ranks a rejected campaign and a rep with unworked MQLs above mild shortfalls, one per subject', () => {
    expect(rankProblems(facts).map((p) => [p.text, p.severity])).toEqual([
      ['7 MQLs of Dana Reyes unworked past the SLA', 85],
      ['LinkedIn: operations leaders 2025 leads: 83% rejected as no_budget', 83.3],
      ['2 MQLs waiting in the unassigned queue', 28],
    ])
  })

  it('does not depend on the order of the facts, and breaks ties by text', () => {
    const reversed = rankProblems([...facts].reverse(), 10)
    expect(reversed).toEqual(rankProblems(facts, 10))
    expect(reversed.map((p) => p.severity)).toEqual([85, 83.3, 28, 27.5, 18])
    const tie = rankProblems([
      { kind: 'rep_unworked', ownerId: 'b', ownerName: 'Zoe', unworked: 4, link: '/b' },
      { kind: 'rep_unworked', ownerId: 'a', ownerName: 'Ann', unworked: 4, link: '/a' },
    ])
    expect(tie.map((p) => p.text)).toEqual([
      '4 MQLs of Ann unworked past the SLA',
      '4 MQLs of Zoe unworked past the SLA',
    ])
  })

  it('gives nothing when nothing is wrong', () => {
    expect(rankProblems([])).toEqual([])
    expect(rankProblems([{ kind: 'unassigned', waiting: 0, link: '/q' }])).toEqual([])
  })
})
