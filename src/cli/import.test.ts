import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { makeWorkspace } from '../../test/factories.ts'
import { createTestApp, type TestApp } from '../../test/harness.ts'

let t: TestApp
let env: Record<string, string>
let dir: string
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  env = { DATABASE_URL: t.url }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-import-'))
  ;({ workspaceId } = await makeWorkspace(t, 'Only Co'))
})
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true })
  await t.close()
})

function write(name: string, text: string) {
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

const contacts = () =>
  t.ctx.db
    .selectFrom('contacts')
    .select(['email', 'lifecycleStage'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('email')
    .execute()

describe('tandem import', () => {
  it('exits 0 when every row imports, into the only workspace', async () => {
    const file = write('ok.csv', 'E-mail;Given name;Stage\nann@example.com;Ann;Kunde\n')
    const result = await runCli(
      [
        'import',
        'contacts',
        file,
        '--map',
        'E-mail=email,Given name=firstName,Stage=lifecycleStage',
        '--values',
        'lifecycleStage:Kunde=customer',
      ],
      env,
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Imported 1 of 1 rows \(1 created/)
    expect(fs.existsSync(`${file}.errors.csv`)).toBe(false)
    expect(await contacts()).toEqual([{ email: 'ann@example.com', lifecycleStage: 'customer' }])
  }, 60_000)

  it('exits 2 and writes the errors file when some rows are rejected', async () => {
    const mapFile = write(
      'map.json',
      JSON.stringify({ columns: { Mail: 'email' }, values: {}, preset: 'hubspot' }),
    )
    const file = write('some.csv', 'Mail,Lifecycle Stage\nbob@example.com,Lead\nnope,Lead\n')
    const result = await runCli(
      ['import', 'contacts', file, '--workspace', 'Only Co', '--map-file', mapFile],
      env,
    )
    expect(result.code).toBe(2)
    expect(result.stdout).toMatch(/1 rejected/)
    const errors = fs.readFileSync(`${file}.errors.csv`, 'utf8')
    expect(errors.split('\n')[0]).toBe('line,column,reason')
    expect(errors).toMatch(/^3,Mail,"?email: ""?nope/m)
    const dry = await runCli(['import', 'contacts', file, '--map-file', mapFile, '--dry-run'], env)
    expect(dry.code).toBe(2)
    expect(dry.stdout).toMatch(/dry run/)
  }, 60_000)

  it('exits 1 with a one-line reason when the import fails', async () => {
    const cases: [string[], RegExp][] = [
      [['import', 'contacts', write('bad.csv', 'title,phone\nCEO,1\n')], /missing required column/],
      [['import', 'contacts', path.join(dir, 'none.csv')], /No file at/],
      [['import', 'people', write('p.csv', 'a,b\n')], /entity/],
      [['import', 'contacts', write('q.csv', 'email,name\n"a,b\n')], /line 2: .*unbalanced/],
    ]
    for (const [args, reason] of cases) {
      const result = await runCli(args, env)
      expect(result.code, args.join(' ')).toBe(1)
      // Commander's own usage errors add "(run tandem --help for usage)".
      if (args[1] !== 'people') expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr, args.join(' ')).toMatch(reason)
    }
  }, 120_000)
})
