import { readFile } from 'node:fs/promises'
import { CsvError, parse } from 'csv-parse/sync'

/** A date of the series: a day (ISO date) or a whole month, quarter or year. */
type Stamp = { kind: 'day'; day: number } | { kind: 'month'; month: number }

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly'

export interface Series {
  values: number[]
  frequency: Frequency
  /** The period of the season the spacing implies: 7, 52, 12, 4 or 1. */
  season: number
  /** Label of the i-th period after the last one (i = 1, 2…), e.g. '1961-01'. */
  labelAfter: (i: number) => string
  valueColumn: string
}

const seasons: Record<Frequency, number> = {
  daily: 7,
  weekly: 52,
  monthly: 12,
  quarterly: 4,
  yearly: 1,
}

const units: Record<Frequency, string> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
  yearly: 'year',
}

const monthNames = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
]
const dayMs = 86_400_000

/** ISO dates, YYYY-MM, `Jan 1949` / `January 1949`, YYYY-Qn and YYYY; undefined otherwise. */
export function parseStamp(text: string): Stamp | undefined {
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text)
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
    const time = Date.UTC(y, m - 1, d)
    const back = new Date(time)
    if (back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined
    return { kind: 'day', day: time / dayMs }
  }
  match = /^(\d{4})-(\d{1,2})$/.exec(text)
  if (match) {
    const m = Number(match[2])
    return m >= 1 && m <= 12 ? { kind: 'month', month: Number(match[1]) * 12 + m - 1 } : undefined
  }
  match = /^([A-Za-z]+)\.?[\s-]+(\d{4})$/.exec(text)
  if (match) {
    const name = (match[1] as string).toLowerCase()
    const m = monthNames.findIndex(
      (short) => name.startsWith(short) && (name.length === 3 || fullMonth(short) === name),
    )
    const sept = name === 'sept' ? 8 : -1
    const index = m >= 0 ? m : sept
    return index >= 0 ? { kind: 'month', month: Number(match[2]) * 12 + index } : undefined
  }
  match = /^(\d{4})[\s-]?Q([1-4])$/i.exec(text)
  if (match) return { kind: 'month', month: Number(match[1]) * 12 + (Number(match[2]) - 1) * 3 }
  match = /^(\d{4})$/.exec(text)
  if (match) return { kind: 'month', month: Number(match[1]) * 12 }
  return undefined
}

function fullMonth(short: string): string {
  return new Date(Date.UTC(2000, monthNames.indexOf(short), 1))
    .toLocaleString('en', { month: 'long', timeZone: 'UTC' })
    .toLowerCase()
}

const isoDay = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10)
const isoMonth = (month: number) =>
  `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`

function label(frequency: Frequency, at: number): string {
  if (frequency === 'daily' || frequency === 'weekly') return isoDay(at)
  if (frequency === 'yearly') return String(Math.floor(at / 12))
  if (frequency === 'quarterly') return `${Math.floor(at / 12)}-Q${Math.floor((at % 12) / 3) + 1}`
  return isoMonth(at)
}

const numberPattern = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i

/**
 * Reads a date column and a value column from a CSV with a header row (defaults: the first and the
 * second column) into a regular series. Every refusal names the line and the value: unparseable
 * dates, non-numbers, duplicate dates (both lines), gaps (the missing period), fewer than 3 points.
 */
export async function readSeries(
  file: string,
  options: { dateCol?: string; valueCol?: string },
): Promise<Series> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`)
  }
  let rows: { record: string[]; info: { lines: number } }[]
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as {
      record: string[]
      info: { lines: number }
    }[]
  } catch (error) {
    if (error instanceof CsvError) throw new Error(`${file}: ${error.message}`)
    throw error
  }
  const header = rows[0]?.record
  if (!header) throw new Error(`${file} is empty`)
  const column = (name: string | undefined, fallback: number, what: string) => {
    if (name === undefined) {
      if (header.length <= fallback)
        throw new Error(`${file} has no ${what} column (a header with date and value columns)`)
      return fallback
    }
    const index = header.indexOf(name)
    if (index < 0)
      throw new Error(`no column "${name}" in ${file}; its columns: ${header.join(', ')}`)
    return index
  }
  const dateIndex = column(options.dateCol, 0, 'date')
  const valueIndex = column(options.valueCol, 1, 'value')
  const points = rows.slice(1).map(({ record, info }) => {
    const line = info.lines
    const dateText = record[dateIndex] ?? ''
    const valueText = record[valueIndex] ?? ''
    const stamp = parseStamp(dateText)
    if (!stamp)
      throw new Error(
        `line ${line}: "${dateText}" is not a date (use YYYY-MM-DD, YYYY-MM or a month name like Jan 1949)`,
      )
    if (!numberPattern.test(valueText))
      throw new Error(
        `line ${line}: value "${valueText}" in column "${header[valueIndex]}" is not a number`,
      )
    return { line, dateText, stamp, value: Number(valueText) }
  })
  if (points.length < 3)
    throw new Error(`${file} has ${points.length} data rows; at least 3 points are needed`)

  const byMonth = points.some((p) => p.stamp.kind === 'month')
  const key = (s: Stamp) => (s.kind === 'month' ? s.month : byMonth ? monthOfDay(s.day) : s.day)
  const sorted = [...points].sort((a, b) => key(a.stamp) - key(b.stamp))
  const diffs: number[] = []
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as (typeof sorted)[number]
    const b = sorted[i] as (typeof sorted)[number]
    if (key(a.stamp) === key(b.stamp))
      throw new Error(
        `duplicate date: "${a.dateText}" on line ${a.line} and "${b.dateText}" on line ${b.line}`,
      )
    diffs.push(key(b.stamp) - key(a.stamp))
  }
  // Full dates a month or more apart are read as months (month ends and firsts alike).
  const monthly = byMonth || Math.min(...diffs) >= 28
  const at = (s: Stamp) => (s.kind === 'month' ? s.month : monthly ? monthOfDay(s.day) : s.day)
  const steps = sorted.slice(1).map((p, i) => at(p.stamp) - at((sorted[i] as typeof p).stamp))
  const step = Math.min(...steps)
  const frequency: Frequency | undefined = monthly
    ? ({ 1: 'monthly', 3: 'quarterly', 12: 'yearly' } as Record<number, Frequency>)[step]
    : ({ 1: 'daily', 7: 'weekly' } as Record<number, Frequency>)[step]
  if (!frequency)
    throw new Error(
      `the dates are ${step} ${monthly ? 'months' : 'days'} apart; use daily, weekly, monthly, quarterly or yearly data`,
    )
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as (typeof sorted)[number]
    const b = sorted[i] as (typeof sorted)[number]
    const gap = at(b.stamp) - at(a.stamp)
    if (gap === step) continue
    if (gap % step === 0)
      throw new Error(
        `gap in the series: ${label(frequency, at(a.stamp) + step)} is missing (between line ${a.line} "${a.dateText}" and line ${b.line} "${b.dateText}")`,
      )
    throw new Error(
      `irregular dates: line ${b.line} "${b.dateText}" is not one ${units[frequency]} after line ${a.line} "${a.dateText}"`,
    )
  }
  const last = at((sorted[sorted.length - 1] as (typeof sorted)[number]).stamp)
  return {
    values: sorted.map((p) => p.value),
    frequency,
    season: seasons[frequency],
    labelAfter: (i) => label(frequency, last + i * step),
    valueColumn: header[valueIndex] as string,
  }
}

function monthOfDay(day: number): number {
  const date = new Date(day * dayMs)
  return date.getUTCFullYear() * 12 + date.getUTCMonth()
}
