import { Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { Principal } from '../auth/principal.ts'
import { runImport } from '../imports/engine.ts'
import type { ImportEntity, RowError } from '../imports/types.ts'

let t: TestApp
let a: { owner: Session; workspaceId: string }
let c: { owner: Session; workspaceId: string }

beforeAll(async () => {
  t = await createTestApp()
  a = await makeWorkspace(t, 'Round A')
  c = await makeWorkspace(t, 'Round C')
  const post = async (url: string, payload: object) => {
    const response = await a.owner.request({ method: 'POST', url, payload })
    if (response.statusCode !== 201) throw new Error(`setup ${url}: ${response.body}`)
    return response.json().data as { id: string }
  }
  await post('/api/v1/custom-fields', { entity: 'contact', key: 'size', label: 'S', type: 'text' })
  const account = await post('/api/v1/accounts', {
    name: 'Acme Robotics',
    domain: 'acme.example',
    industry: 'manufacturing',
    employees: 250,
    country: 'DE',
  })
  const product = await post('/api/v1/products', { name: 'Arm', price: 99900, currency: 'EUR' })
  const campaign = await post('/api/v1/campaigns', {
    name: 'Spring',
    channel: 'email',
    type: 'webinar',
    budget: 5000,
  })
  const contact = await post('/api/v1/contacts', {
    email: 'ada@acme.example',
    firstName: 'Ada',
    lastName: 'Lovelace',
    title: 'CTO',
    accountId: account.id,
    lifecycleStage: 'lead',
    custom: { size: 'XL' },
  })
  const deal = await post('/api/v1/deals', {
    name: 'Acme arms',
    accountId: account.id,
    amount: 199800,
    currency: 'EUR',
    closeDate: '2026-06-30',
    sourceCampaignId: campaign.id,
    contacts: [{ contactId: contact.id, role: 'champion', isPrimary: true }],
    lineItems: [{ productId: product.id, quantity: 2, unitPrice: 99900 }],
  })
  await post('/api/v1/activities', {
    type: 'call',
    subject: 'Discovery',
    contactId: contact.id,
    dealId: deal.id,
    occurredAt: '2026-02-03T10:15:00.000Z',
  })
  const inC = await c.owner.request({
    method: 'POST',
    url: '/api/v1/custom-fields',
    workspaceId: c.workspaceId,
    payload: { entity: 'contact', key: 'size', label: 'S', type: 'text' },
  })
  if (inC.statusCode !== 201) throw new Error(inC.body)
})
afterAll(async () => t?.close())

async function exported(session: Session, workspaceId: string, entity: string) {
  const response = await session.request({
    method: 'GET',
    url: `/api/v1/exports/${entity}`,
    workspaceId,
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.body
}

// What must survive a move to another workspace: everything but ids, links by id and stamps.
const kept = (rows: Record<string, string>[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).filter(
        ([key]) =>
          ![
            'id',
            'accountId',
            'ownerId',
            'createdAt',
            'updatedAt',
            'pipelineId',
            'stageId',
            'contactId',
            'dealId',
            'sourceCampaignId',
          ].includes(key),
      ),
    ),
  )

describe('export → import round trip', () => {
  it('re-imports accounts and contacts into an empty workspace with nothing lost', async () => {
    const actor: Principal = {
      kind: 'cli',
      name: 'round trip',
      workspaceId: c.workspaceId,
      role: 'admin',
    }
    const entities: ImportEntity[] = ['accounts', 'contacts']
    const failures: string[] = []
    for (const entity of entities) {
      const file = await exported(a.owner, a.workspaceId, entity)
      const errors: RowError[] = []
      const result = await runImport(t.ctx.db, {
        workspaceId: c.workspaceId,
        actor,
        entity,
        input: Readable.from([file]),
        onRowError: (error) => errors.push(error),
      })
      if (errors.length > 0 || result.imported !== 1) {
        failures.push(`${entity}: ${JSON.stringify(errors)}`)
        continue
      }
      const again = await exported(c.owner, c.workspaceId, entity)
      // The importer keeps a source record's id as its externalId, so a second run matches it.
      const source = parse(file, { columns: true }) as Record<string, string>[]
      const expected = source.map((row) => ({ ...row, externalId: row.externalId || row.id || '' }))
      const got = kept(parse(again, { columns: true }))
      if (JSON.stringify(got) !== JSON.stringify(kept(expected)))
        failures.push(`${entity}: ${JSON.stringify(got)} vs ${JSON.stringify(kept(expected))}`)
    }
    expect(failures).toEqual([])
  })
})
