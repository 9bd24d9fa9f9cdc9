import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

/** Writing rows through `COPY … FROM STDIN` in its text format. */

// PostgreSQL's text and jsonb cannot hold U+0000: it is dropped from what we store.
export function jsonParam(value: unknown): string {
  const json = JSON.stringify(value)
  // The escape is rare: look for it before running the regex over every document.
  if (!json.includes('\\u0000')) return json
  return json.replace(/((?:^|[^\\])(?:\\\\)*)\\u0000/g, '$1')
}

const copyEscapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** One value in COPY's text format (NULL is \N; U+0000 dropped as everywhere else). */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N'
  let text: string
  if (typeof value === 'boolean') text = value ? 't' : 'f'
  else if (typeof value === 'number') return String(value)
  else if (value instanceof Date) text = value.toISOString()
  else if (typeof value === 'object') text = jsonParam(value)
  else text = String(value).replaceAll('\0', '')
  return text.replace(/[\\\n\r\t]/g, (ch) => copyEscapes[ch] as string)
}

/**
 * Copies `rows` (values in the statement's column order) with `copy … from stdin` on `client`,
 * `batch` rows per chunk, yielding to waiting work between chunks.
 */
export async function copyRows(
  client: pg.ClientBase,
  statement: string,
  rows: readonly (readonly unknown[])[],
  batch = 2_000,
): Promise<void> {
  if (rows.length === 0) return
  async function* chunks() {
    for (let i = 0; i < rows.length; i += batch) {
      let text = ''
      for (const row of rows.slice(i, i + batch)) text += `${row.map(copyValue).join('\t')}\n`
      yield text
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(statement)))
}
