import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { insertAccount, insertDeal } from '../activities/test-fixtures.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Merge Co'))
})
afterAll(async () => t.close())

type Method = 'GET' | 'POST' | 'PATCH'
const send = (method: Method, url: string, payload?: unknown, session = owner, ws = workspaceId) =>
  session.request({
    method,
    url: `/api/v1${url}`,
    workspaceId: ws,
    ...(payload ? { payload } : {}),
  })
async function created(url: string, payload: Record<string, unknown>) {
  const response = await send('POST', url, payload)
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data as { id: string }
}
const contact = (payload: Record<string, unknown>) => created('/contacts', payload)
const db = () => t.ctx.db

function stagesOf(id: string) {
  return db()
    .selectFrom('lifecycleEntries')
    .select(['stage', 'enteredAt'])
    .where('workspaceId', '=', workspaceId)
    .where('recordId', '=', id)
    .orderBy('enteredAt')
    .execute()
}

async function touchOf(contactId: string, occurredAt: string) {
  await db()
    .insertInto('touchpoints')
    .values({
      workspaceId,
      id: uuidv7(),
      occurredAt,
      contactId,
      type: 'page_view',
      channel: 'direct',
      url: 'https://merge.example/pricing',
    })
    .execute()
}

describe('finding duplicates', () => {
  let ws: string
  let wsOwner: Session
  const inWs = (method: Method, url: string, payload?: unknown) =>
    send(method, url, payload, wsOwner, ws)
  beforeAll(async () => {
    ;({ workspaceId: ws, owner: wsOwner } = await makeWorkspace(t, 'Dupes Co'))
    const make = async (url: string, payload: Record<string, unknown>) => {
      const response = await inWs('POST', url, payload)
      expect(response.statusCode, response.body).toBe(201)
      return response.json().data.id as string
    }
    const acme = await make('/accounts', { name: 'Acme Robotics' })
    await make('/contacts', { email: 'dup.email@one.example', firstName: 'Dup' })
    await make('/contacts', { email: 'Dup.Email+crm@one.example', firstName: 'Other' })
    await make('/contacts', { firstName: 'Grace', lastName: 'Hopper', phone: '+1 (555) 010-2000' })
    await make('/contacts', { firstName: 'grace ', lastName: 'HOPPER', phone: '15550102000' })
    await make('/contacts', { firstName: 'Alan', lastName: 'Turing', accountId: acme })
    await make('/contacts', { firstName: 'alan', lastName: 'turing', accountId: acme })
    await make('/contacts', { firstName: 'Alan', lastName: 'Turing' })
    // Written around the API, which would normalise these domains into one.
    await insertAccount(t.ctx.db, ws, { name: 'Initech', domain: 'https://www.initech.example/' })
    await insertAccount(t.ctx.db, ws, { name: 'Initrode', domain: 'initech.example.' })
    await make('/accounts', { name: 'Globex, Inc.' })
    await make('/accounts', { name: 'GLOBEX GmbH' })
  })

  it('groups contacts by email variant, name + phone and name + account, with the reason', async () => {
    const response = await inWs('GET', '/duplicates/contacts')
    expect(response.statusCode, response.body).toBe(200)
    const groups = response.json().data as {
      reason: string
      key: string
      size: number
      records: { name: string; email: string | null }[]
    }[]
    expect(groups.map((g) => [g.reason, g.key.split('|')[0], g.size])).toEqual([
      ['email', 'dup.email@one.example', 2],
      ['name_phone', 'grace hopper', 2],
      ['name_company', 'alan turing', 2],
    ])
    expect(groups[0]?.records.map((r) => r.email)).toEqual([
      'dup.email@one.example',
      'dup.email+crm@one.example',
    ])
    expect(response.json().nextCursor).toBeNull()
  })

  it('pages through groups across reasons without repeating one', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = (await inWs('GET', `/duplicates/contacts?limit=1${query}`)).json()
      expect(page.data.length).toBe(1)
      seen.push(page.data[0].reason)
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(['email', 'name_phone', 'name_company'])
  })

  it('filters by reason', async () => {
    const groups = (await inWs('GET', '/duplicates/contacts?reason=name_phone')).json().data
    expect(groups.map((g: { reason: string }) => g.reason)).toEqual(['name_phone'])
  })

  it('groups accounts by domain variants and by name without legal forms', async () => {
    const groups = (await inWs('GET', '/duplicates/accounts')).json().data as {
      reason: string
      key: string
      records: { name: string }[]
    }[]
    expect(groups.map((g) => [g.reason, g.key, g.records.map((r) => r.name).sort()])).toEqual([
      ['domain', 'initech.example', ['Initech', 'Initrode']],
      ['name', 'globex', ['GLOBEX GmbH', 'Globex, Inc.']],
    ])
  })

  it('rejects an unknown reason naming the field', async () => {
    const response = await inWs('GET', '/duplicates/accounts?reason=phone')
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/reason/)
  })
})

describe('merging contacts', () => {
  it('keeps every stage entry, activity, touch and deal link on the survivor', async () => {
    const survivor = await contact({
      email: 'ada@merge.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
      lifecycleStage: 'lead',
    })
    const loser = await contact({
      email: 'ada.l@merge.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0000',
      title: 'Countess',
      lifecycleStage: 'mql',
      custom: {},
    })
    await send('PATCH', `/contacts/${loser.id}`, { lifecycleStage: 'sql' })
    const call = await created('/activities', {
      type: 'call',
      subject: 'Intro call',
      contactId: survivor.id,
    })
    const note = await created('/activities', {
      type: 'note',
      subject: 'Met at the fair',
      contactId: loser.id,
    })
    await touchOf(loser.id, '2026-03-01T10:00:00Z')
    await touchOf(loser.id, '2025-11-02T10:00:00Z')
    const shared = await insertDeal(t.ctx.db, workspaceId, { contactIds: [survivor.id, loser.id] })
    await db()
      .updateTable('dealContacts')
      .set({ isPrimary: true, role: 'champion' })
      .where('dealId', '=', shared.id)
      .where('contactId', '=', loser.id)
      .execute()
    const own = await insertDeal(t.ctx.db, workspaceId, { contactIds: [loser.id] })
    const before = [...(await stagesOf(survivor.id)), ...(await stagesOf(loser.id))]

    const response = await send('POST', `/contacts/${survivor.id}/merge`, {
      otherIds: [loser.id],
      fields: { email: loser.id },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data).toMatchObject({
      id: survivor.id,
      mergedIds: [loser.id],
      fields: { email: loser.id, firstName: survivor.id, phone: loser.id, title: loser.id },
      moved: { activities: 1, touchpoints: 2, dealLinks: 2 },
    })

    const merged = (await send('GET', `/contacts/${survivor.id}`)).json().data
    expect(merged).toMatchObject({
      email: 'ada.l@merge.example',
      phone: '+44 20 7946 0000',
      title: 'Countess',
      lifecycleStage: 'sql',
    })
    const after = await stagesOf(survivor.id)
    expect(after).toHaveLength(before.length)
    expect(after.map((s) => s.stage)).toEqual(expect.arrayContaining(['lead', 'mql', 'sql']))
    const times = after.map((s) => s.enteredAt.getTime())
    expect(times).toEqual([...times].sort((x, y) => x - y))

    const activities = (await send('GET', `/activities?limit=200`)).json().data as {
      id: string
      contactId: string | null
    }[]
    const mine = activities.filter((a) => a.contactId === survivor.id).map((a) => a.id)
    expect(mine.sort()).toEqual([call.id, note.id].sort())

    const touches = await db()
      .selectFrom('touchpoints')
      .select('contactId')
      .where('workspaceId', '=', workspaceId)
      .where('contactId', 'in', [survivor.id, loser.id])
      .execute()
    expect(touches.every((row) => row.contactId === survivor.id)).toBe(true)
    expect(touches.length).toBe(3) // the call's sales touch and the two page views

    const links = await db()
      .selectFrom('dealContacts')
      .select(['dealId', 'contactId', 'isPrimary', 'role'])
      .where('dealId', 'in', [shared.id, own.id])
      .orderBy('dealId')
      .execute()
    expect(links).toEqual([
      { dealId: shared.id, contactId: survivor.id, isPrimary: true, role: 'champion' },
      { dealId: own.id, contactId: survivor.id, isPrimary: false, role: null },
    ])

    const gone = await send('GET', `/contacts/${loser.id}`)
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error.details).toEqual({ mergedInto: survivor.id })
    const trash = (await send('GET', '/trash?entity=contact')).json().data as { id: string }[]
    expect(trash.map((r) => r.id)).not.toContain(loser.id)
    const restore = await send('POST', `/trash/contact/${loser.id}/restore`)
    expect(restore.statusCode).toBe(404)

    const audit = (await send('GET', '/audit-log?limit=5')).json().data as {
      action: string
      targetId: string
      details: Record<string, unknown>
    }[]
    const entry = audit.find((e) => e.action === 'contact.merge')
    expect(entry).toMatchObject({
      targetId: survivor.id,
      details: { mergedIds: [loser.id], fields: { email: loser.id } },
    })
  })

  it('merges several contacts and keeps a do-not-contact from any of them', async () => {
    const survivor = await contact({ firstName: 'Bo', lastName: 'Three' })
    const second = await contact({ firstName: 'Bo', lastName: 'Three', doNotContact: true })
    const third = await contact({ firstName: 'Bo', lastName: 'Three', email: 'bo@three.example' })
    const response = await send('POST', `/contacts/${survivor.id}/merge`, {
      otherIds: [second.id, third.id, third.id],
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.mergedIds).toEqual([second.id, third.id])
    const merged = (await send('GET', `/contacts/${survivor.id}`)).json().data
    expect(merged).toMatchObject({ email: 'bo@three.example', doNotContact: true })
    expect(response.json().data.fields).toMatchObject({ doNotContact: second.id, email: third.id })
  })
})

describe('merging accounts', () => {
  it('moves contacts, deals and activities and takes a missing domain', async () => {
    const survivor = await created('/accounts', { name: 'Umbrella' })
    const loser = await created('/accounts', {
      name: 'Umbrella Corp',
      domain: 'umbrella.example',
      employees: 250,
    })
    const person = await contact({ lastName: 'Wesker', accountId: loser.id })
    const deal = await insertDeal(t.ctx.db, workspaceId, { accountId: loser.id })
    await created('/activities', { type: 'note', subject: 'Hello', accountId: loser.id })

    const response = await send('POST', `/accounts/${survivor.id}/merge`, {
      otherIds: [loser.id],
      fields: { name: survivor.id },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.moved).toMatchObject({ contacts: 1, deals: 1, activities: 1 })
    const merged = (await send('GET', `/accounts/${survivor.id}`)).json().data
    expect(merged).toMatchObject({
      name: 'Umbrella',
      domain: 'umbrella.example',
      employees: 250,
      counts: { contacts: 1, deals: 1 },
    })
    expect((await send('GET', `/contacts/${person.id}`)).json().data.accountId).toBe(survivor.id)
    const row = await db()
      .selectFrom('deals')
      .select('accountId')
      .where('id', '=', deal.id)
      .executeTakeFirstOrThrow()
    expect(row.accountId).toBe(survivor.id)
    const gone = await send('GET', `/accounts/${loser.id}`)
    expect(gone.json().error.details).toEqual({ mergedInto: survivor.id })
    const audit = (await send('GET', '/audit-log?limit=5')).json().data
    expect(audit[0]).toMatchObject({
      action: 'account.merge',
      targetId: survivor.id,
      details: { mergedIds: [loser.id] },
    })
  })
})

describe('bad merge input', () => {
  let survivor: { id: string }
  let other: { id: string }
  beforeAll(async () => {
    survivor = await contact({ firstName: 'Bad', lastName: 'Input' })
    other = await contact({ firstName: 'Bad', lastName: 'Input', email: 'bad@input.example' })
  })
  const merge = (payload: unknown, id = survivor.id, session = owner) =>
    send('POST', `/contacts/${id}/merge`, payload, session)
  const refused = async (payload: unknown, field: string) => {
    const response = await merge(payload)
    expect(response.statusCode, response.body).toBe(400)
    expect(response.json().error.message).toMatch(new RegExp(`^(body\\.)?${field}`))
  }

  it('rejects the record itself, unknown ids, too many ids and unknown fields', async () => {
    await refused({ otherIds: [survivor.id] }, 'otherIds')
    await refused({ otherIds: [uuidv7()] }, 'otherIds')
    await refused({ otherIds: [] }, 'otherIds')
    await refused({ otherIds: Array.from({ length: 51 }, () => uuidv7()) }, 'otherIds')
    await refused({ otherIds: ['not-a-uuid'] }, 'otherIds')
    await refused({ otherIds: [other.id], fields: { shoeSize: other.id } }, 'fields.shoeSize')
    await refused({ otherIds: [other.id], fields: { email: uuidv7() } }, 'fields.email')
  })

  it('treats a contact of another workspace like an unknown one', async () => {
    const elsewhere = await makeWorkspace(t, 'Elsewhere')
    const theirs = await elsewhere.owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      workspaceId: elsewhere.workspaceId,
      payload: { lastName: 'Theirs' },
    })
    await refused({ otherIds: [theirs.json().data.id] }, 'otherIds')
    const intoTheirs = await merge({ otherIds: [other.id] }, theirs.json().data.id)
    expect(intoTheirs.statusCode).toBe(404)
  })

  it('answers 404 for an unknown survivor and 403 without records:write', async () => {
    expect((await merge({ otherIds: [other.id] }, uuidv7())).statusCode).toBe(404)
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    expect((await merge({ otherIds: [other.id] }, survivor.id, viewer)).statusCode).toBe(403)
  })

  it('writes nothing when one id of many is bad', async () => {
    await refused({ otherIds: [other.id, uuidv7()] }, 'otherIds')
    const still = await send('GET', `/contacts/${other.id}`)
    expect(still.statusCode).toBe(200)
    const merged = await send('POST', `/contacts/${other.id}/merge`, { otherIds: [survivor.id] })
    expect(merged.statusCode).toBe(200)
    const again = await merge({ otherIds: [other.id] })
    expect(again.statusCode).toBe(404)
  })
})
