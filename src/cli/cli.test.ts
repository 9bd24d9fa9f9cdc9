import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { createTestApp, type TestApp } from '../../test/harness.ts'

let t: TestApp
let env: Record<string, string>
beforeAll(async () => {
  t = await createTestApp()
  env = { DATABASE_URL: t.url }
})
afterAll(async () => t.close())

describe('tandem CLI', () => {
  // The demo seed alone takes a minute on a busy 2-core machine.
  it('migrates, creates the demo once, and prints a working API key', async () => {
    expect((await runCli(['migrate'], env)).stdout).toContain('Already up to date')
    const demo = await runCli(['demo', '--seed', '3', '--as-of', '2026-01-15'], env, 240_000)
    expect(demo.code).toBe(0)
    expect(demo.stdout).toMatch(/^Created "Northwind Robotics"/)
    const again = await runCli(['demo'], env)
    expect(again.stdout).toContain('already exists')

    const created = await runCli(
      [
        'api-key',
        'create',
        '--workspace',
        'Northwind Robotics',
        '--role',
        'sales',
        '--name',
        'ci script',
      ],
      env,
    )
    expect(created.code).toBe(0)
    const key = created.stdout.trim()
    expect(key).toMatch(/^tdm_/)
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${key}` },
    })
    expect(me.json().data).toMatchObject({ role: 'sales', apiKey: { name: 'ci script' } })
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'api_key.create')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorType: 'cli' })
  }, 300_000)

  it('exits non-zero with a one-line reason on bad flags', async () => {
    const cases: [string[], RegExp][] = [
      [['demo', '--as-of', '2026-13-45'], /--as-of: not a real date/],
      [['demo', '--seed', 'many'], /--seed/],
      [['api-key', 'create', '--workspace', 'Northwind Robotics', '--role', 'owner'], /--role/],
      [
        ['api-key', 'create', '--workspace', 'No Such Co', '--role', 'sales'],
        /No workspace named or with id "No Such Co"/,
      ],
      [['api-key', 'create', '--role', 'sales'], /--workspace/],
      [['start', '--only', 'web'], /--only/],
      [['frobnicate'], /unknown command/],
    ]
    for (const [args, reason] of cases) {
      const result = await runCli(args, env)
      expect(result.code, args.join(' ')).not.toBe(0)
      expect(result.stderr, args.join(' ')).toMatch(reason)
    }
  }, 120_000)
})
