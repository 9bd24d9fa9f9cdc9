import { describe, expect, it } from 'vitest'
import {
  creditGroupOf,
  drillHref,
  formatConversions,
  formatCredit,
  formatRoi,
  groupWords,
  monthRange,
} from './attribution-format.ts'

describe('formatRoi', () => {
  const cases: [number | null, string][] = [
    [null, '—'],
    [0, '0%'],
    [2.4, '240%'],
    [-0.35, '−35%'],
    [-1, '−100%'],
  ]
  for (const [roi, expected] of cases) {
    it(`says "${expected}" for ${roi}`, () => expect(formatRoi(roi)).toBe(expected))
  }
})

describe('formatConversions', () => {
  it('keeps one decimal of a fractional credit', () =>
    expect(formatConversions(12.345)).toBe('12.3'))
  it('rounds large counts to whole conversions', () =>
    expect(formatConversions(1234.6)).toBe((1235).toLocaleString()))
  it('never shows a credit above nothing as 0', () => expect(formatConversions(0.01)).toBe('<0.1'))
  it('shows nothing as 0', () => expect(formatConversions(0)).toBe('0'))
})

describe('formatCredit', () => {
  it('shows a share as a whole percent from 10%', () => expect(formatCredit(0.3)).toBe('30%'))
  it('keeps a decimal below 10%', () => expect(formatCredit(0.0333)).toBe('3.3%'))
})

describe('drillHref', () => {
  const link = '/telescope/attribution?conversion=mql&campaign=c1&from=2025-01-01&to=2025-12-31'
  it('opens the same group for another conversion', () => {
    const url = new URL(drillHref(link, 'won'), 'http://x')
    expect(url.pathname).toBe('/telescope/attribution')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      conversion: 'won',
      campaign: 'c1',
      from: '2025-01-01',
      to: '2025-12-31',
    })
  })
  it('carries a model other than the default along', () => {
    expect(new URL(drillHref(link, 'won', 'linear'), 'http://x').searchParams.get('model')).toBe(
      'linear',
    )
  })
})

describe('creditGroupOf', () => {
  it('reads the campaign, channel or month of a drill-down', () => {
    expect(creditGroupOf(new URLSearchParams('conversion=won&campaign=none'))).toEqual({
      by: 'campaign',
      value: 'none',
    })
    expect(creditGroupOf(new URLSearchParams('channel=paid_search'))).toEqual({
      by: 'channel',
      value: 'paid_search',
    })
    expect(creditGroupOf(new URLSearchParams('month=2025-03'))).toEqual({
      by: 'month',
      value: '2025-03',
    })
    expect(creditGroupOf(new URLSearchParams('conversion=won'))).toBeNull()
  })
  it('names channels and touches without a campaign in words', () => {
    expect(groupWords({ by: 'channel', value: 'paid_search' })).toBe('Paid search')
    expect(groupWords({ by: 'campaign', value: 'none' })).toBe('touches without a campaign')
    expect(groupWords({ by: 'campaign', value: 'c1' }, 'Spring launch')).toBe('Spring launch')
  })
})

describe('monthRange', () => {
  it('says the default range when none is given', () =>
    expect(monthRange('', undefined)).toBe('the last 12 months'))
  it('gives one month once', () =>
    expect(monthRange('2025-03-01', '2025-03-31')).toBe(monthRange('2025-03-05', '2025-03-20')))
  it('gives first and last month of a longer range', () =>
    expect(monthRange('2025-01-01', '2025-12-31')).toMatch(/2025 – .*2025/))
})
