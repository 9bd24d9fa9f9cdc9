import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { sharedDataFile } from '../../test/shared-data.ts'
import { makeRandom } from '../domain/random.ts'

const bank = sharedDataFile('bank_marketing_full.csv')
const dir = mkdtempSync(path.join(tmpdir(), 'tandem-model-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A seeded generator (mulberry32), the learners' own. */
const random = makeRandom

/** 400 rows of x (0–10), segment (a/b/c) and y, where y mostly follows x. */
function rows(seed = 1): { x: number; segment: string; y: 'yes' | 'no' }[] {
  const next = random(seed)
  return Array.from({ length: 400 }, () => {
    const x = Math.round(next() * 100) / 10
    const segment = ['a', 'b', 'c'][Math.floor(next() * 3)] as string
    const p = 1 / (1 + Math.exp(-(x - 5)))
    return { x, segment, y: next() < p ? 'yes' : 'no' }
  })
}

function writeCsv(name: string, lines: string[]): string {
  const file = path.join(dir, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

const evaluate = (file: string, ...flags: string[]) =>
  runCli(['model', 'evaluate', file, '--target', 'y', '--split', 'mod5', ...flags], {}, 120_000)

interface Output {
  rows: number
  train: number
  test: number
  positives: number
  testPositives: number
  models: { logistic: { auc: number }; gbm: { auc: number } }
}

function expectSound(output: Output) {
  for (const learner of [output.models.logistic, output.models.gbm]) {
    expect(Number.isFinite(learner.auc)).toBe(true)
    expect(learner.auc).toBeGreaterThan(0.7)
    expect(learner.auc).toBeLessThanOrEqual(1)
  }
}

describe('tandem model evaluate', () => {
  it('meets the AUC bars on the bank marketing data (mod5 split)', async () => {
    const result = await runCli(
      [
        'model',
        'evaluate',
        bank,
        '--sep',
        ';',
        '--target',
        'y',
        '--positive',
        'yes',
        '--drop',
        'duration',
        '--split',
        'mod5',
        '--json',
      ],
      {},
      180_000,
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const output = JSON.parse(result.stdout) as Output
    // Counted independently: the target is the last field, quoted.
    const labels = readFileSync(bank, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => /"yes"\s*$/.test(line))
    const testPositives = labels.filter((yes, i) => yes && i % 5 === 4).length
    expect(output).toMatchObject({
      rows: 41_188,
      train: 41_188 - 8_237,
      test: 8_237, // rows 4, 9, … 41184: 41184 / 5 + 1
      positives: labels.filter(Boolean).length,
      testPositives,
    })
    expect(output.models.logistic.auc).toBeGreaterThanOrEqual(0.77)
    expect(output.models.gbm.auc).toBeGreaterThanOrEqual(0.78)
  }, 200_000)

  it('prints a readable table without --json', async () => {
    const data = rows()
    const file = writeCsv('plain.csv', [
      'x,segment,y',
      ...data.map((r) => `${r.x},${r.segment},${r.y}`),
    ])
    const result = await evaluate(file)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/plain\.csv: 400 rows/)
    expect(result.stdout).toMatch(/split mod5: 320 training rows, 80 test rows/)
    expect(result.stdout).toMatch(/^logistic {3}0\.\d{4}$/m)
    expect(result.stdout).toMatch(/^gbm {8}0\.\d{4}$/m)
  }, 130_000)

  it('handles all-missing columns, 1,000 categories, junk in numbers and missing tokens', async () => {
    const data = rows(2)
    const file = writeCsv('messy.csv', [
      'x,empty,customer,segment,y',
      ...data.map((r, i) => {
        // 2 % junk and 5 % "NA" in x; a different customer name on every row but 1 of 400 repeats.
        const x = i % 50 === 7 ? 'n/a' : i % 20 === 3 ? 'NA' : String(r.x)
        return `${x},,customer ${i % 1000},${r.segment},${r.y}`
      }),
      ...Array.from({ length: 600 }, (_, i) => {
        const r = data[i % 400] as (typeof data)[number]
        return `${r.x},,customer ${400 + i},${r.segment},${r.y}`
      }),
    ])
    const result = await evaluate(file, '--positive', 'YES', '--missing', 'NA', '--json')
    expect(result.code).toBe(0)
    const output = JSON.parse(result.stdout) as Output
    expect(output).toMatchObject({ rows: 1000, train: 800, test: 200 })
    expectSound(output)
    expect(result.stderr).toContain('warning: column empty left out: all values missing')
    expect(result.stderr).toMatch(
      /warning: column customer: 800 categories; the 100 most frequent kept, the rest grouped as "\(other\)"/,
    )
    // 8 of the 800 training rows are "n/a" (i % 50 == 7, none of them test rows… counted below).
    const junk = data.filter((_, i) => i % 50 === 7 && i % 5 !== 4).length
    expect(result.stderr).toContain(
      `warning: column x: ${junk} value(s) that are not numbers (e.g. "n/a") treated as missing`,
    )
    expect(result.stderr).not.toContain('"NA"')
  }, 130_000)

  it('reads quoted fields, trailing empty columns and short rows', async () => {
    const data = rows(3)
    const file = writeCsv('ragged.csv', [
      'x;"segment; kind";note;y;;',
      ...data.map((r, i) => {
        // Row 10 (a training row) is short: note and y missing → left out.
        if (i === 10) return `${r.x};"${r.segment}"`
        // Row 11 lacks only the trailing empty columns: complete.
        if (i === 11) return `${r.x};${r.segment};;${r.y}`
        return `${r.x};"${r.segment}";"said ""hi""; then
left";${r.y};;`
      }),
    ])
    const result = await evaluate(file, '--sep', ';', '--json')
    expect(result.code).toBe(0)
    const output = JSON.parse(result.stdout) as Output
    expect(output).toMatchObject({ rows: 399, train: 319, test: 80 })
    expectSound(output)
    // note is one quoted value (with ; "" and a line break) on every row but row 11: kept.
    expect(result.stderr).toBe(
      'warning: 1 row(s) had fewer cells than the header: the rest are missing\n' +
        'warning: 1 row(s) without a target value left out\n',
    )
  }, 130_000)

  it('names the line of a row with more cells than the header', async () => {
    const data = rows(4)
    const file = writeCsv('extra.csv', [
      'x,segment,y',
      ...data.map(
        (r, i) => `${r.x},${r.segment},${r.y}${i === 5 ? ',surprise' : i === 6 ? ',' : ''}`,
      ),
    ])
    const result = await evaluate(file)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    // Data row 5 is on line 7 (after the header and rows 0–4).
    expect(result.stderr).toBe('error: line 7: 4 cells but the header has 3 columns\n')
  }, 130_000)

  it('exits 1 with a clear error for a missing target, one class, no rows or no file', async () => {
    const data = rows(5)
    const oneClass = writeCsv('one-class.csv', [
      'x,segment,y',
      ...data.map((r) => `${r.x},${r.segment},no`),
    ])
    const headerOnly = writeCsv('header-only.csv', ['x,segment,y'])
    const tiny = writeCsv('tiny.csv', ['x,segment,y', '1,a,yes', '2,b,no', '3,a,yes'])
    const semicolons = writeCsv('semicolons.csv', ['x;segment;y', '1;a;yes'])
    const badQuote = writeCsv('bad-quote.csv', ['x,segment,y', '1,a,yes', '2,"b"c,no'])
    const cases: [string, string[], string][] = [
      [
        oneClass,
        ['--target', 'outcome'],
        'error: target column "outcome" not found; the columns are: x, segment, y\n',
      ],
      [
        oneClass,
        [],
        'error: target column "y": only one class (no positive row; values seen: no; positive values are 1, yes, true unless --positive)\n',
      ],
      [headerOnly, [], `error: ${headerOnly}: no data rows\n`],
      [
        semicolons,
        [],
        'error: target column "y" not found; the columns are: x;segment;y (the header contains ";": try --sep)\n',
      ],
      [
        badQuote,
        [],
        'error: the file is not valid CSV: Invalid Closing Quote: got "c" at line 3 instead of delimiter, record delimiter, trimable character (if activated) or comment\n',
      ],
      [tiny, [], 'error: only 3 row(s) with a target: mod5 needs at least 5 to have a test row\n'],
      [path.join(dir, 'nope.csv'), [], `error: ${path.join(dir, 'nope.csv')}: no such file\n`],
      [
        oneClass,
        ['--drop', 'x,ghost'],
        'error: --drop: no column "ghost"; the columns are: x, segment, y\n',
      ],
    ]
    for (const [file, flags, message] of cases) {
      const result = await runCli(
        ['model', 'evaluate', file, '--target', 'y', '--split', 'mod5', ...flags],
        {},
        120_000,
      )
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: message })
    }
  }, 400_000)

  it('rejects bad flags before reading the file', async () => {
    const file = path.join(dir, 'whatever.csv')
    const split = await runCli(
      ['model', 'evaluate', file, '--target', 'y', '--split', 'random'],
      {},
    )
    expect(split.code).not.toBe(0)
    expect(split.stderr).toMatch(/--split <how>' argument 'random' is invalid/)
    const sep = await evaluate(file, '--sep', '::')
    expect(sep.code).not.toBe(0)
    expect(sep.stderr).toMatch(/--sep.*one character/)
  }, 130_000)
})
