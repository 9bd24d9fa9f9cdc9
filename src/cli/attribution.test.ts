import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { sharedDataFile } from '../../test/shared-data.ts'

const published = sharedDataFile('attribution_paths_channelattribution.csv')
const dir = mkdtempSync(path.join(tmpdir(), 'tandem-attribution-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function writeCsv(name: string, lines: string[]): string {
  const file = path.join(dir, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

interface ChannelTotal {
  conversions: number
  value: number
}

interface Output {
  models: Record<string, Record<string, ChannelTotal>>
  totalConversions: number
  totalValue: number
  removalEffects?: Record<string, number>
  shapleyValues?: Record<string, number>
  shapleyMethod?: string
}

const attribution = (file: string, ...flags: string[]) =>
  runCli(['attribution', file, ...flags], {}, 60_000)

async function attributeJson(file: string, ...flags: string[]) {
  const result = await attribution(file, ...flags, '--json')
  expect(result.stderr).not.toMatch(/error/)
  expect(result.code).toBe(0)
  return { output: JSON.parse(result.stdout) as Output, stderr: result.stderr }
}

/** Each model's channel totals add up to the totals, with no NaN anywhere. */
function expectBalanced(output: Output) {
  for (const [model, channels] of Object.entries(output.models)) {
    const totals = Object.values(channels)
    for (const total of totals) {
      expect(Number.isFinite(total.conversions), model).toBe(true)
      expect(total.conversions, model).toBeGreaterThanOrEqual(0)
      expect(Number.isFinite(total.value), model).toBe(true)
    }
    const conversions = totals.reduce((sum, total) => sum + total.conversions, 0)
    const value = totals.reduce((sum, total) => sum + total.value, 0)
    expect(conversions, model).toBeCloseTo(output.totalConversions, 6)
    expect(value, model).toBeCloseTo(output.totalValue, 6)
  }
}

const conversionsOf = (output: Output, model: string, channels: string[]) =>
  channels.map(
    (channel) => +(output.models[model]?.[channel]?.conversions ?? Number.NaN).toFixed(6),
  )

describe('tandem attribution', () => {
  it("reproduces the ChannelAttribution package's published heuristic results", async () => {
    const { output, stderr } = await attributeJson(published, '--sep', ';')
    expect(stderr).toBe('')
    const channels = ['alpha', 'iota', 'eta', 'beta']
    expect(conversionsOf(output, 'first_touch', channels)).toEqual([6308, 4606, 3164, 2831])
    expect(conversionsOf(output, 'last_touch', channels)).toEqual([8447, 3355, 4167, 989])
    expect(conversionsOf(output, 'linear', channels)).toEqual([
      7574.718594, 3857.096221, 3539.951157, 2083.500145,
    ])
    // Counted independently from the file: every conversion of the file.
    const lines = readFileSync(published, 'utf8').trim().split('\n').slice(1)
    const total = lines.reduce((sum, line) => sum + Number(line.split(';')[1]), 0)
    expect(output.totalConversions).toBe(total)
    expect(Object.keys(output.models)).toEqual([
      'first_touch',
      'last_touch',
      'linear',
      'position_based',
      'markov',
      'shapley',
    ])
    expect(output.shapleyMethod).toBe('exact')
    expectBalanced(output)
  })

  it('gives the published Markov worked example: removal effects 0.5, 1, 1', async () => {
    const file = writeCsv('worked.csv', [
      'path;total_conversions;total_conversion_value;total_null',
      'C1 > C2 > C3;1;1000;0',
      'C1;0;0;1',
      'C2 > C3;0;0;1',
    ])
    const { output } = await attributeJson(file, '--model', 'markov')
    expect(Object.keys(output.models)).toEqual(['markov'])
    expect(output.removalEffects).toEqual({ C1: 0.5, C2: 1, C3: 1 })
    expect(output.models.markov).toEqual({
      C1: { conversions: 0.2, value: 200 },
      C2: { conversions: 0.4, value: 400 },
      C3: { conversions: 0.4, value: 400 },
    })
  })

  it('splits position based 40/20/40, 50/50 for two touches, and counts each repeat in linear', async () => {
    const file = writeCsv('positions.csv', [
      'path,total_conversions,total_conversion_value,total_null',
      'a > b > c > d,1,100,0',
      'a > b,1,10,0',
      'c > c > d,1,3,0',
    ])
    const { output } = await attributeJson(file)
    expect(conversionsOf(output, 'position_based', ['a', 'b', 'c', 'd'])).toEqual([
      0.9,
      0.6,
      0.1 + 0.4 + 0.2,
      0.4 + 0.4,
    ])
    expect(conversionsOf(output, 'linear', ['c', 'd'])).toEqual(
      [0.25 + 2 / 3, 0.25 + 1 / 3].map((v) => +v.toFixed(6)),
    )
    expectBalanced(output)
  })

  it('prints a table of channels by model without --json', async () => {
    const result = await attribution(published)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/10,000 paths, 12 channels, 19,785 conversions/)
    expect(result.stdout).toMatch(/^alpha\s+6,308\.00\s+8,447\.00\s+7,574\.72/m)
  })

  it('handles 500 channels and a journey of 10,000 touches', async () => {
    const lines = ['path;total_conversions;total_conversion_value;total_null']
    for (let i = 0; i < 500; i++) lines.push(`ch${i} > ch${(i * 7 + 3) % 500};${i % 3};${i};1`)
    lines.push(
      `${Array.from({ length: 10_000 }, (_, i) => `ch${(i * 13) % 500}`).join(' > ')};2;50;0`,
    )
    const { output } = await attributeJson(writeCsv('wide.csv', lines))
    expect(Object.keys(output.models.markov ?? {})).toHaveLength(500)
    expect(output.shapleyMethod).toBe('sampled')
    expectBalanced(output)
  })

  it('reports zeros, not NaN, when the file has no conversion', async () => {
    const file = writeCsv('none.csv', [
      'path;total_conversions;total_conversion_value;total_null',
      'a > b;0;0;3',
      'b;0;0;1',
    ])
    const { output, stderr } = await attributeJson(file)
    expect(stderr).toMatch(/no conversions in the file/)
    expect(output.models.markov).toEqual({
      a: { conversions: 0, value: 0 },
      b: { conversions: 0, value: 0 },
    })
    expectBalanced(output)
  })

  it('skips empty paths with a warning and works without the optional columns', async () => {
    const file = writeCsv('optional.csv', ['path,total_conversions', 'a > b,3', ',2', '"b",1'])
    const { output, stderr } = await attributeJson(file)
    expect(stderr).toMatch(
      /1 row\(s\) with an empty path skipped \(2 conversion\(s\) not attributed\)/,
    )
    expect(stderr).toMatch(/no column "total_conversion_value"/)
    expect(stderr).toMatch(/no column "total_null"/)
    expect(output.totalConversions).toBe(4)
    expect(output.totalValue).toBe(0)
    expect(conversionsOf(output, 'first_touch', ['a', 'b'])).toEqual([3, 1])
  })

  it('keeps a channel called __proto__ like any other', async () => {
    const file = writeCsv('proto.csv', ['path;total_conversions', '__proto__ > constructor;2'])
    const { output } = await attributeJson(file, '--model', 'linear')
    expect(Object.entries(output.models.linear ?? {})).toEqual([
      ['__proto__', { conversions: 1, value: 0 }],
      ['constructor', { conversions: 1, value: 0 }],
    ])
  })

  it.each([
    [
      'an unknown column',
      ['path;total_conversions', 'a;1'],
      ['--path-col', 'journey'],
      /--path-col: no column "journey"; the columns are: path, total_conversions/,
    ],
    [
      'a value column named but absent',
      ['path;total_conversions', 'a;1'],
      ['--value-col', 'revenue'],
      /--value-col: no column "revenue"/,
    ],
    [
      'a negative count',
      ['path;total_conversions;total_null', 'a;1;0', 'b;-2;0'],
      [],
      /line 3, total_conversions: -2 is negative/,
    ],
    [
      'a count that is not a number',
      ['path;total_conversions;total_null', 'a;1;zero'],
      [],
      /line 2, total_null: "zero" is not a number/,
    ],
    [
      'an empty step in a path',
      ['path;total_conversions', 'a > > b;1'],
      [],
      /line 2: the path "a > > b" has an empty step \(number 2\)/,
    ],
    ['only a header', ['path;total_conversions'], [], /no data rows/],
    ['only empty paths', ['path;total_conversions', ';1'], [], /every path is empty/],
    [
      'the wrong separator',
      ['path;total_conversions', 'a;1'],
      ['--sep', ','],
      /the columns are: path;total_conversions \(one column only: is the separator "," right\? use --sep\)/,
    ],
  ])('refuses %s with a clear error', async (_name, lines, flags, message) => {
    const file = writeCsv(`bad-${_name.replaceAll(' ', '-')}.csv`, lines)
    const result = await attribution(file, ...flags, '--json')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
  })

  it('names a missing file and an unknown model', async () => {
    const missing = await attribution(path.join(dir, 'nope.csv'))
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/nope\.csv: no such file/)
    const model = await attribution(published, '--model', 'magic')
    expect(model.code).toBe(1)
    expect(model.stderr).toMatch(/--model.*magic.*first_touch/s)
  })
})
