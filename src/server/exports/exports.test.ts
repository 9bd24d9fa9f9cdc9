import { writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test/cli.ts'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let a: { owner: Session; workspaceId: string }
let b: { owner: Session; workspaceId: string }

async function created(session: Session, url: string, payload: object, workspaceId?: string) {
  const response = await session.request({ method: 'POST', url, payload, workspaceId })
  if (response.statusCode !== 201) throw new Error(`setup ${url}: ${response.body}`)
  return response.json().data as { id: string }
}

function exportUrl(entity: string, params: Record<string, string> = {}) {
  return `/api/v1/exports/${entity}?${new URLSearchParams(params).toString()}`
}

async function download(entity: string, params: Record<string, string> = {}, session = a.owner) {
  const response = await session.request({ method: 'GET', url: exportUrl(entity, params) })
  expect(response.statusCode, response.body).toBe(200)
  return response
}

function csvRows(body: string): Record<string, string>[] {
  return parse(body, { columns: true, skip_empty_lines: true })
}

function jsonLines(body: string): Record<string, unknown>[] {
  return body
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

const filterOf = (field: string, op: string, value: unknown) =>
  JSON.stringify({ all: [{ field, op, value }] })

let account: { id: string }
let contact: { id: string }
let product: { id: string }
let deal: { id: string }
let campaign: { id: string }

beforeAll(async () => {
  t = await createTestApp()
  a = await makeWorkspace(t, 'Export A')
  b = await makeWorkspace(t, 'Export B')
  const ask = (url: string, payload: object) => created(a.owner, url, payload)
  await ask('/api/v1/custom-fields', { entity: 'contact', key: 'tshirt', label: 'T', type: 'text' })
  await ask('/api/v1/custom-fields', {
    entity: 'contact',
    key: 'tags',
    label: 'Tags',
    type: 'multi_select',
    options: ['vip', 'beta'],
  })
  await ask('/api/v1/custom-fields', { entity: 'deal', key: 'score', label: 'S', type: 'number' })
  account = await ask('/api/v1/accounts', {
    name: 'Acme, "Quoted" Inc',
    domain: 'acme.example',
    annualRevenue: 123456,
    annualRevenueCurrency: 'EUR',
  })
  const other = await ask('/api/v1/accounts', { name: 'Other Co', domain: 'other.example' })
  contact = await ask('/api/v1/contacts', {
    email: 'ada@acme.example',
    firstName: 'Ada',
    lastName: 'Line\nBreak',
    accountId: account.id,
    lifecycleStage: 'mql',
    custom: { tshirt: 'XL', tags: ['vip', 'beta'] },
  })
  await ask('/api/v1/contacts', { email: 'bob@other.example', firstName: 'Bob' })
  product = await ask('/api/v1/products', {
    name: 'Robot Arm',
    price: 99900,
    currency: 'USD',
    icpIndustries: ['manufacturing'],
  })
  await ask('/api/v1/products', { name: 'Gripper', price: 500 })
  campaign = await ask('/api/v1/campaigns', {
    name: 'Spring Webinar',
    channel: 'email',
    type: 'webinar',
    budget: 5000,
  })
  await ask(`/api/v1/campaigns/${campaign.id}/costs`, { incurredOn: '2026-03-01', amount: 1200 })
  await ask('/api/v1/campaigns', { name: 'Autumn Ads', channel: 'paid_search', type: 'ppc' })
  deal = await ask('/api/v1/deals', {
    name: 'Acme arms',
    accountId: account.id,
    amount: 199800,
    currency: 'USD',
    closeDate: '2026-06-30',
    needs: ['speed'],
    sourceCampaignId: campaign.id,
    contacts: [{ contactId: contact.id, role: 'champion', isPrimary: true }],
    lineItems: [{ productId: product.id, quantity: 2, unitPrice: 99900 }],
    custom: { score: 7.5 },
  })
  await ask('/api/v1/deals', { name: 'Small deal', amount: 100 })
  await ask('/api/v1/activities', {
    type: 'call',
    subject: 'Discovery call',
    contactId: contact.id,
    dealId: deal.id,
    occurredAt: '2026-02-03T10:15:00.000Z',
  })
  await ask('/api/v1/activities', {
    type: 'note',
    subject: 'Unrelated note',
    accountId: other.id,
  })
  const inB = (url: string, payload: object) => created(b.owner, url, payload, b.workspaceId)
  await inB('/api/v1/accounts', { name: 'Secret B', domain: 'acme-b.example' })
  await inB('/api/v1/contacts', { email: 'ada@secret-b.example', firstName: 'Ada' })
})
afterAll(async () => t?.close())

describe('GET /api/v1/exports/{entity}', () => {
  it('exports contacts as CSV with natural keys, custom fields and the filter applied', async () => {
    const response = await download('contacts', {
      filter: filterOf('lifecycleStage', 'eq', 'mql'),
    })
    expect(response.headers['content-type']).toMatch(/^text\/csv/)
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="contacts-export-a-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const rows = csvRows(response.body)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      id: contact.id,
      email: 'ada@acme.example',
      lastName: 'Line\nBreak',
      accountId: account.id,
      'account.domain': 'acme.example',
      'account.name': 'Acme, "Quoted" Inc',
      'owner.email': '',
      lifecycleStage: 'mql',
      emailOptIn: 'false',
      'custom.tshirt': 'XL',
      'custom.tags': '["vip", "beta"]',
    })
    expect(rows[0]?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/)
    const api = await a.owner.request({ method: 'GET', url: `/api/v1/contacts/${contact.id}` })
    expect(new Date(rows[0]?.createdAt ?? '').toISOString()).toBe(api.json().data.createdAt)
  })

  it('exports contacts as JSON Lines with q and custom values typed', async () => {
    const response = await download('contacts', { format: 'jsonl', q: 'ada' })
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/)
    const lines = jsonLines(response.body)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      id: contact.id,
      lastName: 'Line\nBreak',
      emailOptIn: false,
      'account.domain': 'acme.example',
      custom: { tshirt: 'XL', tags: ['vip', 'beta'] },
    })
  })

  it('exports every entity in both formats, filtered like its list', async () => {
    const cases: [string, string, string, unknown, string][] = [
      ['accounts', 'domain', 'eq', 'acme.example', 'name'],
      ['products', 'price', 'gte', 1000, 'name'],
      ['deals', 'amount', 'gt', 1000, 'name'],
      ['activities', 'type', 'eq', 'call', 'subject'],
      ['campaigns', 'channel', 'eq', 'email', 'name'],
    ]
    for (const [entity, field, op, value, label] of cases) {
      const filter = filterOf(field, op, value)
      const csv = csvRows((await download(entity, { filter })).body)
      const jsonl = jsonLines((await download(entity, { filter, format: 'jsonl' })).body)
      expect(csv, entity).toHaveLength(1)
      expect(jsonl, entity).toHaveLength(1)
      expect(jsonl[0]?.[label], entity).toBe(csv[0]?.[label])
      const all = csvRows((await download(entity)).body)
      expect(all, entity).toHaveLength(2)
    }
  })

  it('writes money in major units in CSV and minor in JSONL, times in UTC, links as JSON', async () => {
    const [row] = csvRows((await download('deals', { q: 'acme' })).body)
    expect(row).toMatchObject({
      amount: '1998.00',
      currency: 'USD',
      closeDate: '2026-06-30',
      'account.domain': 'acme.example',
      'pipeline.name': expect.any(String),
      'stage.name': expect.any(String),
      'sourceCampaign.name': 'Spring Webinar',
      needs: '["speed"]',
      'custom.score': '7.5',
    })
    expect(JSON.parse(row?.contacts ?? '')).toEqual([
      {
        contactId: contact.id,
        email: 'ada@acme.example',
        externalSource: null,
        externalId: null,
        role: 'champion',
        isPrimary: true,
      },
    ])
    expect(JSON.parse(row?.lineItems ?? '')).toEqual([
      { productId: product.id, productName: 'Robot Arm', quantity: 2, unitPrice: 999 },
    ])
    const [line] = jsonLines((await download('deals', { format: 'jsonl', q: 'acme' })).body)
    expect(line).toMatchObject({ amount: 199800, lineItems: [{ unitPrice: 99900 }] })
    const [activity] = jsonLines((await download('activities', { format: 'jsonl' })).body).filter(
      (line) => line.type === 'call',
    )
    expect(activity).toMatchObject({
      occurredAt: '2026-02-03T10:15:00Z',
      'contact.email': 'ada@acme.example',
      'deal.name': 'Acme arms',
    })
    const [camp] = jsonLines((await download('campaigns', { format: 'jsonl', q: 'spring' })).body)
    expect(camp).toMatchObject({
      budget: 5000,
      costs: [{ incurredOn: '2026-03-01', amount: 1200, note: null }],
    })
    const [acc] = csvRows((await download('accounts', { q: 'acme' })).body)
    expect(acc).toMatchObject({ annualRevenue: '1234.56', annualRevenueCurrency: 'EUR' })
  })

  it('applies the sort of the list', async () => {
    const names = (await download('accounts', { sort: 'name' })).body
    expect(csvRows(names).map((r) => r.name)).toEqual(['Acme, "Quoted" Inc', 'Other Co'])
    const reversed = csvRows((await download('accounts', { sort: '-name' })).body)
    expect(reversed.map((r) => r.name)).toEqual(['Other Co', 'Acme, "Quoted" Inc'])
  })

  it("never contains another workspace's rows", async () => {
    const body = (await download('contacts')).body + (await download('accounts')).body
    expect(body).not.toContain('secret-b')
    expect(body).not.toContain('Secret B')
    const inB = await a.owner.request({
      method: 'GET',
      url: exportUrl('contacts'),
      workspaceId: b.workspaceId,
    })
    expect(inB.statusCode).toBe(404)
  })

  it('rejects a bad filter naming the field, an unknown entity and a bad sort', async () => {
    const bad = await a.owner.request({
      method: 'GET',
      url: exportUrl('contacts', { filter: filterOf('shoeSize', 'eq', 1) }),
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('unknown field "shoeSize"')
    const entity = await a.owner.request({ method: 'GET', url: '/api/v1/exports/touchpoints' })
    expect(entity.statusCode).toBe(400)
    const sort = await a.owner.request({ method: 'GET', url: exportUrl('deals', { sort: 'x' }) })
    expect(sort.statusCode).toBe(400)
  })

  it('keeps quotes and backslashes in a filter value as data', async () => {
    const rows = csvRows(
      (await download('accounts', { filter: filterOf('name', 'eq', "x' or '1'='1\\") })).body,
    )
    expect(rows).toEqual([])
  })

  it('takes the workspace from ?workspaceId= for a cookie session, and only a member', async () => {
    const own = await a.owner.request({
      method: 'GET',
      url: exportUrl('accounts', { workspaceId: a.workspaceId }),
    })
    expect(own.statusCode).toBe(200)
    const other = await a.owner.request({
      method: 'GET',
      url: exportUrl('accounts', { workspaceId: b.workspaceId }),
    })
    expect(other.statusCode).toBe(404)
    // Only this route reads it: elsewhere the parameter is not a way to switch workspaces.
    const list = await a.owner.request({
      method: 'GET',
      url: `/api/v1/accounts?workspaceId=${b.workspaceId}`,
    })
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain('Secret B')
  })

  it('streams 20,000 contacts without holding them', async () => {
    await sql`
      insert into contacts (workspace_id, id, email, first_name, created_at, updated_at)
      select ${b.workspaceId}::uuid, gen_random_uuid(), 'bulk' || n || '@bulk.example', 'Bulk',
        now(), now()
      from generate_series(1, 20000) as n`.execute(t.ctx.db)
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const key = await created(
      b.owner,
      '/api/v1/api-keys',
      { name: 'x', role: 'viewer' },
      b.workspaceId,
    )
    const response = await fetch(`${address}${exportUrl('contacts', { format: 'jsonl' })}`, {
      headers: { authorization: `Bearer ${(key as { key?: string }).key}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('transfer-encoding')).toBe('chunked')
    let chunks = 0
    let lines = 0
    const reader = response.body?.getReader()
    for (;;) {
      const next = await reader?.read()
      if (!next || next.done) break
      chunks += 1
      for (const byte of next.value) if (byte === 10) lines += 1
    }
    expect(lines).toBe(20_001)
    expect(chunks).toBeGreaterThan(5)
  })
})

describe('tandem export', () => {
  it('writes a filtered file with --out, stdout otherwise, and fails clearly', async () => {
    const env = { DATABASE_URL: t.url }
    const out = path.join(tmpdir(), `export-${Date.now()}.csv`)
    const filter = filterOf('lifecycleStage', 'eq', 'mql')
    const written = await runCli(
      ['export', 'contacts', '--workspace', 'Export A', '--out', out, '--filter', filter],
      env,
    )
    expect(written.code, written.stderr).toBe(0)
    const rows = csvRows(await readFile(out, 'utf8'))
    expect(rows.map((r) => r.email)).toEqual(['ada@acme.example'])

    const printed = await runCli(
      ['export', 'products', '--workspace', a.workspaceId, '--format', 'jsonl', '--q', 'robot'],
      env,
    )
    expect(printed.code, printed.stderr).toBe(0)
    expect(jsonLines(printed.stdout).map((l) => l.name)).toEqual(['Robot Arm'])

    const badFilter = await runCli(
      ['export', 'contacts', '--workspace', 'Export A', '--filter', filterOf('nope', 'eq', 1)],
      env,
    )
    expect(badFilter.code).toBe(1)
    expect(badFilter.stderr).toMatch(/unknown field "nope"/)
    const badEntity = await runCli(['export', 'widgets', '--workspace', 'Export A'], env)
    expect(badEntity.code).toBe(1)
    expect(badEntity.stderr).toMatch(/unknown "widgets"/)
    writeFileSync(out, '')
  }, 120_000)
})
