import countries from 'i18n-iso-countries'
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' }
import { Utm } from '../contacts/input.ts'
import { normalizeDomain } from '../records/common.ts'
import { Country, Currency } from '../records/fields.ts'
import type { CsvRow } from './csv.ts'
import type { ImportField } from './fields.ts'
import { normalizeValue, type ResolvedMapping } from './mapping.ts'
import type { RowError } from './types.ts'
import {
  CellError,
  currencyDigits,
  type DateOrder,
  dateOrderOf,
  parseBoolean,
  parseDate,
  parseEmail,
  parseInteger,
  parseMoney,
  parseNumber,
  parseTimestamp,
} from './values.ts'

/** A row read and typed: field key → value (absent when the cell is empty), custom values apart. */
export interface PreparedRow {
  line: number
  values: Record<string, unknown>
  custom: Record<string, unknown>
  /** field key → the CSV column it came from, for error messages. */
  columns: Record<string, string>
  /** Its record was found through a merged-away record's key, which the survivor does not take. */
  keyOnly?: boolean
}

const phone = /^\+?[0-9 ()./-]{3,40}(\s*(x|ext\.?)\s*[0-9]{1,6})?$/i

/** "Closed Won" → closed_won, for matching enum values written in words. */
const enumName = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')

function parseEnum(raw: string, values: readonly string[]): string {
  const direct = values.find((v) => v === raw.trim() || v === enumName(raw))
  if (direct) return direct
  throw new CellError(`"${raw}" is not one of ${values.join(', ')}`)
}

function parseText(raw: string, max: number | undefined): string {
  const value = raw.trim()
  if (max !== undefined && value.length > max)
    throw new CellError(`is longer than ${max} characters`)
  return value
}

/** A list cell: a JSON array (as exports write it) or values separated by ";". */
function parseList(raw: string): string[] {
  const value = raw.trim()
  const items = value.startsWith('[') ? parseJson(value) : value.split(';')
  if (!Array.isArray(items) || items.some((i) => typeof i !== 'string'))
    throw new CellError(`"${raw}" is not a list such as a;b or ["a","b"]`)
  return [...new Set(items.map((i: string) => i.trim()).filter((i) => i !== ''))]
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    throw new CellError(`is not valid JSON (${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw})`)
  }
}

function parseCell(field: ImportField, raw: string, order: DateOrder, digits: number): unknown {
  switch (field.type) {
    case 'text':
      return parseText(raw, field.max)
    case 'email':
      return parseEmail(raw)
    case 'phone':
      if (!phone.test(raw.trim()))
        throw new CellError(`"${raw}" is not a phone number such as +49 30 1234567`)
      return raw.trim()
    case 'integer':
      return parseInteger(raw)
    case 'number':
      return parseNumber(raw)
    case 'money':
      return parseMoney(raw, digits)
    case 'boolean':
      return parseBoolean(raw)
    case 'date':
      return parseDate(raw, order)
    case 'timestamp':
      return parseTimestamp(raw, order)
    case 'enum':
      return parseEnum(raw, field.values ?? [])
    case 'multi':
      return parseList(raw).map((v) => parseEnum(v, field.values ?? []))
    case 'list': {
      const items = parseList(raw)
      const long = items.find((i) => i.length > (field.max ?? 100))
      if (long) throw new CellError(`"${long}" is longer than ${field.max ?? 100} characters`)
      return items
    }
    case 'json':
      return parseJson(raw)
    case 'utm': {
      const utm = Utm.safeParse(parseJson(raw))
      if (!utm.success) throw new CellError(`"${raw}" is not a JSON object of utm_* values`)
      return utm.data
    }
    case 'currency':
      return checked(Currency.safeParse(raw), raw, 'an ISO 4217 currency code such as USD')
    case 'country':
      return parseCountry(raw)
    case 'domain': {
      const domain = normalizeDomain(raw)
      if (!domain) throw new CellError(`"${raw}" is not a domain such as example.com`)
      return domain
    }
  }
}

/** A country code ("DE") or an English name ("Germany", "USA", "United Kingdom") → its code. */
countries.registerLocale(english)

function parseCountry(raw: string): string {
  const code = Country.safeParse(raw)
  if (code.success) return code.data
  const named = countries.getAlpha2Code(raw.trim(), 'en')
  if (named) return named
  throw new CellError(
    `"${raw}" is not a country code such as DE or an English country name; map it with --values country:"${raw}"=<code>`,
  )
}

function checked(
  result: { success: true; data: string } | { success: false },
  raw: string,
  what: string,
) {
  if (!result.success) throw new CellError(`"${raw}" is not ${what}`)
  return result.data
}

/** The file's order of slash dates, from the date columns of its first rows (default MM/DD). */
export function decideDateOrder(rows: CsvRow[], mapping: ResolvedMapping): DateOrder {
  const dateColumns = mapping.columns.filter(
    (c) => c.field.type === 'date' || c.field.type === 'timestamp',
  )
  for (const row of rows) {
    for (const column of dateColumns) {
      const order = dateOrderOf(row.cells[column.index] ?? '')
      if (order) return order
    }
  }
  return 'mdy'
}

/**
 * Reads one CSV row into typed field values, applying the value mapping first. Returns a RowError
 * naming the first bad cell instead when one is bad.
 */
export function prepareRow(
  row: CsvRow,
  width: number,
  mapping: ResolvedMapping,
  order: DateOrder,
): PreparedRow | RowError {
  if (row.cells.length !== width && !(row.cells.length === 1 && row.cells[0] === '')) {
    return {
      line: row.line,
      column: null,
      reason: `has ${row.cells.length} values where the header has ${width} columns`,
    }
  }
  const prepared: PreparedRow = { line: row.line, values: {}, custom: {}, columns: {} }
  Object.assign(prepared.values, mapping.constants)
  const currencyColumn = mapping.columns.find((c) => c.field.type === 'currency')
  const currency = currencyColumn ? (row.cells[currencyColumn.index] ?? '').trim() : ''
  const digits = currency ? currencyDigits(currency.toUpperCase()) : 2
  for (const { index, header, field } of mapping.columns) {
    let raw = row.cells[index] ?? ''
    const mapped = mapping.values.get(field.key)?.get(normalizeValue(raw))
    if (mapped !== undefined) raw = mapped
    if (raw.trim() === '') continue
    try {
      const value = parseCell(field, raw, order, digits)
      if (field.key.startsWith('custom.')) prepared.custom[field.key.slice(7)] = value
      else prepared.values[field.key] = value
      prepared.columns[field.key] = header
    } catch (error) {
      if (!(error instanceof CellError)) throw error
      return { line: row.line, column: header, reason: `${field.key}: ${error.message}` }
    }
  }
  const { sourceId } = prepared.values
  if (sourceId !== undefined) {
    delete prepared.values.sourceId
    if (prepared.values.externalId === undefined) {
      prepared.values.externalId = sourceId
      prepared.columns.externalId = prepared.columns.sourceId ?? 'id'
    }
  }
  return prepared
}
