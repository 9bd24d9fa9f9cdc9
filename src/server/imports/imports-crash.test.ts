import { type ChildProcess, spawn } from 'node:child_process'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { binPath } from '../../../test/cli.ts'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { multipart } from '../../../test/multipart.ts'
import { startWorker } from '../jobs/worker.ts'
import { batchSize } from './engine.ts'
import { recoverStaleImports } from './job.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Crash Co'))
})
afterAll(async () => t.close())

// Big enough that the worker is killed between batches, not after the last one.
const rowCount = batchSize * 8
const csv = [
  'email,firstName,lastName,lifecycleStage',
  ...Array.from({ length: rowCount }, (_, i) => `p${i}@crash.example,P${i},Crash,lead`),
  '',
].join('\n')

const importRow = (id: string) =>
  t.ctx.db
    .selectFrom('imports')
    .select(['status', 'imported', 'rows', 'rejected'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow()

async function countContacts() {
  const result = await sql<{ all: string; emails: string; entries: string; distinct: string }>`
    select count(*) as all, count(distinct email) as emails,
      (select count(*) from lifecycle_entries l
        where l.workspace_id = ${workspaceId}::uuid and l.stage = 'lead') as entries,
      (select count(distinct (l.record_id, l.stage)) = count(*) from lifecycle_entries l
        where l.workspace_id = ${workspaceId}::uuid) as distinct
    from contacts where workspace_id = ${workspaceId}::uuid
  `.execute(t.ctx.db)
  const row = result.rows[0]
  return {
    all: Number(row?.all),
    emails: Number(row?.emails),
    leadEntries: Number(row?.entries),
    entriesUnique: row?.distinct,
  }
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 120_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function startWorkerProcess(): ChildProcess {
  return spawn(process.execPath, [binPath, 'start', '--only', 'worker'], {
    env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  })
}

describe('an import whose worker is killed', () => {
  it('is queued again and completes with every row exactly once and no half batch', async () => {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      workspaceId,
      ...multipart({ entity: 'contacts' }, { name: 'crash.csv', content: csv }),
    })
    expect(response.statusCode, response.body).toBe(202)
    const id: string = response.json().data.id

    const child = startWorkerProcess()
    const exited = new Promise((resolve) => child.once('exit', resolve))
    try {
      await waitFor(
        'a first batch',
        () => importRow(id),
        (row) => row.imported > 0,
      )
    } finally {
      child.kill('SIGKILL')
      await exited
    }
    const killed = await importRow(id)
    expect(killed.status, 'the import finished before the kill: make the file bigger').toBe(
      'running',
    )
    // Each batch commits whole or not at all.
    const partial = await countContacts()
    expect(partial.all).toBeLessThan(rowCount)
    expect(partial.all % batchSize).toBe(0)

    // The minute's recovery job, run now rather than after the staleness delay.
    expect(await recoverStaleImports(t.ctx, 0)).toEqual([id])
    expect((await importRow(id)).status).toBe('queued')
    const worker = await startWorker(t.ctx, t.url)
    try {
      const done = await waitFor(
        'the import to finish',
        () => importRow(id),
        (row) => row.status === 'done' || row.status === 'failed',
      )
      expect(done).toMatchObject({
        status: 'done',
        rows: rowCount,
        imported: rowCount,
        rejected: 0,
      })
    } finally {
      await worker.stop()
    }
    // Every row exactly once, and one `lead` entry each: the re-run adds no history to the rows
    // the killed run had written.
    expect(await countContacts()).toEqual({
      all: rowCount,
      emails: rowCount,
      leadEntries: rowCount,
      entriesUnique: true,
    })
    expect(await recoverStaleImports(t.ctx, 0)).toEqual([])
  }, 240_000)
})
