import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { makeWorkspace } from '../../test/factories.ts'
import { createTestApp, type TestApp } from '../../test/harness.ts'
import { resolveWriteKey } from '../server/write-keys/service.ts'

let t: TestApp
let env: Record<string, string>
beforeAll(async () => {
  t = await createTestApp()
  env = { DATABASE_URL: t.url }
})
afterAll(async () => t.close())

describe('tandem write-key create', () => {
  it('prints only a working write key, for a workspace named or given by id', async () => {
    const { owner, workspaceId } = await makeWorkspace(t, 'Snippet Co')
    const byName = await runCli(
      ['write-key', 'create', '--workspace', 'Snippet Co', '--name', 'Docs site'],
      env,
    )
    expect(byName.code, byName.stderr).toBe(0)
    expect(byName.stdout).toMatch(/^wk_[\w-]{32}\n$/)
    const byId = await runCli(['write-key', 'create', '--workspace', workspaceId], env)
    expect(byId.code, byId.stderr).toBe(0)
    for (const output of [byName.stdout, byId.stdout]) {
      expect(await resolveWriteKey(t.ctx.db, output.trim())).toMatchObject({ workspaceId })
    }
    const listed = (
      await owner.request({ method: 'GET', url: '/api/v1/write-keys', workspaceId })
    ).json().data
    expect(listed.map((k: { name: string }) => k.name)).toEqual(['Website', 'Docs site'])
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['actorType', 'action'])
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'write_key.create')
      .execute()
    expect(audit).toEqual([
      { actorType: 'cli', action: 'write_key.create' },
      { actorType: 'cli', action: 'write_key.create' },
    ])
  }, 120_000)

  it('exits non-zero with a one-line reason and prints no key', async () => {
    const cases: [string[], RegExp][] = [
      [['write-key', 'create', '--workspace', 'No Such Co'], /No workspace named or with id/],
      [['write-key', 'create'], /--workspace/],
      [['write-key', 'create', '--workspace', 'x', '--name', '  '], /--name/],
    ]
    for (const [args, reason] of cases) {
      const result = await runCli(args, env)
      expect(result.code, args.join(' ')).not.toBe(0)
      expect(result.stderr, args.join(' ')).toMatch(reason)
      expect(result.stdout).toBe('')
    }
  }, 120_000)
})
