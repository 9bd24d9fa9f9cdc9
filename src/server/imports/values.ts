import { z } from 'zod'
import { isRealDate } from '../records/fields.ts'

/** A cell that could not be read as its field's type: the reason names what was expected. */
export class CellError extends Error {}

export type DateOrder = 'dmy' | 'mdy'

const email = z.email()

export function parseEmail(raw: string): string {
  const value = raw.trim().toLowerCase()
  if (value.length > 320 || !email.safeParse(value).success)
    throw new CellError(`"${raw}" is not an email address such as ada@example.com`)
  return value
}

/**
 * Amounts: digits with an optional decimal part; "," groups thousands in "1,234,567.89" and "." in
 * "1.234.567,89". A lone separator followed by exactly three digits ("1,234" or "1.234") could be
 * either and is refused; currency symbols and codes around the number are ignored.
 */
export function parseDecimal(raw: string): number {
  const value = raw
    .trim()
    .replace(/^[A-Z]{3}\s*|\s*[A-Z]{3}$/g, '')
    .replace(/[$€£¥\s\u00a0']/g, '')
  const fail = (why: string) => new CellError(`"${raw}" ${why}`)
  if (!/^-?[0-9][0-9.,]*$/.test(value)) return Number.NaN
  const lastDot = value.lastIndexOf('.')
  const lastComma = value.lastIndexOf(',')
  let normalized: string
  if (lastDot !== -1 && lastComma !== -1) {
    const decimal = lastDot > lastComma ? '.' : ','
    const group = decimal === '.' ? ',' : '.'
    const [whole = '', fraction = ''] = value.split(decimal)
    if (value.split(decimal).length > 2 || !isGrouped(whole, group))
      throw fail('mixes separators in a way that is not a number')
    normalized = `${whole.split(group).join('')}.${fraction}`
  } else if (lastDot === -1 && lastComma === -1) {
    normalized = value
  } else {
    const sep = lastDot !== -1 ? '.' : ','
    const parts = value.split(sep)
    if (parts.length > 2) {
      if (!isGrouped(value, sep)) throw fail('is not a number')
      normalized = parts.join('')
    } else if ((parts[1] ?? '').length === 3) {
      throw fail(
        `is ambiguous (thousands or decimals?): write 1234 or 1234${sep === '.' ? ',' : '.'}00`,
      )
    } else {
      normalized = parts.join('.')
    }
  }
  return Number(normalized)
}

function isGrouped(whole: string, group: string) {
  const parts = whole.replace(/^-/, '').split(group)
  return parts.every((p, i) => (i === 0 ? /^[0-9]{1,3}$/.test(p) : /^[0-9]{3}$/.test(p)))
}

export function parseNumber(raw: string): number {
  const n = parseDecimal(raw)
  if (!Number.isFinite(n)) throw new CellError(`"${raw}" is not a number`)
  return n
}

export function parseInteger(raw: string): number {
  const n = parseNumber(raw)
  if (!Number.isInteger(n) || n < 0 || n > 2_000_000_000)
    throw new CellError(`"${raw}" is not a whole number`)
  return n
}

/**
 * Money in minor units of a currency with `digits` decimals (2 for most). For a currency of three
 * decimals (KWD), "1.250" is read as the decimal an export writes, not as 1250.
 */
export function parseMoney(raw: string, digits = 2): number {
  const plain = raw.trim()
  const n = digits === 3 && /^[0-9]+\.[0-9]{3}$/.test(plain) ? Number(plain) : parseDecimal(raw)
  if (!Number.isFinite(n)) throw new CellError(`"${raw}" is not an amount such as 1234.50`)
  if (n < 0) throw new CellError(`"${raw}" is negative`)
  const minor = Math.round(n * 10 ** digits)
  if (Math.abs(minor - n * 10 ** digits) > 1e-6)
    throw new CellError(`"${raw}" has more than ${digits} decimals`)
  return minor
}

const truthy = new Set(['true', 'yes', 'y', '1', 'x', 'ja', 'oui', 'sí', 'si', 'checked'])
const falsy = new Set(['false', 'no', 'n', '0', '', 'nein', 'non', 'unchecked'])

export function parseBoolean(raw: string): boolean {
  const value = raw.trim().toLowerCase()
  if (truthy.has(value)) return true
  if (falsy.has(value)) return false
  throw new CellError(`"${raw}" is not yes/no (true, false, yes, no, 1, 0)`)
}

const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/
const slashDate =
  /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/

/** Which order a slash date can only be read in: dmy when the first part is over 12, and so on. */
export function dateOrderOf(raw: string): DateOrder | undefined {
  const m = slashDate.exec(raw.trim())
  if (!m) return undefined
  const a = Number(m[1])
  const b = Number(m[2])
  if (a > 12 && b <= 12) return 'dmy'
  if (b > 12 && a <= 12) return 'mdy'
  return undefined
}

interface DateParts {
  day: string
  time: string | undefined
  /** Decimals of the second as written (an export's microseconds). */
  fraction?: string
}

/**
 * Dates: 2024-01-31, ISO 8601 times (2024-01-31T14:05:00Z), HubSpot's "2024-01-31 14:05",
 * Salesforce's "1/31/2024" and "31/01/2024" or "31.01.2024"; slash dates are read in the file's
 * order (decided from its first rows, see dateOrderOf). Times without a zone are UTC.
 */
function parseDateParts(raw: string, order: DateOrder): DateParts {
  const value = raw.trim()
  const iso = isoDateTime.exec(value)
  if (iso) {
    const day = `${iso[1]}-${iso[2]}-${iso[3]}`
    if (!isRealDate(day)) throw new CellError(`"${raw}" is not a real date`)
    if (iso[4] === undefined) return { day, time: undefined }
    const zone = iso[8] ?? 'Z'
    const ms = iso[7] ? `.${iso[7].slice(0, 3)}` : ''
    const time = `${day}T${iso[4]}:${iso[5]}:${iso[6] ?? '00'}${ms}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`
    return { day, time, fraction: iso[7] }
  }
  const m = slashDate.exec(value)
  if (!m) {
    throw new CellError(`"${raw}" is not a date (use YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY)`)
  }
  const found = dateOrderOf(value)
  if (found && found !== order) {
    throw new CellError(
      `"${raw}" does not match this file's date order (${order === 'mdy' ? 'MM/DD/YYYY' : 'DD/MM/YYYY'})`,
    )
  }
  const [month, dayOfMonth] = order === 'mdy' ? [m[1], m[2]] : [m[2], m[1]]
  const day = `${m[3]}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`
  if (!isRealDate(day)) throw new CellError(`"${raw}" is not a real date`)
  if (m[4] === undefined) return { day, time: undefined }
  let hour = Number(m[4])
  const meridiem = m[7]?.toLowerCase()
  if (meridiem === 'pm' && hour < 12) hour += 12
  if (meridiem === 'am' && hour === 12) hour = 0
  return { day, time: `${day}T${String(hour).padStart(2, '0')}:${m[5]}:${m[6] ?? '00'}Z` }
}

export function parseDate(raw: string, order: DateOrder): string {
  return parseDateParts(raw, order).day
}

/** A time as ISO 8601 UTC, keeping every decimal of the second (PostgreSQL keeps microseconds). */
export function parseTimestamp(raw: string, order: DateOrder): string {
  const { day, time, fraction } = parseDateParts(raw, order)
  const at = new Date(time ?? `${day}T00:00:00Z`)
  if (Number.isNaN(at.getTime())) throw new CellError(`"${raw}" is not a real time`)
  // Offsets are whole minutes, so the decimals of the second are the same in UTC.
  const iso = at.toISOString()
  return fraction && fraction.length > 3 ? `${iso.slice(0, 19)}.${fraction.slice(0, 6)}Z` : iso
}

/** The decimals of a currency's minor unit (JPY 0, USD 2). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}
