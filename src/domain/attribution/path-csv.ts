import { closeSync, openSync, readSync } from 'node:fs'
import { readCsvColumns } from '../csv-columns.ts'
import { PathSetBuilder } from './path-set.ts'
import { attributePaths, type PathAttribution, type PathModel } from './paths.ts'

/**
 * The offline path attribution behind `tandem attribution`: reads journeys in the path format of the
 * ChannelAttribution package (channels joined with ">", counts of conversions, value and nulls per
 * path) and attributes them under the path-data models (docs/attribution-cli.md).
 */

export interface PathCsvOptions {
  /** Field separator; default: detected from the header line (";", "," or tab). */
  sep?: string
  /** Column names; value and null columns are optional unless named explicitly. */
  pathCol?: string
  conversionsCol?: string
  valueCol?: string
  nullCol?: string
  models: readonly PathModel[]
}

/** Markov solves a channels × channels system: beyond this many channels it is refused. */
export const markovChannelLimit = 1_000

const defaults = {
  pathCol: 'path',
  conversionsCol: 'total_conversions',
  valueCol: 'total_conversion_value',
  nullCol: 'total_null',
}

/** The separator the header line uses most among ";", "," and tab (";" when none). */
export function detectSeparator(path: string): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    throw new Error(`${path}: no such file`)
  }
  const buffer = Buffer.alloc(65_536)
  const read = readSync(fd, buffer, 0, buffer.length, 0)
  closeSync(fd)
  const firstLine = buffer.subarray(0, read).toString('utf8').split(/\r?\n/)[0] ?? ''
  const counts = [';', ',', '\t'].map((sep) => ({ sep, count: firstLine.split(sep).length - 1 }))
  const best = counts.reduce((a, b) => (b.count > a.count ? b : a))
  return best.count > 0 ? best.sep : ';'
}

function parseCount(cell: string, line: number, column: string): number {
  const text = cell.trim()
  const value = text === '' ? Number.NaN : Number(text)
  if (!Number.isFinite(value)) throw new Error(`line ${line}, ${column}: "${cell}" is not a number`)
  if (value < 0) throw new Error(`line ${line}, ${column}: ${text} is negative`)
  return value
}

export interface PathCsvResult extends PathAttribution {
  paths: number
}

/** Reads a path file and attributes it; warnings (skipped rows, missing optional columns) go to warn. */
export async function attributePathCsv(
  file: string,
  options: PathCsvOptions,
  warn: (message: string) => void = () => {},
): Promise<PathCsvResult> {
  const sep = options.sep ?? detectSeparator(file)
  const table = await readCsvColumns(file, sep)
  const columnOf = (
    flag: string,
    name: string | undefined,
    fallback: string,
    required: boolean,
  ) => {
    const wanted = name ?? fallback
    const index = table.header.indexOf(wanted)
    if (index >= 0) return table.columns[index] as string[]
    if (!required && name === undefined) return undefined
    const hint =
      table.header.length === 1
        ? ` (one column only: is the separator "${sep}" right? use --sep)`
        : ''
    throw new Error(
      `${flag}: no column "${wanted}"; the columns are: ${table.header.join(', ')}${hint}`,
    )
  }
  const paths = columnOf('--path-col', options.pathCol, defaults.pathCol, true) as string[]
  const conversions = columnOf(
    '--conversions-col',
    options.conversionsCol,
    defaults.conversionsCol,
    true,
  ) as string[]
  const values = columnOf('--value-col', options.valueCol, defaults.valueCol, false)
  const nulls = columnOf('--null-col', options.nullCol, defaults.nullCol, false)
  if (!values) warn(`no column "${defaults.valueCol}": every value is 0`)
  if (!nulls) {
    warn(
      `no column "${defaults.nullCol}": no non-converting journeys, so Markov and Shapley only see conversions`,
    )
  }
  if (table.rows === 0) throw new Error(`${file}: no data rows`)

  const builder = new PathSetBuilder()
  let skipped = 0
  let skippedConversions = 0
  const valueName = options.valueCol ?? defaults.valueCol
  const nullName = options.nullCol ?? defaults.nullCol
  const conversionsName = options.conversionsCol ?? defaults.conversionsCol
  for (let row = 0; row < table.rows; row++) {
    const line = table.lines[row] ?? row + 2
    const converted = parseCount(conversions[row] ?? '', line, conversionsName)
    const value = values ? parseCount(values[row] ?? '', line, valueName) : 0
    const nullCount = nulls ? parseCount(nulls[row] ?? '', line, nullName) : 0
    const text = (paths[row] ?? '').trim()
    if (text === '') {
      skipped++
      skippedConversions += converted
      continue
    }
    const steps = text.split('>').map((step) => step.trim())
    const empty = steps.indexOf('')
    if (empty >= 0) {
      throw new Error(`line ${line}: the path "${text}" has an empty step (number ${empty + 1})`)
    }
    builder.add(steps, converted, nullCount, value)
  }
  if (skipped > 0) {
    warn(
      `${skipped} row(s) with an empty path skipped (${skippedConversions} conversion(s) not attributed)`,
    )
  }
  if (builder.size === 0) throw new Error(`${file}: every path is empty`)
  const set = builder.build()
  if (options.models.includes('markov') && set.channels.length > markovChannelLimit) {
    throw new Error(
      `${set.channels.length} channels: Markov handles at most ${markovChannelLimit.toLocaleString('en')} (run the other models with --model)`,
    )
  }
  const result = attributePaths(set, options.models)
  if (result.totalConversions === 0) warn('no conversions in the file: every credit is 0')
  return { ...result, paths: builder.size }
}
