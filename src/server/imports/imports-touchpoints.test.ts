import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test/cli.ts'
import { makeWorkspace, makeWriteKey, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { multipart } from '../../../test/multipart.ts'
import type { Principal } from '../auth/principal.ts'
import { runImport } from './engine.ts'
import { runImportJob } from './job.ts'
import type { ImportOptions, RowError } from './types.ts'

let t: TestApp
let dir: string
beforeAll(async () => {
  t = await createTestApp()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-touchpoints-'))
})
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true })
  await t.close()
})

const fixturePath = path.join(import.meta.dirname, 'fixtures', 'touchpoints.csv')
const fixture = fs.readFileSync(fixturePath, 'utf8')

interface World {
  owner: Session
  workspaceId: string
  actor: Principal
  ids: Record<'ada' | 'grace' | 'analytical' | 'navy' | 'spring', string>
}

/** A workspace with, made through the API, the contacts, accounts and campaign the file names. */
async function makeWorld(name: string): Promise<World> {
  const { owner, workspaceId } = await makeWorkspace(t, name)
  const create = async (url: string, payload: Record<string, unknown>) => {
    const response = await owner.request({ method: 'POST', url, workspaceId, payload })
    if (response.statusCode !== 201) throw new Error(`${url}: ${response.body}`)
    return (response.json() as { data: { id: string } }).data.id
  }
  const analytical = await create('/api/v1/accounts', {
    name: 'Analytical Engines',
    domain: 'analytical.example',
  })
  const navy = await create('/api/v1/accounts', { name: 'Navy', domain: 'navy.example' })
  const ada = await create('/api/v1/contacts', {
    email: 'ada@tp.example',
    firstName: 'Ada',
    accountId: analytical,
  })
  const grace = await create('/api/v1/contacts', { email: 'grace@tp.example', firstName: 'Grace' })
  const spring = await create('/api/v1/campaigns', {
    name: 'Spring launch',
    channel: 'paid_search',
    type: 'ads',
    utmCampaigns: ['spring-launch'],
  })
  const actor: Principal = {
    kind: 'user',
    userId: owner.userId,
    name: 'Owner',
    email: owner.email,
    workspaceId,
    role: 'admin',
  }
  return { owner, workspaceId, actor, ids: { ada, grace, analytical, navy, spring } }
}

async function importFile(world: World, options: Partial<ImportOptions> = {}) {
  const errors: RowError[] = []
  const result = await runImport(t.ctx.db, {
    workspaceId: world.workspaceId,
    actor: world.actor,
    entity: 'touchpoints',
    input: Readable.from([Buffer.from(fixture)]),
    onRowError: (e) => errors.push(e),
    ...options,
  })
  return { result, errors }
}

const touchpoints = (workspaceId: string) =>
  t.ctx.db
    .selectFrom('touchpoints')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .orderBy('occurredAt')
    .execute()

/** Sends one tracked event through the tracking API, as a site would. */
async function track(world: World, message: Record<string, unknown>) {
  const key = await makeWriteKey(world.owner, world.workspaceId)
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    },
    payload: JSON.stringify(message),
  })
  expect(response.statusCode, response.body).toBe(200)
  await t.app.ingest.settle()
}

const badRows = [
  { line: 5, column: 'occurredAt', reason: expect.stringMatching(/^occurredAt: "yesterday"/) },
  { line: 6, column: 'type', reason: expect.stringMatching(/^type: "visit" is not one of/) },
  { line: 7, column: 'contact', reason: 'contact: no contact here is nobody@tp.example' },
]

describe('touchpoint imports', () => {
  let world: World

  beforeAll(async () => {
    world = await makeWorld('Touch Co')
    await track(world, {
      messageId: 'seg-1',
      anonymousId: 'anon-seg',
      event: 'Clicked',
      timestamp: new Date().toISOString(),
    })
  })

  it('checks every row on a dry run and writes nothing, not even a partition', async () => {
    const { result, errors } = await importFile(world, { dryRun: true })
    expect(errors).toEqual(badRows)
    expect(result).toMatchObject({ rows: 8, imported: 5, rejected: 3, created: 4, unchanged: 1 })
    expect((await touchpoints(world.workspaceId)).map((r) => r.messageId)).toEqual(['seg-1'])
    const partition = await sql<{ name: string | null }>`
      select to_regclass('touchpoints_y2024m03')::text as name
    `.execute(t.ctx.db)
    expect(partition.rows[0]?.name).toBeNull()
  })

  it('imports touchpoints with their channel, campaign, contact and account, rejecting bad rows', async () => {
    const { result, errors } = await importFile(world)
    expect(errors).toEqual(badRows)
    expect(result).toMatchObject({ rows: 8, imported: 5, rejected: 3, created: 4, unchanged: 1 })
    const rows = (await touchpoints(world.workspaceId)).filter((r) => r.messageId !== 'seg-1')
    const { ids } = world
    expect(rows).toMatchObject([
      {
        occurredAt: new Date('2024-03-05T10:00:00Z'),
        type: 'page_view',
        channel: 'paid_search',
        contactId: ids.ada,
        accountId: ids.analytical,
        campaignId: ids.spring,
        utm: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'SPRING-launch' },
        url: 'https://northwind.example/pricing',
        properties: { plan: 'pro' },
        isBot: false,
        botReason: null,
        receivedAt: null,
        messageId: expect.stringMatching(/^import:[0-9a-f]{64}$/),
      },
      {
        occurredAt: new Date('2024-03-06T11:30:00Z'),
        type: 'form_submit',
        eventName: 'Demo request',
        channel: 'organic_search',
        contactId: ids.grace,
        accountId: ids.navy,
        campaignId: null,
        utm: null,
        properties: {},
      },
      {
        type: 'webinar',
        channel: 'events',
        contactId: ids.ada,
        accountId: ids.analytical,
        campaignId: ids.spring,
        messageId: 'import:hubspot:wb-1',
      },
      {
        type: 'page_view',
        channel: 'organic_social',
        contactId: null,
        anonymousId: 'anon-7',
        accountId: null,
        isBot: true,
        botReason: 'imported',
      },
    ])
    const claims = await t.ctx.db
      .selectFrom('touchpointMessageIds')
      .select(['messageId', 'touchpointId'])
      .where('workspaceId', '=', world.workspaceId)
      .execute()
    for (const row of rows)
      expect(claims).toContainEqual({ messageId: row.messageId, touchpointId: row.id })
    // Each lands in its month's partition, none in the default one.
    const placed = await sql<{ partition: string }>`
      select tableoid::regclass::text as partition from touchpoints
      where workspace_id = ${world.workspaceId} and message_id <> 'seg-1'
      order by occurred_at
    `.execute(t.ctx.db)
    expect(placed.rows.map((r) => r.partition)).toEqual([
      'touchpoints_y2024m03',
      'touchpoints_y2024m03',
      'touchpoints_y2024m04',
      'touchpoints_y2024m05',
    ])
  })

  it('changes nothing when the same file is imported again', async () => {
    const before = await touchpoints(world.workspaceId)
    const { result, errors } = await importFile(world)
    expect(errors).toEqual(badRows)
    expect(result).toMatchObject({ imported: 5, rejected: 3, created: 0, unchanged: 5 })
    expect(await touchpoints(world.workspaceId)).toEqual(before)
  })

  it('does not duplicate a message id that was already ingested', async () => {
    await importFile(world)
    const seg = (await touchpoints(world.workspaceId)).filter((r) => r.messageId === 'seg-1')
    // The tracked one: received by the API, for its anonymous visitor, not the file's contact.
    expect(seg).toMatchObject([{ anonymousId: 'anon-seg', contactId: null }])
    expect(seg[0]?.receivedAt).not.toBeNull()
  })
})

describe('tandem import touchpoints', () => {
  it('writes the rejected rows to <file>.errors.csv and exits 2, the rest imported', async () => {
    const world = await makeWorld('Touch CLI')
    const file = path.join(dir, 'touchpoints.csv')
    fs.copyFileSync(fixturePath, file)
    const cli = await runCli(['import', 'touchpoints', file, '--workspace', world.workspaceId], {
      DATABASE_URL: t.url,
    })
    expect(cli.stderr).toBe('')
    expect(cli.code).toBe(2)
    expect(cli.stdout).toMatch(/Imported 5 of 8 rows \(5 created.*; 3 rejected/)
    const lines = fs.readFileSync(`${file}.errors.csv`, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('line,column,reason')
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      '5,occurredAt',
      '6,type',
      '7,contact',
    ])
    expect(await touchpoints(world.workspaceId)).toHaveLength(5)
    const again = await runCli(['import', 'touchpoints', file, '--workspace', world.workspaceId], {
      DATABASE_URL: t.url,
    })
    expect(again.stdout).toMatch(/\(0 created, 0 updated, 5 unchanged\)/)
    expect(await touchpoints(world.workspaceId)).toHaveLength(5)
  }, 120_000)
})

describe('touchpoint imports through the API', () => {
  it('queues and runs an upload of touchpoints', async () => {
    const world = await makeWorld('Touch API')
    const body = multipart(
      { entity: 'touchpoints', map: JSON.stringify({ contact: 'contact' }) },
      { name: 'touchpoints.csv', content: fixture },
    )
    const response = await world.owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      workspaceId: world.workspaceId,
      ...body,
    })
    expect(response.statusCode, response.body).toBe(202)
    const importId = (response.json() as { data: { id: string } }).data.id
    await runImportJob(t.ctx, { workspaceId: world.workspaceId, importId })
    const done = await world.owner.request({
      method: 'GET',
      url: `/api/v1/imports/${importId}`,
      workspaceId: world.workspaceId,
    })
    expect(done.json().data).toMatchObject({
      entity: 'touchpoints',
      status: 'done',
      rows: 8,
      imported: 5,
      rejected: 3,
      created: 5,
    })
    expect(await touchpoints(world.workspaceId)).toHaveLength(5)
  })
})
