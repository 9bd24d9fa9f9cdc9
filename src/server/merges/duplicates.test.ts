import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { keyGroupsQuery } from './queries.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Stored Keys Co'))
})
afterAll(async () => t.close())

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
const send = (method: Method, url: string, payload?: unknown, ws = workspaceId, as = owner) =>
  as.request({ method, url: `/api/v1${url}`, workspaceId: ws, ...(payload ? { payload } : {}) })

async function make(url: string, payload: Record<string, unknown>) {
  const response = await send('POST', url, payload)
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data.id as string
}
async function change(url: string, payload: Record<string, unknown>) {
  const response = await send('PATCH', url, payload)
  expect(response.statusCode, response.body).toBe(200)
}

interface Group {
  reason: string
  key: string
  size: number
  records: { id: string }[]
}
async function groupsOf(path: string): Promise<Group[]> {
  const response = await send('GET', path)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}
const membersOf = (groups: Group[], reason: string) =>
  groups
    .filter((g) => g.reason === reason)
    .map((g) => g.records.map((r) => r.id).sort())
    .sort()

describe('duplicates after a record changes', () => {
  it('follows a contact whose email, phone, name or account changed', async () => {
    const account = await make('/accounts', { name: 'Moving Parts' })
    const other = await make('/accounts', { name: 'Standing Parts' })
    const first = await make('/contacts', {
      email: 'kept@moving.example',
      firstName: 'Rosa',
      lastName: 'Parks',
      phone: '+1 555 300 4000',
      accountId: account,
    })
    const second = await make('/contacts', {
      email: 'other@moving.example',
      firstName: 'Ida',
      lastName: 'Wells',
      phone: '+1 555 300 9999',
      accountId: other,
    })
    const query = (reason: string) => `/duplicates/contacts?reason=${reason}&contactId=${second}`
    for (const reason of ['email', 'name_phone', 'name_company']) {
      expect(await groupsOf(query(reason))).toEqual([])
    }

    await change(`/contacts/${second}`, { email: 'Kept+later@Moving.example' })
    expect(membersOf(await groupsOf(query('email')), 'email')).toEqual([[first, second].sort()])

    await change(`/contacts/${second}`, { firstName: 'ROSA', lastName: 'parks' })
    expect(await groupsOf(query('name_phone'))).toEqual([])
    await change(`/contacts/${second}`, { phone: '15553004000' })
    expect(membersOf(await groupsOf(query('name_phone')), 'name_phone')).toEqual([
      [first, second].sort(),
    ])

    expect(await groupsOf(query('name_company'))).toEqual([])
    await change(`/contacts/${second}`, { accountId: account })
    const all = await groupsOf(`/duplicates/contacts?contactId=${second}`)
    expect(all.map((g) => [g.reason, g.size])).toEqual([
      ['email', 2],
      ['name_phone', 2],
      ['name_company', 2],
    ])

    await change(`/contacts/${second}`, { email: 'moved@away.example', phone: null })
    const left = await groupsOf(`/duplicates/contacts?contactId=${second}`)
    expect(left.map((g) => g.reason)).toEqual(['name_company'])
    const listed = await groupsOf('/duplicates/contacts?reason=email&limit=200')
    expect(listed.flatMap((g) => g.records.map((r) => r.id))).not.toContain(second)
  })

  it('follows an account whose domain or name changed', async () => {
    const first = await make('/accounts', { name: 'Hooli, Inc.', domain: 'hooli.example' })
    const second = await make('/accounts', { name: 'Nucleus', domain: 'nucleus.example' })
    const query = `/duplicates/accounts?accountId=${second}`
    expect(await groupsOf(query)).toEqual([])
    await change(`/accounts/${second}`, { name: 'HOOLI GmbH' })
    expect(membersOf(await groupsOf(query), 'name')).toEqual([[first, second].sort()])
    await t.ctx.db
      .updateTable('accounts')
      .set({ domain: 'https://www.hooli.example/' })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', second)
      .execute()
    expect((await groupsOf(query)).map((g) => [g.reason, g.key])).toEqual([
      ['domain', 'hooli.example'],
      ['name', 'hooli'],
    ])
  })
})

describe('records out of the running', () => {
  it('leaves trashed and merged contacts out of groups and answers 404 for their own', async () => {
    const survivor = await make('/contacts', { email: 'out@running.example', lastName: 'One' })
    const merged = await make('/contacts', { email: 'OUT+2@running.example', lastName: 'Two' })
    const trashed = await make('/contacts', { email: 'out+3@running.example', lastName: 'Three' })
    const group = async () =>
      (await groupsOf(`/duplicates/contacts?contactId=${survivor}`)).find(
        (g) => g.key === 'out@running.example',
      )
    expect((await group())?.size).toBe(3)

    expect((await send('DELETE', `/contacts/${trashed}`)).statusCode).toBe(204)
    expect((await group())?.records.map((r) => r.id)).toEqual([survivor, merged])
    const gone = await send('GET', `/duplicates/contacts?contactId=${trashed}`)
    expect(gone.statusCode).toBe(404)

    const merge = await send('POST', `/contacts/${survivor}/merge`, { otherIds: [merged] })
    expect(merge.statusCode, merge.body).toBe(200)
    expect(await group()).toBeUndefined()
    const absorbed = await send('GET', `/duplicates/contacts?contactId=${merged}`)
    expect(absorbed.statusCode).toBe(404)
    expect(absorbed.json().error.details).toEqual({ mergedInto: survivor })

    expect((await send('POST', `/trash/contact/${trashed}/restore`)).statusCode).toBe(200)
    expect((await group())?.records.map((r) => r.id)).toEqual([survivor, trashed])
  })

  it('leaves trashed accounts out and treats another workspace’s records as unknown', async () => {
    const kept = await make('/accounts', { name: 'Vandelay Industries' })
    const trashed = await make('/accounts', { name: 'Vandelay Industries, Inc.' })
    const names = async () =>
      membersOf(await groupsOf(`/duplicates/accounts?accountId=${kept}`), 'name')
    expect(await names()).toEqual([[kept, trashed].sort()])
    expect((await send('DELETE', `/accounts/${trashed}`)).statusCode).toBe(204)
    expect(await names()).toEqual([])

    const elsewhere = await makeWorkspace(t, 'Elsewhere Keys')
    const theirs = await elsewhere.owner.request({
      method: 'POST',
      url: '/api/v1/accounts',
      workspaceId: elsewhere.workspaceId,
      payload: { name: 'Vandelay Industries' },
    })
    const id = theirs.json().data.id as string
    expect((await send('GET', `/duplicates/accounts?accountId=${id}`)).statusCode).toBe(404)
    const theirContact = await elsewhere.owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      workspaceId: elsewhere.workspaceId,
      payload: { lastName: 'Theirs', accountId: id },
    })
    const contactId = theirContact.json().data.id as string
    const contactLookup = await send('GET', `/duplicates/contacts?contactId=${contactId}`)
    expect(contactLookup.statusCode).toBe(404)
    expect(contactLookup.json().error.details).toBeNull()
    expect((await send('GET', `/duplicates/accounts?accountId=${uuidv7()}`)).statusCode).toBe(404)
    const bad = await send('GET', '/duplicates/accounts?accountId=nope')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/accountId/)
  })
})

describe('pages of duplicate groups', () => {
  let ws: string
  let wsOwner: Session
  const sendWs = (url: string) => send('GET', url, undefined, ws, wsOwner)
  let expected: string[]
  beforeAll(async () => {
    ;({ workspaceId: ws, owner: wsOwner } = await makeWorkspace(t, 'Many Dupes'))
    const values = Array.from({ length: 7 }, (_, n) => [
      { email: `p${n}@page.example`, lastName: `Page ${n}` },
      { email: `P${n}+b@page.example`, lastName: `Other ${n}` },
      { email: `p${n}+c@page.example`, lastName: `Third ${n}` },
    ]).flat()
    for (const payload of values) {
      const response = await send('POST', '/contacts', payload, ws, wsOwner)
      expect(response.statusCode, response.body).toBe(201)
    }
    expected = Array.from({ length: 7 }, (_, n) => `p${n}@page.example`).sort()
  })

  it('walks every group once, in key order, at any page size', async () => {
    for (const limit of [1, 2, 3, 7, 8]) {
      const keys: string[] = []
      let cursor: string | null = null
      do {
        const after: string = cursor ? `&cursor=${cursor}` : ''
        const page = (
          await sendWs(`/duplicates/contacts?reason=email&limit=${limit}${after}`)
        ).json()
        expect(page.data.length).toBeLessThanOrEqual(limit)
        keys.push(...page.data.map((g: Group) => g.key))
        expect(page.data.every((g: Group) => g.size === 3 && g.records.length === 3)).toBe(true)
        cursor = page.nextCursor
      } while (cursor)
      expect(keys).toEqual(expected)
    }
  })

  it('pages the groups of one record', async () => {
    const contactsPage = (await sendWs('/contacts?limit=1&q=page%203')).json().data as {
      id: string
    }[]
    const id = contactsPage[0]?.id
    const first = (await sendWs(`/duplicates/contacts?contactId=${id}&limit=1`)).json()
    expect(first.data.map((g: Group) => g.key)).toEqual(['p3@page.example'])
    expect(first.nextCursor).toBeNull()
  })

  it('reads the groups from the partial indexes of the stored keys', async () => {
    // With sequential scans off the plan shows whether the indexes can serve the query at all
    // (their predicates match the query's); the benchmark shows the plans at 1,000,000 contacts.
    const plan = await t.ctx.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx)
      await sql`set local enable_bitmapscan = off`.execute(trx)
      const query = keyGroupsQuery(ws, 'contact', 'dup_email', { afterKey: 'a' }, 51)
      const rows = await sql<Record<string, string>>`explain ${query}`.execute(trx)
      return rows.rows.map((row) => row['QUERY PLAN']).join('\n')
    })
    expect(plan).toMatch(/Index Only Scan using contacts_dup_email_idx on contacts x/)
    expect(plan).toMatch(/Index (Only )?Scan using contacts_dup_email_idx on contacts m/)
  })
})
