import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/client.ts'
import { outcomeDateProblem, overrideReasonProblem, poorFitRefusal, todayIso } from './fit-rules.ts'

describe('poorFitRefusal', () => {
  const message = 'Deal "Acme" fits poorly (fit 25 < 40): a sales manager must override…'
  it('reads the poor-fit guard’s 409 with its fit and threshold', () => {
    const error = new ApiError(409, 'conflict', message, {
      field: 'stageId',
      reason: 'poor_fit',
      productFit: 25,
      threshold: 40,
    })
    expect(poorFitRefusal(error)).toEqual({ message, productFit: 25, threshold: 40 })
  })

  it.each([
    ['another conflict', new ApiError(409, 'conflict', 'Deleted meanwhile', { field: 'name' })],
    ['a 400', new ApiError(400, 'invalid_input', 'x', { reason: 'poor_fit' })],
    ['a 409 without details', new ApiError(409, 'conflict', 'x')],
    ['a plain error', new Error('poor_fit')],
    ['nothing', null],
  ])('ignores %s', (_name, error) => {
    expect(poorFitRefusal(error)).toBeUndefined()
  })

  it('keeps the refusal when numbers are missing (nulls instead)', () => {
    const error = new ApiError(409, 'conflict', message, { reason: 'poor_fit', productFit: 'x' })
    expect(poorFitRefusal(error)).toEqual({ message, productFit: null, threshold: null })
  })
})

describe('overrideReasonProblem', () => {
  it.each([
    ['', /Say why/],
    ['         ', /Say why/],
    ['too short', /At least 10/],
    ['  123456789  ', /At least 10/],
    ['x'.repeat(1001), /At most 1000/],
  ])('refuses %j', (reason, problem) => {
    expect(overrideReasonProblem(reason)).toMatch(problem)
  })

  it.each(['1234567890', 'x'.repeat(1000), 'Strategic logo; CEO accepts the risk.'])(
    'accepts a reason of 10-1000 characters',
    (reason) => {
      expect(overrideReasonProblem(reason)).toBeNull()
    },
  )
})

describe('outcomeDateProblem', () => {
  const today = '2026-11-28'
  it.each([
    ['', null],
    ['2026-11-28', null],
    ['2024-02-29', null],
    ['2026-11-29', /future/],
    ['2025-02-29', /real date/],
    ['2026-13-01', /real date/],
    ['28/11/2026', /such as/],
    ['1989-12-31', /past/],
  ])('%j → %s', (text, expected) => {
    const problem = outcomeDateProblem(text, today)
    if (expected === null) expect(problem).toBeNull()
    else expect(problem).toMatch(expected)
  })

  it('formats today in local time as YYYY-MM-DD', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05')
  })
})
