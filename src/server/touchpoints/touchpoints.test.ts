import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { insertContact } from '../activities/test-fixtures.ts'
import { ensureTouchpointPartitions } from './partitions.ts'
import { recordTouchpoint } from './service.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let other: { owner: Session; workspaceId: string }
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Touch Co'))
  other = await makeWorkspace(t, 'Elsewhere')
})
afterAll(async () => t.close())

const list = async (query: string) =>
  (await owner.request({ method: 'GET', url: `/api/v1/touchpoints?${query}`, workspaceId })).json()
const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`
const partitionOf = async (id: string) => {
  const result = await sql<{ partition: string }>`
    select tableoid::regclass::text as partition from touchpoints where id = ${id}
  `.execute(t.ctx.db)
  return result.rows[0]?.partition
}

describe('touchpoints', () => {
  it('creates monthly partitions only for months the default partition holds no rows of', async () => {
    const early = await recordTouchpoint(t.ctx.db, {
      workspaceId,
      occurredAt: new Date('2024-02-14T10:00:00Z'),
      type: 'page_view',
      channel: 'direct',
    })
    const report = await ensureTouchpointPartitions(
      t.ctx.db,
      new Date('2024-01-20T00:00:00Z'),
      new Date('2024-04-02T00:00:00Z'),
    )
    expect(report).toEqual({
      created: ['touchpoints_y2024m01', 'touchpoints_y2024m03', 'touchpoints_y2024m04'],
      existing: [],
      skipped: ['touchpoints_y2024m02'],
    })
    const again = await ensureTouchpointPartitions(
      t.ctx.db,
      new Date('2024-03-01T00:00:00Z'),
      new Date('2024-03-31T23:59:59Z'),
    )
    expect(again).toEqual({ created: [], existing: ['touchpoints_y2024m03'], skipped: [] })
    const marchFirst = await recordTouchpoint(t.ctx.db, {
      workspaceId,
      occurredAt: new Date('2024-03-01T00:00:00Z'),
      type: 'form_submit',
      channel: 'email',
    })
    const aprilLast = await recordTouchpoint(t.ctx.db, {
      workspaceId,
      occurredAt: new Date('2024-04-30T23:59:59.999Z'),
      type: 'form_submit',
      channel: 'email',
    })
    expect(await partitionOf(marchFirst.id)).toBe('touchpoints_y2024m03')
    expect(await partitionOf(aprilLast.id)).toBe('touchpoints_y2024m04')
    expect(await partitionOf(early.id)).toBe('touchpoints_default')
  })

  it('records a message id once and answers the first touchpoint for a repeat', async () => {
    const input = {
      workspaceId,
      occurredAt: new Date('2025-06-01T12:00:00Z'),
      type: 'email_open' as const,
      channel: 'email' as const,
      messageId: 'msg-1',
    }
    const first = await recordTouchpoint(t.ctx.db, input)
    const repeat = await recordTouchpoint(t.ctx.db, { ...input, occurredAt: new Date() })
    expect(first.isDuplicate).toBe(false)
    expect(repeat).toEqual({ id: first.id, isDuplicate: true })
    const rows = await t.ctx.db
      .selectFrom('touchpoints')
      .select('id')
      .where('messageId', '=', 'msg-1')
      .execute()
    expect(rows).toEqual([{ id: first.id }])
  })

  it('lists newest first, filters, and pages across partitions through every row once', async () => {
    const contact = await insertContact(t.ctx.db, workspaceId)
    await ensureTouchpointPartitions(
      t.ctx.db,
      new Date('2023-01-01T00:00:00Z'),
      new Date('2023-12-31T00:00:00Z'),
    )
    const months = ['2023-01', '2023-03', '2023-03', '2023-07', '2023-11']
    for (const [i, month] of months.entries()) {
      await recordTouchpoint(t.ctx.db, {
        workspaceId,
        occurredAt: new Date(`${month}-15T10:00:0${i}Z`),
        type: i === 4 ? 'email_click' : 'page_view',
        channel: i % 2 ? 'paid_search' : 'organic_search',
        contactId: contact.id,
        isBot: i === 4,
      })
    }
    await recordTouchpoint(t.ctx.db, {
      workspaceId: other.workspaceId,
      occurredAt: new Date('2023-05-01T00:00:00Z'),
      type: 'page_view',
      channel: 'direct',
      contactId: contact.id,
    })
    const byContact = filterParam({ all: [{ field: 'contactId', op: 'eq', value: contact.id }] })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { data: { occurredAt: string }[]; nextCursor: string | null } = await list(
        `limit=2&${byContact}${cursor ? `&cursor=${cursor}` : ''}`,
      )
      seen.push(...page.data.map((p) => p.occurredAt))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([
      '2023-11-15T10:00:04.000Z',
      '2023-07-15T10:00:03.000Z',
      '2023-03-15T10:00:02.000Z',
      '2023-03-15T10:00:01.000Z',
      '2023-01-15T10:00:00.000Z',
    ])
    const filtered = await list(
      filterParam({
        all: [
          { field: 'contactId', op: 'eq', value: contact.id },
          { field: 'channel', op: 'eq', value: 'organic_search' },
          { field: 'isBot', op: 'eq', value: false },
          { field: 'occurredAt', op: 'gte', value: '2023-02-01T00:00:00Z' },
        ],
      }),
    )
    expect(filtered.data.map((p: { occurredAt: string }) => p.occurredAt)).toEqual([
      '2023-03-15T10:00:02.000Z',
    ])
    const badChannel = await list(
      filterParam({ all: [{ field: 'channel', op: 'eq', value: 'carrier_pigeon' }] }),
    )
    expect(badChannel.error.message).toMatch(/^filter\.all\[0\]\.value: must be one of sales/)
  })
})
