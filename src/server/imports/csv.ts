import type { Readable } from 'node:stream'
import { Transform, type TransformCallback } from 'node:stream'
import { type CsvError, parse } from 'csv-parse'
import { AppError } from '../errors.ts'

/** One data row of the file: its 1-based line (the header is line 1) and its cells. */
export interface CsvRow {
  line: number
  cells: string[]
}

export interface CsvFile {
  headers: string[]
  delimiter: string
  rows: AsyncIterable<CsvRow>
  /** Bytes of the input read so far. */
  bytesRead(): number
}

const delimiters = [',', ';', '\t'] as const

function fail(message: string, details?: Record<string, unknown>): never {
  throw new AppError('invalid_input', message, details)
}

/** The delimiter used most outside quotes in the header line (, ; or tab). */
export function detectDelimiter(headerLine: string): string {
  let inQuotes = false
  const counts = new Map<string, number>()
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes
    else if (!inQuotes && (delimiters as readonly string[]).includes(ch))
      counts.set(ch, (counts.get(ch) ?? 0) + 1)
  }
  let best = ','
  let bestCount = 0
  for (const d of delimiters) {
    const count = counts.get(d) ?? 0
    if (count > bestCount) {
      best = d
      bestCount = count
    }
  }
  return best
}

/**
 * Passes bytes through, failing on the first byte sequence that is not UTF-8 (naming its line),
 * holding back a multibyte character split across chunks until the next chunk completes it.
 */
class Utf8Check extends Transform {
  bytes = 0
  private line = 1
  private carry = Buffer.alloc(0)
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })

  override _transform(chunk: Buffer, _encoding: string, done: TransformCallback) {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk
    const cut = completeLength(data)
    this.carry = Buffer.from(data.subarray(cut))
    const whole = data.subarray(0, cut)
    this.bytes += chunk.length
    try {
      this.decoder.decode(whole)
    } catch {
      return done(this.badBytes(whole))
    }
    this.line += countNewlines(whole)
    done(null, whole)
  }

  override _flush(done: TransformCallback) {
    if (this.carry.length > 0) return done(this.badBytes(this.carry))
    done()
  }

  private badBytes(data: Buffer) {
    const text = new TextDecoder('utf-8').decode(data)
    const at = text.indexOf('\uFFFD')
    const line = this.line + (text.slice(0, Math.max(0, at)).match(/\n/g)?.length ?? 0)
    return new AppError(
      'invalid_input',
      `line ${line}: the file is not UTF-8 (save it as "CSV UTF-8" and import it again)`,
      { line },
    )
  }
}

function countNewlines(data: Buffer) {
  let n = 0
  let at = data.indexOf(10)
  while (at !== -1) {
    n++
    at = data.indexOf(10, at + 1)
  }
  return n
}

/** The length of the prefix of data that ends on a whole UTF-8 character. */
function completeLength(data: Buffer): number {
  const n = data.length
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = data[n - back] ?? 0
    if ((byte & 0xc0) === 0x80) continue
    if (byte < 0x80) return n
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2
    return size > back ? n - back : n
  }
  return n
}

/** Reads the first line (up to 1 MB) without consuming the rest: the stream is unshifted. */
async function peekHeaderLine(input: Readable): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of input.iterator({ destroyOnReturn: false })) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    chunks.push(buffer)
    size += buffer.length
    if (buffer.includes(10) || size > 1 << 20) break
  }
  const head = Buffer.concat(chunks)
  if (head.length > 0) input.unshift(head)
  const end = head.indexOf(10)
  return head.subarray(0, end === -1 ? head.length : end).toString('utf8')
}

/** The file's problem as invalid_input; an unclosed quote opens on the line after the last row. */
function csvProblem(error: CsvError, lastLine: number): AppError {
  const line =
    error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? lastLine + 1
      : Number((error as { lines?: number }).lines ?? 0)
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new AppError(
        'invalid_input',
        `line ${line}: a quoted value is never closed (unbalanced quotes)`,
        { line },
      )
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return new AppError('invalid_input', `line ${line}: a quote inside a value is not escaped`, {
        line,
      })
    default:
      return new AppError('invalid_input', `line ${line}: ${error.message}`, { line })
  }
}

function checkHeaders(headers: string[], delimiter: string) {
  if (headers.length === 0 || headers.every((h) => h === '')) fail('The file is empty')
  if (headers.length === 1) {
    const other = delimiters.find((d) => d !== delimiter && headers[0]?.includes(d))
    fail(
      `line 1: only one column found${other ? ` (the header contains "${other === '\t' ? 'tab' : other}": a different delimiter?)` : ''}; separate columns with , ; or tab`,
      { line: 1 },
    )
  }
  const seen = new Set<string>()
  headers.forEach((header, i) => {
    if (header === '') fail(`line 1, column ${i + 1}: a column has no name`, { line: 1 })
    const key = header.toLowerCase()
    if (seen.has(key))
      fail(`line 1: the column "${header}" appears twice`, { line: 1, column: header })
    seen.add(key)
  })
}

/**
 * Opens a CSV stream: checks UTF-8, detects the delimiter from the header line, and parses rows as
 * they arrive (never the whole file in memory). Problems with the file itself are invalid_input
 * naming the line; a row with the wrong number of cells is yielded as is for the caller to reject.
 */
export async function openCsv(input: Readable): Promise<CsvFile> {
  const check = new Utf8Check()
  const checked = input.pipe(check)
  input.on('error', (error) => check.destroy(error))
  const headerLine = (await peekHeaderLine(checked)).replace(/^\uFEFF/, '')
  if (headerLine.trim() === '') fail('The file is empty')
  const delimiter = detectDelimiter(headerLine)
  const parser = checked.pipe(
    parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }),
  )
  checked.on('error', (error) => parser.destroy(error))
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[]
    info: { lines: number }
  }>
  const headerQuotes = headerLine.split('"').length - 1
  const first = await next(iterator, headerQuotes % 2 === 0 ? 1 : 0)
  if (!first) fail('The file is empty')
  const headers = first.record.map((h) => h.trim())
  checkHeaders(headers, delimiter)
  return { headers, delimiter, rows: rowsOf(iterator), bytesRead: () => check.bytes }
}

async function next<T>(iterator: AsyncIterator<T>, lastLine: number): Promise<T | undefined> {
  try {
    const result = await iterator.next()
    return result.done ? undefined : result.value
  } catch (error) {
    if (error instanceof AppError) throw error
    if (error instanceof Error && 'code' in error) throw csvProblem(error as CsvError, lastLine)
    throw error
  }
}

async function* rowsOf(
  iterator: AsyncIterator<{ record: string[]; info: { lines: number } }>,
): AsyncIterable<CsvRow> {
  let lastLine = 1
  for (;;) {
    const item = await next(iterator, lastLine)
    if (!item) return
    lastLine = item.info.lines
    // info.lines is the line the record ends on; a quoted multi-line value starts earlier.
    const newlines = item.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0)
    yield { line: item.info.lines - newlines, cells: item.record }
  }
}
