import { describe, expect, it } from 'vitest'
import {
  clampScore,
  decayWeight,
  type RuleForScoring,
  type ScoringTouch,
  scoreBucket,
  scoreContact,
  touchMatches,
} from './scoring.ts'

const now = new Date('2026-06-30T12:00:00Z')
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000)
const touch = (days: number, over: Partial<ScoringTouch> = {}): ScoringTouch => ({
  occurredAt: daysAgo(days),
  type: 'page_view',
  channel: 'direct',
  campaignId: null,
  url: 'https://example.com/pricing',
  eventName: null,
  isBot: false,
  ...over,
})
const rule = (over: Partial<RuleForScoring> & Pick<RuleForScoring, 'id'>): RuleForScoring => ({
  kind: 'engagement',
  name: over.id,
  position: 0,
  points: 10,
  isActive: true,
  ...over,
})

describe('decay', () => {
  it('halves the weight every half-life and counts future touches as today', () => {
    expect(decayWeight(daysAgo(0), now, 30)).toBe(1)
    expect(decayWeight(daysAgo(30), now, 30)).toBeCloseTo(0.5, 12)
    expect(decayWeight(daysAgo(60), now, 30)).toBeCloseTo(0.25, 12)
    expect(decayWeight(daysAgo(7), now, 7)).toBeCloseTo(0.5, 12)
    expect(decayWeight(daysAgo(-3), now, 30)).toBe(1)
  })

  it('sums decayed points: 20 today + 20 thirty days ago + 20 sixty days ago = 35', () => {
    const scores = scoreContact({
      rules: [rule({ id: 'visit', points: 20 })],
      fitMatches: () => false,
      touchConditions: { visit: { types: ['page_view'] } },
      touches: [touch(0), touch(30), touch(60)],
      now,
      halfLifeDays: 30,
    })
    // 20 × (1 + 0.5 + 0.25) = 35
    expect(scores.engagement).toBe(35)
    expect(scores.explanation).toEqual([
      { ruleId: 'visit', kind: 'engagement', name: 'visit', points: 35, touches: 3 },
    ])
  })

  it('skips bots and touches older than 10 half-lives, and rounds to 0.1 in explanations', () => {
    const scores = scoreContact({
      rules: [rule({ id: 'visit', points: 10 })],
      fitMatches: () => false,
      touchConditions: { visit: { types: ['page_view'] } },
      // 10 × 2^(-10/30) = 7.937…; the bot and the 301-day-old touch do not count.
      touches: [touch(10), touch(0, { isBot: true }), touch(301)],
      now,
      halfLifeDays: 30,
    })
    expect(scores.engagement).toBe(8)
    expect(scores.explanation[0]).toMatchObject({ points: 7.9, touches: 1 })
  })
})

describe('clamping and fit', () => {
  it('clamps to 0-100 and rounds', () => {
    expect(clampScore(-12)).toBe(0)
    expect(clampScore(130)).toBe(100)
    expect(clampScore(49.5)).toBe(50)
    expect(clampScore(49.49)).toBe(49)
  })

  it('sums the matching active fit rules: 60 + 50 - 5 = 105 → 100; negatives floor at 0', () => {
    const rules = [
      rule({ id: 'industry', kind: 'fit', points: 60, position: 2 }),
      rule({ id: 'size', kind: 'fit', points: 50, position: 1 }),
      rule({ id: 'student', kind: 'fit', points: -5, position: 3 }),
      rule({ id: 'inactive', kind: 'fit', points: 40, position: 0, isActive: false }),
      rule({ id: 'unmatched', kind: 'fit', points: 30, position: 4 }),
    ]
    const matched = new Set(['industry', 'size', 'student', 'inactive'])
    const scores = scoreContact({
      rules,
      fitMatches: (r) => matched.has(r.id),
      touchConditions: {},
      touches: [],
      now,
      halfLifeDays: 30,
    })
    expect(scores.fit).toBe(100)
    expect(scores.explanation.map((reason) => reason.ruleId)).toEqual([
      'size',
      'industry',
      'student',
    ])
    const negative = scoreContact({
      rules,
      fitMatches: (r) => r.id === 'student',
      touchConditions: {},
      touches: [],
      now,
      halfLifeDays: 30,
    })
    expect(negative.fit).toBe(0)
  })

  it('scores 0/0 with an empty explanation when no rule fires', () => {
    expect(
      scoreContact({
        rules: [rule({ id: 'visit' })],
        fitMatches: () => false,
        touchConditions: { visit: { types: ['webinar'] } },
        touches: [touch(1)],
        now,
        halfLifeDays: 30,
      }),
    ).toEqual({ fit: 0, engagement: 0, explanation: [] })
  })
})

describe('rule order and touch conditions', () => {
  it('lists fit rules first, then engagement rules, each by position', () => {
    const scores = scoreContact({
      rules: [
        rule({ id: 'e2', position: 2 }),
        rule({ id: 'f1', kind: 'fit', position: 5, points: 10 }),
        rule({ id: 'e1', position: 1 }),
        rule({ id: 'f0', kind: 'fit', position: 0, points: 10 }),
      ],
      fitMatches: () => true,
      touchConditions: { e1: { channels: ['direct'] }, e2: { urlContains: 'PRICING' } },
      touches: [touch(0)],
      now,
      halfLifeDays: 30,
    })
    expect(scores.explanation.map((reason) => reason.ruleId)).toEqual(['f0', 'f1', 'e1', 'e2'])
    expect(scores.fit).toBe(20)
    expect(scores.engagement).toBe(20)
  })

  it('matches every given key; lists match by membership', () => {
    const t = touch(0, { type: 'custom', eventName: 'trial_started', campaignId: 'c1' })
    expect(touchMatches({ types: ['custom'], eventNames: ['trial_started'] }, t)).toBe(true)
    expect(touchMatches({ types: ['custom'], eventNames: ['other'] }, t)).toBe(false)
    expect(touchMatches({ campaignIds: ['c1', 'c2'] }, t)).toBe(true)
    expect(touchMatches({ campaignIds: ['c2'] }, t)).toBe(false)
    expect(touchMatches({ urlContains: 'docs' }, t)).toBe(false)
    expect(touchMatches({ urlContains: 'docs' }, { ...t, url: null })).toBe(false)
  })

  it('buckets scores by tens, 90-100 together', () => {
    expect([0, 9, 10, 55, 90, 100].map(scoreBucket)).toEqual([0, 0, 1, 5, 9, 9])
  })
})
