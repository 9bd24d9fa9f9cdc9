import { createReadStream } from 'node:fs'
import { type CsvError, parse } from 'csv-parse'

/** Reading delimited files column by column, for the offline evaluators (model, attribution). */

export interface CsvTable {
  header: string[]
  columns: string[][]
  rows: number
  /** Rows that had fewer cells than the header (padded with missing). */
  shortRows: number
  /** The line of the file each row starts on (1 is the header). */
  lines: number[]
}

/** csv-parse's message ("Invalid Closing Quote: got "c" at line 3 instead of …"), which names the line. */
function csvMessage(error: CsvError): string {
  return `the file is not valid CSV: ${error.message}`
}

/**
 * Reads a delimited file column by column (streaming). Rows shorter than the header are padded with
 * missing cells; extra cells beyond the header must be empty (a trailing delimiter), else an error
 * names the line. Empty trailing header cells are ignored.
 */
export async function readCsvColumns(path: string, sep = ','): Promise<CsvTable> {
  if (sep.length !== 1 && sep !== '\\t') throw new Error(`--sep: one character, got "${sep}"`)
  const delimiter = sep === '\\t' ? '\t' : sep
  const input = createReadStream(path)
  const parser = input.pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }),
  )
  input.on('error', (error) => parser.destroy(error))
  let header: string[] | undefined
  let columns: string[][] = []
  let rows = 0
  let shortRows = 0
  const lines: number[] = []
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[]
      info: { lines: number }
    }>) {
      const record = item.record
      if (!header) {
        header = record.map((name) => name.trim())
        while (header.length > 0 && header[header.length - 1] === '') header.pop()
        if (header.length === 0) throw new Error('line 1: the header has no column names')
        const seen = new Map<string, number>()
        header.forEach((name, index) => {
          if (name === '') throw new Error(`line 1, column ${index + 1}: a column has no name`)
          const first = seen.get(name)
          if (first !== undefined) {
            throw new Error(
              `line 1: the column "${name}" appears twice (columns ${first + 1} and ${index + 1})`,
            )
          }
          seen.set(name, index)
        })
        columns = header.map(() => [])
        continue
      }
      // info.lines is the line the record ends on; a quoted multi-line value starts earlier.
      const breaks = record.reduce(
        (n, cell) => n + (cell.includes('\n') ? cell.split('\n').length - 1 : 0),
        0,
      )
      const line = item.info.lines - breaks
      for (let c = header.length; c < record.length; c++) {
        if ((record[c] ?? '').trim() !== '') {
          throw new Error(
            `line ${line}: ${record.length} cells but the header has ${header.length} columns`,
          )
        }
      }
      lines.push(line)
      if (record.length < header.length) shortRows++
      for (let c = 0; c < header.length; c++) (columns[c] as string[]).push(record[c] ?? '')
      rows++
    }
  } catch (error) {
    parser.destroy()
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_')) {
      throw new Error(csvMessage(error as CsvError))
    }
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new Error(`${path}: no such file`)
    }
    throw error
  }
  if (!header) throw new Error(`${path}: the file is empty`)
  return { header, columns, rows, shortRows, lines }
}

/** 1 for a positive target value, 0 for another value, −1 when missing. */
