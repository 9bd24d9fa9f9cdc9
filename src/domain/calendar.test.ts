import { describe, expect, it } from 'vitest'
import {
  dayShare,
  type FiscalCalendar,
  fiscalQuarterOf,
  periodByKey,
  periodOf,
  periodsBetween,
} from './calendar.ts'

const utc: FiscalCalendar = { timeZone: 'UTC', fiscalYearStartMonth: 1 }
const paris: FiscalCalendar = { timeZone: 'Europe/Paris', fiscalYearStartMonth: 1 }
const february: FiscalCalendar = { timeZone: 'UTC', fiscalYearStartMonth: 2 }
const july: FiscalCalendar = { timeZone: 'America/New_York', fiscalYearStartMonth: 7 }

const iso = (d: Date) => d.toISOString()

describe('fiscal quarters', () => {
  it('are calendar quarters when the fiscal year starts in January', () => {
    const q = periodOf('quarter', new Date('2026-05-10T12:00:00Z'), utc)
    expect([q.key, iso(q.start), iso(q.end)]).toEqual([
      'FY2026-Q2',
      '2026-04-01T00:00:00.000Z',
      '2026-07-01T00:00:00.000Z',
    ])
  })

  it('run from the start month, the year named by the year it ends in', () => {
    // February start: Feb-Apr is Q1 of the year ending next January.
    expect(periodOf('quarter', new Date('2026-02-01T00:00:00Z'), february).key).toBe('FY2027-Q1')
    expect(periodOf('quarter', new Date('2027-01-31T23:59:59Z'), february).key).toBe('FY2027-Q4')
    const q4 = periodOf('quarter', new Date('2026-12-15T00:00:00Z'), february)
    expect([iso(q4.start), iso(q4.end)]).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2027-02-01T00:00:00.000Z',
    ])
    expect(fiscalQuarterOf(2026, 1, 2)).toEqual({ fiscalYear: 2026, quarter: 4 })
    expect(fiscalQuarterOf(2026, 7, 7)).toEqual({ fiscalYear: 2027, quarter: 1 })
    expect(fiscalQuarterOf(2026, 6, 7)).toEqual({ fiscalYear: 2026, quarter: 4 })
  })

  it('start at local midnight of the workspace time zone', () => {
    // 03:30 UTC on 1 July is 23:30 on 30 June in New York: the last quarter of FY2026.
    const q = periodOf('quarter', new Date('2026-07-01T03:30:00Z'), july)
    expect(q.key).toBe('FY2026-Q4')
    expect(iso(q.end)).toBe('2026-07-01T04:00:00.000Z')
    expect(periodOf('quarter', new Date('2026-07-01T04:00:00Z'), july).key).toBe('FY2027-Q1')
  })

  it('round-trip through their keys', () => {
    for (const calendar of [utc, february, july]) {
      for (const at of ['2025-12-31T23:00:00Z', '2026-03-15T00:00:00Z', '2026-08-01T12:00:00Z']) {
        const period = periodOf('quarter', new Date(at), calendar)
        expect(periodByKey(period.key, calendar)).toEqual(period)
      }
    }
  })
})

describe('weeks', () => {
  it('run Monday to Sunday and cross months, keyed by ISO week-year', () => {
    const week = periodOf('week', new Date('2026-01-01T10:00:00Z'), utc)
    expect([week.key, iso(week.start), iso(week.end)]).toEqual([
      '2026-W01',
      '2025-12-29T00:00:00.000Z',
      '2026-01-05T00:00:00.000Z',
    ])
    expect(periodByKey('2026-W01', utc)).toEqual(week)
  })

  it('carry the share of a month target of the days they hold in it', () => {
    // Week 2026-W27: Monday 29 June – Sunday 5 July; June has 30 days, July 31.
    const week = periodByKey('2026-W27', utc)
    const june = periodByKey('2026-06', utc)
    const july2026 = periodByKey('2026-07', utc)
    expect(dayShare(june, week.start, week.end, utc)).toBeCloseTo(2 / 30, 12)
    expect(dayShare(july2026, week.start, week.end, utc)).toBeCloseTo(5 / 31, 12)
    expect(dayShare(june, june.start, june.end, utc)).toBe(1)
  })

  it('are 7 days whose boundaries follow daylight saving time', () => {
    // Europe/Paris springs forward on Sunday 29 March 2026: that week is one hour short.
    const week = periodByKey('2026-W13', paris)
    expect(iso(week.start)).toBe('2026-03-22T23:00:00.000Z')
    expect(iso(week.end)).toBe('2026-03-29T22:00:00.000Z')
    expect(periodsBetween('day', week.start, week.end, paris)).toHaveLength(7)
    const sunday = periodByKey('2026-03-29', paris)
    expect(sunday.end.getTime() - sunday.start.getTime()).toBe(23 * 3600_000)
  })
})

describe('periods', () => {
  it('list every period overlapping a range, in order', () => {
    const months = periodsBetween(
      'month',
      new Date('2026-11-15T00:00:00Z'),
      new Date('2027-02-01T00:00:00Z'),
      utc,
    )
    expect(months.map((m) => m.key)).toEqual(['2026-11', '2026-12', '2027-01'])
    expect(periodsBetween('day', new Date('2026-01-02'), new Date('2026-01-01'), utc)).toEqual([])
  })

  it('name what is wrong with a bad key or calendar', () => {
    expect(() => periodByKey('2026-W54', utc)).toThrow(/2026-W54 is not a valid week/)
    expect(() => periodByKey('2026-02-30', utc)).toThrow(/2026-02-30 is not a valid day/)
    expect(() => periodByKey('FY2026-Q5', utc)).toThrow(/is not a day .* or quarter/)
    expect(() => periodByKey('2026-13', utc)).toThrow(/2026-13 is not a valid month/)
    expect(() =>
      periodOf('month', new Date(), { timeZone: 'UTC', fiscalYearStartMonth: 13 }),
    ).toThrow(/fiscalYearStartMonth: 13/)
    expect(() =>
      periodOf('month', new Date(), { timeZone: 'Mars/Olympus', fiscalYearStartMonth: 1 }),
    ).toThrow(/timeZone: Mars\/Olympus/)
  })
})
