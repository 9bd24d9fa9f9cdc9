import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { buildContactList } from './service.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Contacts Co'))
})
afterAll(async () => t.close())

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
const send = (method: Method, url: string, payload?: unknown, session = owner) =>
  session.request({ method, url: `/api/v1${url}`, workspaceId, ...(payload ? { payload } : {}) })
const post = (payload: Record<string, unknown>) => send('POST', '/contacts', payload)
const patch = (id: string, payload: Record<string, unknown>) =>
  send('PATCH', `/contacts/${id}`, payload)
const list = (query: string) => send('GET', `/contacts?${query}`)
const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`
const makeAccount = async (payload: Record<string, unknown>) =>
  (await send('POST', '/accounts', payload)).json().data.id as string
const stages = (contact: { stageHistory: { stage: string }[] }) =>
  contact.stageHistory.map((s) => s.stage)

// Today + days as YYYY-MM-DD in UTC, the time zone of a new workspace.
function daysFromToday(days: number) {
  const date = new Date()
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

describe('contacts', () => {
  it('creates a contact with a normalised email, its account, owner and stage history', async () => {
    const rep = await addMember(t, owner, workspaceId, 'sales')
    const accountId = await makeAccount({ name: 'Acme Robotics', employees: 500 })
    const response = await post({
      email: '  Ada.Lovelace@ACME.example ',
      firstName: 'Ada',
      lastName: 'Lovelace',
      title: 'COO',
      persona: 'economic_buyer',
      phone: '+49 30 1234567',
      accountId,
      ownerId: rep.userId,
      lifecycleStage: 'mql',
      firstTouchUtm: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'robots' },
      emailOptIn: true,
    })
    expect(response.statusCode).toBe(201)
    const contact = response.json().data
    expect(contact).toMatchObject({
      email: 'ada.lovelace@acme.example',
      account: { id: accountId, name: 'Acme Robotics' },
      owner: { id: rep.userId },
      persona: 'economic_buyer',
      leadStatus: 'new',
      firstTouchUtm: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'robots' },
      lastTouchUtm: null,
      emailOptIn: true,
      doNotContact: false,
      recycleUntil: null,
    })
    expect(stages(contact)).toEqual(['subscriber', 'lead', 'mql'])
    const got = (await send('GET', `/contacts/${contact.id}`)).json().data
    expect(got).toEqual(contact)
  })

  it('refuses a second contact with the same email or external id, naming the field; email is optional', async () => {
    expect((await post({ email: 'dup@example.com' })).statusCode).toBe(201)
    const second = await post({ email: ' DUP@Example.com' })
    expect(second.statusCode).toBe(409)
    expect(second.json().error).toMatchObject({ code: 'conflict', details: { field: 'email' } })
    const ref = { externalSource: 'hubspot', externalId: '1001' }
    expect((await post({ lastName: 'Imported', ...ref })).statusCode).toBe(201)
    const again = await post({ lastName: 'Imported twice', ...ref })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.details).toMatchObject({ field: 'externalId' })
    expect((await post({ firstName: 'No Email' })).statusCode).toBe(201)
    expect((await post({ lastName: 'Also No Email' })).statusCode).toBe(201)
  })

  it('names the field of bad input and writes nothing', async () => {
    const other = await makeWorkspace(t, 'Elsewhere Co')
    const foreignAccount = (
      await other.owner.request({
        method: 'POST',
        url: '/api/v1/accounts',
        workspaceId: other.workspaceId,
        payload: { name: 'Foreign' },
      })
    ).json().data.id
    const trashedAccount = await makeAccount({ name: 'Trashed' })
    await send('DELETE', `/accounts/${trashedAccount}`)
    const base = { lastName: 'Invalid' }
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, email: 'not-an-email' }, 'body.email: '],
      [{ title: 'Nobody' }, 'email: a contact needs'],
      [{ ...base, accountId: foreignAccount }, 'accountId: '],
      [{ ...base, accountId: trashedAccount }, 'accountId: '],
      [{ ...base, accountId: uuidv7() }, 'accountId: '],
      [{ ...base, accountId: 'nope' }, 'body.accountId: '],
      [{ ...base, persona: 'astronaut' }, 'persona: '],
      [{ ...base, ownerId: other.owner.userId }, 'ownerId: '],
      [{ ...base, lifecycleStage: 'hot' }, 'body.lifecycleStage: '],
      [{ ...base, leadStatus: 'new', lifecycleStage: 'lead' }, 'leadStatus: '],
      [{ ...base, leadStatus: 'sleepy', lifecycleStage: 'mql' }, 'body.leadStatus: '],
      [{ ...base, recycleUntil: '2030-01-01' }, 'recycleUntil: '],
      [{ ...base, lifecycleStage: 'recycled', recycleUntil: '2030-02-30' }, 'body.recycleUntil: '],
      [{ ...base, firstTouchUtm: { utm_colour: 'red' } }, 'body.firstTouchUtm: '],
      [{ ...base, phone: 'call me maybe' }, 'body.phone: '],
      [{ ...base, emailOptIn: 'yes' }, 'body.emailOptIn: '],
      [{ ...base, custom: { unknown_field: 1 } }, 'custom.unknown_field: '],
    ]
    for (const [payload, prefix] of cases) {
      const response = await post(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message.startsWith(prefix), response.body).toBe(true)
    }
    const rows = await t.ctx.db
      .selectFrom('contacts')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where((eb) => eb.or([eb('lastName', '=', 'Invalid'), eb('title', '=', 'Nobody')]))
      .execute()
    expect(rows).toEqual([])
  })

  it("accepts only the workspace's personas, including ones an admin added", async () => {
    expect((await post({ lastName: 'Champ', persona: 'champion' })).statusCode).toBe(201)
    expect((await post({ lastName: 'Buyer', persona: 'procurement' })).statusCode).toBe(400)
    const personas = (await send('GET', '/personas')).json().data
    await send('PUT', '/personas', {
      personas: [...personas, { key: 'procurement', label: 'Procurement' }],
    })
    const created = await post({ lastName: 'Buyer', persona: 'procurement' })
    expect(created.json().data.persona).toBe('procurement')
  })

  it('keeps lead status inside mql and sal and lifecycle stages forward-only', async () => {
    const id = (await post({ email: 'flow@example.com', lifecycleStage: 'lead' })).json().data.id
    const early = await patch(id, { leadStatus: 'attempting' })
    expect(early.statusCode).toBe(400)
    expect(early.json().error.message).toMatch(
      /^leadStatus: only applies while lifecycleStage is mql or sal \(it is lead\)/,
    )
    const mql = (await patch(id, { lifecycleStage: 'mql', leadStatus: 'attempting' })).json().data
    expect(mql).toMatchObject({ lifecycleStage: 'mql', leadStatus: 'attempting' })
    const sal = (await patch(id, { lifecycleStage: 'sal' })).json().data
    expect(sal.leadStatus).toBe('attempting')
    const sqlStage = (await patch(id, { lifecycleStage: 'sql' })).json().data
    expect(sqlStage).toMatchObject({ lifecycleStage: 'sql', leadStatus: null })
    const back = await patch(id, { lifecycleStage: 'lead' })
    expect(back.statusCode).toBe(400)
    expect(back.json().error.message).toContain(
      'lifecycleStage: lifecycle stages only move forward',
    )
    const cleared = await patch(id, { lifecycleStage: null })
    expect(cleared.json().error.message).toMatch(/^lifecycleStage: cannot be cleared/)
    expect(stages((await send('GET', `/contacts/${id}`)).json().data)).toEqual([
      'subscriber',
      'lead',
      'mql',
      'sal',
      'sql',
    ])
  })

  it('gives a recycled contact a re-engage date, and counts its return to mql as a re-MQL', async () => {
    const id = (await post({ email: 'recycle@example.com', lifecycleStage: 'mql' })).json().data.id
    const recycled = (await patch(id, { lifecycleStage: 'recycled' })).json().data
    expect(recycled).toMatchObject({
      lifecycleStage: 'recycled',
      leadStatus: null,
      recycleUntil: daysFromToday(90),
    })
    const moved = (await patch(id, { recycleUntil: '2031-05-01' })).json().data
    expect(moved.recycleUntil).toBe('2031-05-01')
    const required = await patch(id, { recycleUntil: null })
    expect(required.json().error.message).toMatch(/^recycleUntil: required/)
    const again = (await patch(id, { lifecycleStage: 'mql' })).json().data
    expect(again).toMatchObject({ lifecycleStage: 'mql', leadStatus: 'new', recycleUntil: null })
    expect(again.stageHistory.at(-1)).toMatchObject({ stage: 'mql', isReentry: true })
    const given = await post({
      email: 'recycle-later@example.com',
      lifecycleStage: 'recycled',
      recycleUntil: '2030-01-15',
    })
    expect(given.json().data.recycleUntil).toBe('2030-01-15')
  })

  it('searches, filters by its account and custom fields, sorts, and pages through every row once', async () => {
    await t.ctx.db
      .insertInto('customFieldDefinitions')
      .values({
        workspaceId,
        id: uuidv7(),
        entity: 'contact',
        key: 'seniority',
        label: 'Seniority',
        type: 'number',
      })
      .execute()
    const big = await makeAccount({ name: 'Big Paging', employees: 250, region: 'emea' })
    const small = await makeAccount({ name: 'Small Paging', employees: 150, region: 'emea' })
    for (let i = 0; i < 7; i++) {
      await post({
        email: `paging${i}@example.com`,
        lastName: `Pager ${i}`,
        accountId: i % 2 ? small : big,
        custom: { seniority: i },
      })
    }
    const q = await list('q=PAGING4%40')
    expect(q.json().data.map((c: { lastName: string }) => c.lastName)).toEqual(['Pager 4'])
    const names = (response: { json(): { data: { lastName: string }[] } }) =>
      response
        .json()
        .data.map((c) => c.lastName)
        .sort()
    const byAccount = await list(
      filterParam({
        all: [
          { field: 'account.employees', op: 'gte', value: 200 },
          { field: 'lastName', op: 'contains', value: 'Pager' },
        ],
      }),
    )
    expect(byAccount.statusCode).toBe(200)
    expect(names(byAccount)).toEqual(['Pager 0', 'Pager 2', 'Pager 4', 'Pager 6'])
    const mixed = await list(
      filterParam({
        all: [
          { field: 'account.region', op: 'eq', value: 'emea' },
          {
            any: [
              { field: 'custom.seniority', op: 'gte', value: 5 },
              { field: 'account.name', op: 'eq', value: 'Big Paging' },
            ],
          },
        ],
      }),
    )
    expect(names(mixed)).toEqual(['Pager 0', 'Pager 2', 'Pager 4', 'Pager 5', 'Pager 6'])
    // Negative conditions on the account keep contacts without one, as "is distinct from" would.
    await post({ email: 'loner@example.com', lastName: 'Pager loner' })
    const pagers = { field: 'lastName', op: 'contains', value: 'Pager' }
    const accountCases: [unknown, string[]][] = [
      [
        { field: 'account.name', op: 'neq', value: 'Big Paging' },
        ['Pager 1', 'Pager 3', 'Pager 5', 'Pager loner'],
      ],
      [
        { field: 'account.name', op: 'nin', value: ['Small Paging'] },
        ['Pager 0', 'Pager 2', 'Pager 4', 'Pager 6', 'Pager loner'],
      ],
      [{ field: 'account.name', op: 'exists', value: false }, ['Pager loner']],
      [{ field: 'account.employees', op: 'in', value: [150] }, ['Pager 1', 'Pager 3', 'Pager 5']],
    ]
    for (const [condition, expected] of accountCases) {
      const response = await list(filterParam({ all: [pagers, condition] }))
      expect(names(response), JSON.stringify(condition)).toEqual(expected)
    }
    await owner.request({ method: 'DELETE', url: `/api/v1/accounts/${small}`, workspaceId })
    const trashed = await list(
      filterParam({ all: [pagers, { field: 'account.region', op: 'exists', value: false }] }),
    )
    expect(names(trashed)).toEqual(['Pager 1', 'Pager 3', 'Pager 5', 'Pager loner'])
    for (const [sort, expected] of [
      ['-lastName', [6, 5, 4, 3, 2, 1, 0]],
      ['email', [0, 1, 2, 3, 4, 5, 6]],
      ['createdAt', [0, 1, 2, 3, 4, 5, 6]],
      ['-updatedAt', [6, 5, 4, 3, 2, 1, 0]],
    ] as const) {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: { data: { lastName: string }[]; nextCursor: string | null } = (
          await list(
            `sort=${sort}&limit=2&${filterParam({ all: [{ field: 'email', op: 'contains', value: 'paging' }] })}${cursor ? `&cursor=${cursor}` : ''}`,
          )
        ).json()
        seen.push(...page.data.map((c) => c.lastName))
        cursor = page.nextCursor
      } while (cursor)
      expect(seen, sort).toEqual(expected.map((i) => `Pager ${i}`))
    }
    const badSort = await list('sort=title')
    expect(badSort.json().error.message).toMatch(/^sort: unknown field "title"/)
    const badField = await list(
      filterParam({ all: [{ field: 'account.colour', op: 'eq', value: 'x' }] }),
    )
    expect(badField.json().error.message).toMatch(/^filter\.all\[0\]\.field: unknown field/)
  })

  it('lists with plans that walk an index in sort order', async () => {
    const cases = [
      [{ limit: 50 }, 'contacts_updated_idx'],
      [{ limit: 50, sort: 'lastName' }, 'contacts_last_name_idx'],
      [{ limit: 50, sort: '-email' }, 'contacts_email_sort_idx'],
      [{ limit: 50, sort: '-createdAt' }, 'contacts_created_idx'],
      [
        {
          limit: 50,
          filter: JSON.stringify({ all: [{ field: 'lifecycleStage', op: 'eq', value: 'mql' }] }),
        },
        'contacts_stage_updated_idx',
      ],
      [
        {
          limit: 50,
          filter: JSON.stringify({ all: [{ field: 'ownerId', op: 'eq', value: owner.userId }] }),
        },
        'contacts_owner_updated_idx',
      ],
    ] as const
    for (const [query, index] of cases) {
      const plan = await t.ctx.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx)
        const { query: page } = await buildContactList(trx, workspaceId, query)
        const rows = await page.explain()
        return rows.map((r) => String(r['QUERY PLAN'])).join('\n')
      })
      expect(plan, JSON.stringify(query)).toContain(index)
      expect(plan, JSON.stringify(query)).not.toMatch(/Sort/)
    }
  })

  it('bulk-updates all or nothing', async () => {
    const ids = [
      (await post({ email: 'bulk-a@example.com', lifecycleStage: 'mql' })).json().data.id,
      (await post({ email: 'bulk-b@example.com', lifecycleStage: 'sal' })).json().data.id,
    ]
    const other = await makeWorkspace(t, 'Bulk Elsewhere')
    const theirs = (
      await other.owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        workspaceId: other.workspaceId,
        payload: { email: 'theirs@example.com' },
      })
    ).json().data.id
    const foreign = await send('PATCH', '/contacts/bulk', {
      ids: [...ids, theirs],
      patch: { title: 'Bulk title' },
    })
    expect(foreign.statusCode).toBe(404)
    const lead = (await post({ email: 'bulk-c@example.com', lifecycleStage: 'lead' })).json().data
      .id
    const halfValid = await send('PATCH', '/contacts/bulk', {
      ids: [...ids, lead],
      patch: { leadStatus: 'connected', title: 'Bulk title' },
    })
    expect(halfValid.statusCode).toBe(400)
    expect(halfValid.json().error.message).toMatch(/^leadStatus: /)
    const unchanged = await t.ctx.db
      .selectFrom('contacts')
      .select(['title', 'leadStatus'])
      .where('id', 'in', [...ids, lead, theirs])
      .execute()
    expect(unchanged.every((r) => r.title === null && r.leadStatus !== 'connected')).toBe(true)
    const email = await send('PATCH', '/contacts/bulk', { ids, patch: { email: 'x@example.com' } })
    expect(email.json().error.message).toMatch(/^email: cannot be set on many contacts/)
    const ok = await send('PATCH', '/contacts/bulk', {
      ids,
      patch: { leadStatus: 'connected', doNotContact: true },
    })
    expect(ok.json().data).toEqual({ updated: 2 })
    const got = (await send('GET', `/contacts/${ids[1]}`)).json().data
    expect(got).toMatchObject({ leadStatus: 'connected', doNotContact: true })
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('targetId')
      .where('action', '=', 'contact.update')
      .where('targetId', 'in', ids)
      .execute()
    expect(audit).toHaveLength(2)
  })

  it('moves a deleted contact out of lists and lookups; viewers cannot write', async () => {
    const created = (await post({ email: 'gone@example.com', lastName: 'Gone' })).json().data
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    expect((await send('GET', `/contacts/${created.id}`, undefined, viewer)).statusCode).toBe(200)
    for (const [method, url, payload] of [
      ['POST', '/contacts', { lastName: 'Viewer made' }],
      ['PATCH', `/contacts/${created.id}`, { title: 'x' }],
      ['PATCH', '/contacts/bulk', { ids: [created.id], patch: { title: 'x' } }],
      ['DELETE', `/contacts/${created.id}`, undefined],
    ] as const) {
      expect((await send(method, url, payload, viewer)).statusCode, `${method} ${url}`).toBe(403)
    }
    expect((await send('DELETE', `/contacts/${created.id}`)).statusCode).toBe(204)
    expect((await send('GET', `/contacts/${created.id}`)).statusCode).toBe(404)
    expect((await send('PATCH', `/contacts/${created.id}`, { title: 'x' })).statusCode).toBe(404)
    expect((await send('DELETE', `/contacts/${created.id}`)).statusCode).toBe(404)
    expect((await list('q=gone')).json().data).toEqual([])
    // The email is free again for a new contact.
    expect((await post({ email: 'gone@example.com' })).statusCode).toBe(201)
  })

  it('hides contacts of another workspace', async () => {
    const other = await makeWorkspace(t, 'Hidden Co')
    const theirs = (
      await other.owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        workspaceId: other.workspaceId,
        payload: { email: 'dup@example.com' },
      })
    ).json().data
    expect(theirs.email).toBe('dup@example.com')
    expect((await send('GET', `/contacts/${theirs.id}`)).statusCode).toBe(404)
    expect((await send('PATCH', `/contacts/${theirs.id}`, { title: 'x' })).statusCode).toBe(404)
    expect((await send('DELETE', `/contacts/${theirs.id}`)).statusCode).toBe(404)
    expect(
      (await list(filterParam({ all: [{ field: 'id', op: 'eq', value: theirs.id }] }))).json().data,
    ).toEqual([])
  })
})
