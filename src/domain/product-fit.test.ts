import { describe, expect, it } from 'vitest'
import {
  dealFit,
  employeeRange,
  type FitProfile,
  type FitSubject,
  isPoorFit,
  productFit,
  winRate,
} from './product-fit.ts'

const profile: FitProfile = {
  industries: ['Manufacturing', 'Logistics'],
  employeesMin: 200,
  employeesMax: 5000,
  regions: ['EMEA'],
  problems: ['multi-site', 'audit trail'],
}
const subject: FitSubject = {
  industry: 'Logistics',
  employees: 800,
  region: 'EMEA',
  needs: ['multi-site'],
}
const empty: FitProfile = {
  industries: [],
  employeesMin: null,
  employeesMax: null,
  regions: [],
  problems: [],
}

describe('productFit', () => {
  it('every criterion matching is 100 with no reasons', () => {
    expect(productFit(profile, subject)).toEqual({ fit: 100, reasons: [] })
  })

  it('compares text case-insensitively and trimmed', () => {
    expect(
      productFit(profile, {
        ...subject,
        industry: ' logistics ',
        region: 'emea',
        needs: ['MULTI-SITE'],
      }).fit,
    ).toBe(100)
  })

  it('no match counts 0 and says why in plain words', () => {
    // industry 0, employees 0, region 1, multi-site 1, uptime 0 → 2 / 5 = 40
    const result = productFit(profile, {
      industry: 'Retail',
      employees: 12,
      region: 'EMEA',
      needs: ['multi-site', 'uptime'],
    })
    expect(result).toEqual({
      fit: 40,
      reasons: [
        'industry Retail not in Manufacturing, Logistics',
        'employees 12 outside 200-5000',
        'need `uptime` not solved by this product',
      ],
    })
  })

  it('unknown account values count 0.5', () => {
    // industry 0.5, employees 0.5, region 1, multi-site 1 → 3 / 4 = 75
    expect(productFit(profile, { ...subject, industry: null, employees: null })).toEqual({
      fit: 75,
      reasons: ['industry unknown', 'employees unknown'],
    })
  })

  it('a deal without an account: the account criteria are unknown, needs still count', () => {
    // 0.5 + 0.5 + 0.5 + need 0 → 1.5 / 4 = 37.5 → 38
    const result = productFit(profile, {
      industry: null,
      employees: null,
      region: null,
      needs: ['payroll'],
    })
    expect(result.fit).toBe(38)
    expect(result.reasons).toEqual([
      'industry unknown',
      'employees unknown',
      'region unknown',
      'need `payroll` not solved by this product',
    ])
    // No needs either: 0.5 × 3 / 3 = 50
    expect(
      productFit(profile, { ...subject, industry: null, employees: null, region: null, needs: [] })
        .fit,
    ).toBe(50)
  })

  it('a profile with no criteria is 50, fit unknown', () => {
    const result = productFit(empty, subject)
    expect(result.fit).toBe(50)
    expect(result.reasons[0]).toMatch(/^fit unknown/)
  })

  it('needs count only when the product lists problems', () => {
    // only the industry criterion, which matches; the need is not a criterion
    expect(
      productFit(
        { ...empty, industries: ['Retail'] },
        { ...subject, industry: 'Retail', needs: ['x'] },
      ),
    ).toEqual({ fit: 100, reasons: [] })
  })

  it('an open-ended employee range checks only its bound', () => {
    const minOnly = { ...empty, employeesMin: 200 }
    expect(productFit(minOnly, { ...subject, employees: 200 }).fit).toBe(100)
    expect(productFit(minOnly, { ...subject, employees: 199 })).toEqual({
      fit: 0,
      reasons: ['employees 199 outside 200 or more'],
    })
    const maxOnly = { ...empty, employeesMax: 50 }
    expect(productFit(maxOnly, { ...subject, employees: 51 }).reasons).toEqual([
      'employees 51 outside up to 50',
    ])
    expect(employeeRange(10, 20)).toBe('10-20')
  })

  it('rounds the mean to an integer: 1 of 3 is 33, 2 of 3 is 67', () => {
    const three = { ...empty, industries: ['A'], regions: ['B'], problems: ['c'] }
    expect(productFit(three, { ...subject, industry: 'A', region: 'X', needs: ['d'] }).fit).toBe(33)
    expect(productFit(three, { ...subject, industry: 'A', region: 'B', needs: ['d'] }).fit).toBe(67)
  })
})

describe('deal fit and poor fit', () => {
  it('is the lowest line, null without lines', () => {
    expect(dealFit([{ fit: 80 }, { fit: 25 }, { fit: 60 }])).toBe(25)
    expect(dealFit([])).toBeNull()
  })

  it('is poor below the threshold, never without lines', () => {
    expect(isPoorFit(39, 40)).toBe(true)
    expect(isPoorFit(40, 40)).toBe(false)
    expect(isPoorFit(null, 40)).toBe(false)
  })
})

describe('winRate', () => {
  it('leaves deals lost as poor_fit_walked_away out of the denominator', () => {
    // 3 won, 3 lost of which 2 walked away → 3 / (3 + 1)
    expect(winRate(3, ['price', 'poor_fit_walked_away', 'poor_fit_walked_away'])).toBe(0.75)
    expect(winRate(0, ['poor_fit_walked_away'])).toBeNull()
  })
})
