import { sql } from 'kysely'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, makeWriteKey } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { resolveWriteKey } from '../write-keys/service.ts'
import { IngestProcessor } from './processor.ts'
import { IngestQueue } from './queue.ts'
import { parseMessage } from './spec.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  // This file drives its own processor: the app's must not take the inbox rows.
  await t.app.ingest.stop()
})
afterAll(async () => t.close())

describe('ingestion processor', () => {
  it('lets requests under light load gather, then writes them by itself in one transaction', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const key = await makeWriteKey(owner, workspaceId)
    expect((await resolveWriteKey(t.ctx.db, key))?.workspaceId).toBe(workspaceId)
    const log = pino({ level: 'silent' })
    const processor = new IngestProcessor(t.ctx.db, t.ctx.handle.pool, log, {
      gatherMs: 1000,
      pollMs: 3_600_000,
    })
    const queue = new IngestQueue(t.ctx.db, log, processor)
    const written = async () =>
      (
        await sql<{ rows: number; transactions: number }>`
          select count(*)::int as rows, count(distinct xmin::text)::int as transactions
          from touchpoint_message_ids where workspace_id = ${workspaceId}
        `.execute(t.ctx.db)
      ).rows[0]
    try {
      // Three requests a moment apart, as a quiet website sends them; nobody asks for a write.
      for (let i = 0; i < 3; i++) {
        const message = parseMessage(
          'track',
          { anonymousId: 'quiet', event: 'Clicked', messageId: `quiet-${i}` },
          100,
        )
        await queue.submit(workspaceId, [message], new Date(), null)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await expect.poll(async () => (await written())?.rows, { timeout: 10_000 }).toBe(3)
      expect((await written())?.transactions).toBe(1)
    } finally {
      await queue.drain()
      await processor.stop()
    }
  })
})
