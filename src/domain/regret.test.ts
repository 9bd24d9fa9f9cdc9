import { describe, expect, it } from 'vitest'
import {
  addDays,
  isMature,
  lastMatureDay,
  regretCounts,
  regretOf,
  regretRate,
  type WonDealFacts,
  withinWindow,
} from './regret.ts'

const none = { churnedOn: null, refundedOn: null, downgradedOn: null }
const today = '2026-11-28'

function deal(closedOn: string, more: Partial<WonDealFacts> = {}): WonDealFacts {
  return { won: true, closedOn, wonFit: null, deal: none, account: null, ...more }
}

describe('regret dates', () => {
  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2026-01-01', 180)).toBe('2026-06-30')
    expect(addDays('2026-11-28', -180)).toBe('2026-06-01')
  })

  it('makes a deal mature when closed exactly 180 days before today, not 179', () => {
    // 2026-06-01 + 180 days = 2026-11-28 (June 29 + July 31 + Aug 31 + Sep 30 + Oct 31 + Nov 28).
    expect(lastMatureDay(today)).toBe('2026-06-01')
    expect(isMature('2026-06-01', today)).toBe(true)
    expect(isMature('2026-06-02', today)).toBe(false)
    expect(isMature('2025-01-01', today)).toBe(true)
  })

  it('counts a date on day 0 through day 180 of the closing, not 181 or before closing', () => {
    // Closed 2026-01-01: day 180 is 2026-06-30, day 181 2026-07-01.
    expect(withinWindow('2026-01-01', '2026-01-01')).toBe(true)
    expect(withinWindow('2026-06-30', '2026-01-01')).toBe(true)
    expect(withinWindow('2026-07-01', '2026-01-01')).toBe(false)
    expect(withinWindow('2025-12-31', '2026-01-01')).toBe(false)
    expect(withinWindow(null, '2026-01-01')).toBe(false)
  })
})

describe('regretOf', () => {
  it('counts a churn on day 180 and not on day 181', () => {
    const day180 = regretOf(deal('2026-01-01', { deal: { ...none, churnedOn: '2026-06-30' } }), 40)
    expect(day180).toEqual({
      churned: true,
      refunded: false,
      downgraded: false,
      poorFit: false,
      regretted: true,
    })
    const day181 = regretOf(deal('2026-01-01', { deal: { ...none, churnedOn: '2026-07-01' } }), 40)
    expect(day181.regretted).toBe(false)
  })

  it("uses the account's dates as well as the deal's", () => {
    const viaAccount = regretOf(
      deal('2026-01-01', { account: { ...none, churnedOn: '2026-03-15' } }),
      40,
    )
    expect(viaAccount.churned).toBe(true)
    expect(viaAccount.regretted).toBe(true)
    const refunded = regretOf(
      deal('2026-01-01', { account: { ...none, refundedOn: '2026-02-01' } }),
      40,
    )
    expect(refunded).toMatchObject({ refunded: true, churned: false, regretted: true })
    // The account churned before the deal was won: not this deal's regret.
    const before = regretOf(
      deal('2026-01-01', { account: { ...none, churnedOn: '2025-12-31' } }),
      40,
    )
    expect(before.regretted).toBe(false)
    const downgraded = regretOf(
      deal('2026-01-01', {
        deal: { ...none, downgradedOn: '2026-05-01' },
        account: { ...none, downgradedOn: '2027-01-01' },
      }),
      40,
    )
    expect(downgraded).toMatchObject({ downgraded: true, regretted: true })
  })

  it('flags a deal won with a fit below the current threshold, not at it', () => {
    expect(regretOf(deal('2026-01-01', { wonFit: 39 }), 40)).toMatchObject({
      poorFit: true,
      regretted: true,
    })
    expect(regretOf(deal('2026-01-01', { wonFit: 40 }), 40).regretted).toBe(false)
    expect(regretOf(deal('2026-01-01', { wonFit: 40 }), 41).poorFit).toBe(true)
    expect(regretOf(deal('2026-01-01', { wonFit: null }), 100).poorFit).toBe(false)
  })
})

describe('regretRate', () => {
  it('is null for an empty cohort', () => {
    expect(regretRate([], today, 40)).toEqual({
      won: 0,
      regretted: 0,
      rate: null,
      churned: 0,
      refunded: 0,
      downgraded: 0,
      poorFit: 0,
    })
    // Only immature or lost deals: still empty.
    expect(
      regretRate([deal('2026-06-02'), deal('2025-01-01', { won: false })], today, 40).rate,
    ).toBeNull()
  })

  it('counts mature won deals only, each regretted deal once', () => {
    const deals = [
      // Mature, churned (deal) and poor fit: regretted once, counted in both reasons.
      deal('2026-01-01', { wonFit: 20, deal: { ...none, churnedOn: '2026-02-01' } }),
      // Mature (exactly 180 days), account refunded on closing day.
      deal('2026-06-01', { account: { ...none, refundedOn: '2026-06-01' } }),
      // Mature, churned on day 181: not regretted.
      deal('2026-01-01', { deal: { ...none, churnedOn: '2026-07-01' } }),
      // Mature, fine.
      deal('2025-12-01', { wonFit: 90 }),
      // Immature (179 days): left out though it churned and fits poorly.
      deal('2026-06-02', { wonFit: 10, deal: { ...none, churnedOn: '2026-06-10' } }),
      // Lost as poor_fit_walked_away: not in the cohort.
      deal('2026-01-01', { won: false, wonFit: 10 }),
    ]
    expect(regretRate(deals, today, 40)).toEqual({
      won: 4,
      regretted: 2,
      rate: 0.5,
      churned: 1,
      refunded: 1,
      downgraded: 0,
      poorFit: 1,
    })
  })

  it('sums outcomes', () => {
    const counts = regretCounts([
      { churned: false, refunded: false, downgraded: true, poorFit: true, regretted: true },
      { churned: false, refunded: false, downgraded: false, poorFit: false, regretted: false },
      { churned: false, refunded: false, downgraded: false, poorFit: false, regretted: false },
    ])
    expect(counts).toMatchObject({ won: 3, regretted: 1, downgraded: 1, poorFit: 1 })
    expect(counts.rate).toBeCloseTo(1 / 3, 10)
  })
})
