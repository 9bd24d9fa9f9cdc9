import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { sharedDataFile } from '../../test/shared-data.ts'
import { parseStamp, readSeries } from './forecast-series.ts'

const airPassengers = sharedDataFile('air_passengers.csv')
const dir = mkdtempSync(path.join(tmpdir(), 'tandem-forecast-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function csv(lines: string[]): string {
  const file = path.join(dir, `series-${++files}.csv`)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

const months = (from: number, values: number[]) =>
  values.map((v, i) => {
    const m = from + i
    return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')},${v}`
  })

interface Output {
  model: string
  forecast: number[]
  lower80: number[]
  upper80: number[]
  lower95: number[]
  upper95: number[]
  holdout: { rmse: number; mape: number | null } | null
}

describe('tandem forecast', () => {
  it('meets the bar on air passengers with --horizon 24 --holdout 24 --json', async () => {
    const result = await runCli(
      ['forecast', airPassengers, '--horizon', '24', '--holdout', '24', '--json'],
      {},
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const output = JSON.parse(result.stdout) as Output
    expect(Object.keys(output)).toEqual([
      'model',
      'forecast',
      'lower80',
      'upper80',
      'lower95',
      'upper95',
      'holdout',
    ])
    expect(output.model).toMatch(/^ETS\([AM],(N|A|Ad),[NAM]\)$/)
    expect(output.forecast).toHaveLength(24)
    // Seasonal naive: RMSE 76.99, MAPE 15.52%; statsmodels' Holt-Winters: RMSE 32.5.
    expect(output.holdout?.rmse).toBeLessThanOrEqual(36)
    expect(output.holdout?.mape).toBeLessThan(15.52)
    for (let h = 0; h < 24; h++) {
      expect(output.lower95[h]).toBeLessThanOrEqual(output.lower80[h] as number)
      expect(output.upper80[h]).toBeLessThanOrEqual(output.upper95[h] as number)
    }
  }, 60_000)

  it('prints a table of periods without --json, holdout null with --json alone', async () => {
    const file = csv([
      'quarter,amount',
      ...['2020', '2021', '2022'].flatMap((y, i) =>
        [10, 14, 12, 18].map(
          (v, q) => `${y}-${String(q * 3 + 1).padStart(2, '0')}-01,${v + 2 * i}`,
        ),
      ),
    ])
    const table = await runCli(['forecast', file, '--horizon', '2'], {})
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/season 4, fitted on 12 quarterly points of amount/)
    expect(table.stdout).toMatch(/\n2023-Q1 +\d/)
    expect(table.stdout).toMatch(/\n2023-Q2 +\d/)
    const json = await runCli(['forecast', file, '--horizon', '2', '--json'], {})
    expect((JSON.parse(json.stdout) as Output).holdout).toBeNull()
  }, 60_000)

  it('exits 1 naming the line and value of a bad row', async () => {
    const file = csv(['month,leads', '2024-01,10', '2024-02,twelve', '2024-03,9'])
    const result = await runCli(['forecast', file, '--horizon', '3', '--json'], {})
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('error: line 3: value "twelve" in column "leads" is not a number\n')
  }, 60_000)

  it('refuses a holdout as long as the series', async () => {
    const file = csv(['month,leads', ...months(2024 * 12, [5, 6, 7, 8])])
    const result = await runCli(['forecast', file, '--horizon', '3', '--holdout', '4'], {})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/--holdout 4 leaves nothing to fit: the series has 4 points/)
  }, 60_000)
})

describe('reading the series', () => {
  it('reads month names, ISO dates, YYYY-MM, quarters and years', () => {
    expect(parseStamp('Jan 1949')).toEqual({ kind: 'month', month: 1949 * 12 })
    expect(parseStamp('September 1949')).toEqual({ kind: 'month', month: 1949 * 12 + 8 })
    expect(parseStamp('Sept 1949')).toEqual({ kind: 'month', month: 1949 * 12 + 8 })
    expect(parseStamp('1949-12')).toEqual({ kind: 'month', month: 1949 * 12 + 11 })
    expect(parseStamp('2021-Q3')).toEqual({ kind: 'month', month: 2021 * 12 + 6 })
    expect(parseStamp('2024-02-29')).toEqual({
      kind: 'day',
      day: Date.UTC(2024, 1, 29) / 86_400_000,
    })
    for (const bad of ['2023-02-29', '1949-13', 'Janu 1949', 'Foo 1949', '12/01/2024', ''])
      expect(parseStamp(bad)).toBeUndefined()
  })

  it('infers the season from the spacing of the dates', async () => {
    const monthly = await readSeries(airPassengers, {})
    expect(monthly).toMatchObject({ frequency: 'monthly', season: 12, valueColumn: 'traffic' })
    expect(monthly.values).toHaveLength(144)
    expect(monthly.labelAfter(1)).toBe('1961-01')
    const days = (step: number) =>
      csv([
        'day,n',
        ...[0, 1, 2, 3].map(
          (i) => `${new Date(Date.UTC(2024, 0, 1 + i * step)).toISOString().slice(0, 10)},${i + 1}`,
        ),
      ])
    expect((await readSeries(days(1), {})).season).toBe(7)
    expect((await readSeries(days(7), {})).season).toBe(52)
    const monthEnds = csv(['d,v', '2024-01-31,1', '2024-02-29,2', '2024-03-31,3'])
    expect(await readSeries(monthEnds, {})).toMatchObject({ frequency: 'monthly', season: 12 })
    const years = csv(['y,v', '2020,1', '2021,2', '2022,3'])
    expect((await readSeries(years, {})).season).toBe(1)
  })

  it('picks columns by name and sorts the rows by date', async () => {
    const file = csv(['value,other,when', '3,x,2024-03', '1,y,2024-01', '2,z,2024-02'])
    const series = await readSeries(file, { dateCol: 'when', valueCol: 'value' })
    expect(series.values).toEqual([1, 2, 3])
  })

  const refusals: [string, string[], { dateCol?: string; valueCol?: string }, string][] = [
    [
      'an unparseable date',
      ['m,v', '2024-01,1', '2024-0x,2', '2024-03,3'],
      {},
      'line 3: "2024-0x" is not a date (use YYYY-MM-DD, YYYY-MM or a month name like Jan 1949)',
    ],
    [
      'a duplicate date',
      ['m,v', 'Jan 2024,1', '2024-02,2', '2024-01,3'],
      {},
      'duplicate date: "Jan 2024" on line 2 and "2024-01" on line 4',
    ],
    [
      'a gap',
      ['m,v', '2024-01,1', '2024-02,2', '2024-04,4', '2024-05,5'],
      {},
      'gap in the series: 2024-03 is missing (between line 3 "2024-02" and line 4 "2024-04")',
    ],
    [
      'an empty value',
      ['m,v', '2024-01,1', '2024-02,', '2024-03,3'],
      {},
      'line 3: value "" in column "v" is not a number',
    ],
    [
      'an unknown column',
      ['m,v', '2024-01,1'],
      { valueCol: 'leads' },
      'no column "leads" in FILE; its columns: m, v',
    ],
    [
      'fewer than 3 points',
      ['m,v', '2024-01,1', '2024-02,2'],
      {},
      'FILE has 2 data rows; at least 3 points are needed',
    ],
    [
      'a missing day',
      ['d,v', '2024-01-01,1', '2024-01-02,2', '2024-01-04,4', '2024-01-05,5'],
      {},
      'gap in the series: 2024-01-03 is missing (between line 3 "2024-01-02" and line 4 "2024-01-04")',
    ],
    [
      'irregular weeks',
      ['d,v', '2024-01-01,1', '2024-01-08,2', '2024-01-15,3', '2024-01-25,4'],
      {},
      'irregular dates: line 5 "2024-01-25" is not one week after line 4 "2024-01-15"',
    ],
    [
      'dates 2 months apart',
      ['m,v', '2024-01,1', '2024-03,2', '2024-05,3'],
      {},
      'the dates are 2 months apart; use daily, weekly, monthly, quarterly or yearly data',
    ],
  ]
  for (const [what, lines, options, message] of refusals) {
    it(`refuses ${what} with a clear message`, async () => {
      const file = csv(lines)
      await expect(readSeries(file, options)).rejects.toThrow(message.replace('FILE', file))
    })
  }
})
