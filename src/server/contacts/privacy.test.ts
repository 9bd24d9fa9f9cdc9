import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, makeWriteKey, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { multipart } from '../../../test/multipart.ts'
import { runImportJob } from '../imports/job.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let writeKey: string
let formId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Privacy Co'))
  writeKey = await makeWriteKey(owner, workspaceId)
  const form = await send('POST', '/forms', {
    name: 'Contact us',
    fields: [
      { key: 'email', label: 'Email', type: 'email', mapsTo: 'email' },
      { key: 'first_name', label: 'First name', type: 'text', mapsTo: 'firstName' },
      { key: 'message', label: 'Message', type: 'textarea' },
    ],
    thankYouMessage: 'Thanks, we will be in touch.',
  })
  expect(form.statusCode, form.body).toBe(201)
  formId = form.json().data.id
})
afterAll(async () => t.close())

const person = 'ada@privacy.example'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
function send(method: Method, url: string, payload?: unknown, session = owner) {
  return session.request({
    method,
    url: `/api/v1${url}`,
    workspaceId,
    ...(payload ? { payload } : {}),
  })
}

/** Posts a batch to /v1/batch with the write key and waits until it is written. */
async function ingest(batch: Record<string, unknown>[]) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    payload: JSON.stringify({ batch }),
  })
  expect(response.statusCode, response.body).toBe(200)
  await t.app.ingest.settle()
}

function submitForm(body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/f/${formId}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress: `10.7.${randomBytes(1)[0]}.${randomBytes(1)[0]}`,
  })
}

const db = () => t.ctx.db
const contactsWithEmail = (email: string) =>
  db().selectFrom('contacts').select('id').where('email', '=', email).execute()
const touchesOf = (contactId: string) =>
  db()
    .selectFrom('touchpoints')
    .selectAll()
    .where('contactId', '=', contactId)
    .orderBy('occurredAt')
    .orderBy('id')
    .execute()
const submissionsOfForm = () =>
  db().selectFrom('formSubmissions').selectAll().where('formId', '=', formId).execute()

let contactId = ''

describe('privacy per contact', () => {
  it('exports everything held about a contact as an audited JSON download', async () => {
    await ingest([
      {
        type: 'identify',
        userId: 'u-ada',
        anonymousId: 'anon-ada',
        traits: {
          email: person,
          firstName: 'Ada',
          lastName: 'Lovelace',
          phone: '+44 20 7946 0000',
        },
      },
      {
        type: 'page',
        anonymousId: 'anon-ada',
        properties: { plan: 'pro' },
        context: {
          ip: '203.0.113.9',
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
          page: {
            url: 'https://site.example/pricing?email=ada%40privacy.example#plans',
            referrer: 'https://news.example/post',
          },
          campaign: { source: 'news', medium: 'email', name: 'autumn' },
        },
      },
    ])
    const [found] = await contactsWithEmail(person)
    contactId = found?.id ?? ''
    expect(contactId).not.toBe('')
    const submitted = await submitForm({
      email: person,
      first_name: 'Ada',
      message: 'Call me on my mobile',
      tandem_aid: 'anon-ada',
    })
    expect(submitted.statusCode, submitted.body).toBe(200)
    const call = await send('POST', '/activities', {
      type: 'call',
      subject: 'Intro call with Ada',
      body: 'Ada prefers mornings',
      contactId,
    })
    expect(call.statusCode, call.body).toBe(201)
    const edited = await send('PATCH', `/contacts/${contactId}`, { title: 'Countess' })
    expect(edited.statusCode, edited.body).toBe(200)

    // As a download link sends it: the workspace in the query, no X-Workspace-Id.
    const response = await owner.request({
      method: 'GET',
      url: `/api/v1/contacts/${contactId}/personal-data?workspaceId=${workspaceId}`,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="contact-${contactId}-personal-data.json"`,
    )
    const data = response.json()
    expect(data.contact).toMatchObject({ id: contactId, email: person, firstName: 'Ada' })
    expect(data.contact.traits).toMatchObject({ phone: '+44 20 7946 0000' })
    expect(data.identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'user', value: 'u-ada' }),
        expect.objectContaining({ kind: 'anonymous', value: 'anon-ada' }),
      ]),
    )
    expect(data.emails).toEqual([person])
    const page = data.touchpoints.find((tp: { type: string }) => tp.type === 'page_view')
    expect(page).toMatchObject({
      anonymousId: 'anon-ada',
      referrer: 'https://news.example/post',
      properties: { plan: 'pro' },
      context: { ip: '203.0.113.9' },
    })
    expect(data.touchpoints.map((tp: { type: string }) => tp.type)).toContain('form_submit')
    expect(data.formSubmissions).toHaveLength(1)
    expect(data.formSubmissions[0]).toMatchObject({
      formName: 'Contact us',
      values: { email: person, message: 'Call me on my mobile' },
    })
    expect(data.activities[0]).toMatchObject({ subject: 'Intro call with Ada' })
    expect(data.lifecycle.map((l: { stage: string }) => l.stage)).toContain('lead')
    expect(data.auditEntries.map((a: { action: string }) => a.action)).toContain('contact.update')

    const audit = (await send('GET', '/audit-log?limit=5')).json().data
    expect(audit[0]).toMatchObject({
      action: 'contact.personal_data_exported',
      targetType: 'contact',
      targetId: contactId,
    })
  })

  it('leaves export, erasure and suppressions to admins', async () => {
    const marketer = await addMember(t, owner, workspaceId, 'marketing')
    const as = (method: Method, url: string, payload?: unknown) =>
      send(method, url, payload, marketer)
    expect((await as('GET', `/contacts/${contactId}/personal-data`)).statusCode).toBe(403)
    expect((await as('POST', `/contacts/${contactId}/erase`, { confirm: person })).statusCode).toBe(
      403,
    )
    expect((await as('GET', '/suppressions')).statusCode).toBe(403)
    expect(await contactsWithEmail(person)).toHaveLength(1)
  })

  it('refuses an erasure whose confirmation is not the email, changing nothing', async () => {
    const before = await touchesOf(contactId)
    const response = await send('POST', `/contacts/${contactId}/erase`, {
      confirm: 'someone@else.example',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error).toMatchObject({
      code: 'invalid_input',
      details: { field: 'confirm' },
    })
    expect(response.json().error.message).toMatch(/^confirm: /)
    const contact = (await send('GET', `/contacts/${contactId}`)).json().data
    expect(contact).toMatchObject({ email: person, firstName: 'Ada', erasedAt: null })
    expect(await touchesOf(contactId)).toEqual(before)
    const identities = await db()
      .selectFrom('identities')
      .select('value')
      .where('recordId', '=', contactId)
      .execute()
    expect(identities).toHaveLength(2)
  })

  it('erases the personal data, keeps the anonymous aggregates and audits without the email', async () => {
    const before = await touchesOf(contactId)
    expect(before.length).toBeGreaterThanOrEqual(2)
    const response = await send('POST', `/contacts/${contactId}/erase`, {
      confirm: ' ADA@privacy.example ',
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data).toMatchObject({
      suppressedEmails: 1,
      identitiesDeleted: 2,
      formSubmissionsCleared: 1,
      activitiesCleared: 1,
    })

    const contact = (await send('GET', `/contacts/${contactId}`)).json().data
    expect(contact).toMatchObject({
      email: null,
      firstName: null,
      lastName: 'Erased contact',
      title: null,
      phone: null,
      traits: null,
      custom: {},
    })
    expect(contact.erasedAt).not.toBeNull()
    expect(contact.stageHistory.map((s: { stage: string }) => s.stage)).toContain('lead')
    const identities = await db()
      .selectFrom('identities')
      .selectAll()
      .where('recordId', '=', contactId)
      .execute()
    expect(identities).toEqual([])

    const after = await touchesOf(contactId)
    const aggregate = (rows: typeof before) =>
      rows.map((r) => [r.id, r.type, r.channel, r.campaignId, r.occurredAt.toISOString()])
    expect(aggregate(after)).toEqual(aggregate(before))
    for (const touch of after) {
      expect(touch).toMatchObject({
        anonymousId: null,
        referrer: null,
        context: null,
        properties: {},
        messageId: null,
      })
    }
    expect(after.find((r) => r.type === 'page_view')?.url).toBe('https://site.example/pricing')
    const [submission] = await submissionsOfForm()
    expect(submission).toMatchObject({ values: {}, ip: null, anonymousId: null, contactId })
    const [activity] = await db()
      .selectFrom('activities')
      .selectAll()
      .where('contactId', '=', contactId)
      .execute()
    expect(activity).toMatchObject({ type: 'call', subject: '(erased)', body: null })

    const audit = (await send('GET', '/audit-log?limit=200')).json().data
    expect(audit[0]).toMatchObject({ action: 'contact.erased', targetId: contactId })
    const log = JSON.stringify(audit)
    expect(log).not.toContain('privacy.example')
    expect(log).not.toContain('Countess')
    const list = (await send('GET', '/contacts?limit=200')).json().data
    expect(list.map((c: { id: string }) => c.id)).toContain(contactId)
  })

  it('refuses to edit or erase an erased contact again', async () => {
    const edit = await send('PATCH', `/contacts/${contactId}`, { firstName: 'Ada' })
    expect(edit.statusCode).toBe(409)
    expect(edit.json().error.message).toContain('erased on request')
    const again = await send('POST', `/contacts/${contactId}/erase`, { confirm: contactId })
    expect(again.statusCode).toBe(409)
  })

  it('does not create the person again from later events; their touches stay anonymous', async () => {
    const count = async () =>
      (
        await db()
          .selectFrom('contacts')
          .select('id')
          .where('workspaceId', '=', workspaceId)
          .execute()
      ).length
    const contactsBefore = await count()
    await ingest([
      {
        type: 'identify',
        userId: 'u-ada-again',
        anonymousId: 'anon-ada-again',
        traits: { email: person, firstName: 'Ada' },
      },
      { type: 'track', userId: 'u-ada-again', event: 'Signed In' },
      { type: 'track', anonymousId: 'anon-ada-again', event: 'Opened Settings' },
    ])
    expect(await contactsWithEmail(person)).toEqual([])
    expect(await count()).toBe(contactsBefore)
    const touches = await db()
      .selectFrom('touchpoints')
      .select(['eventName', 'contactId'])
      .where('workspaceId', '=', workspaceId)
      .where('eventName', 'in', ['Signed In', 'Opened Settings'])
      .execute()
    expect(touches).toHaveLength(2)
    expect(touches.every((r) => r.contactId === null)).toBe(true)
  })

  it('answers a form post with the email as usual but stores nothing', async () => {
    const before = await submissionsOfForm()
    const response = await submitForm({ email: person, first_name: 'Ada', message: 'Hi again' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.message).toBe('Thanks, we will be in touch.')
    expect(await submissionsOfForm()).toHaveLength(before.length)
    expect(await contactsWithEmail(person)).toEqual([])
  })

  it('refuses the email through the API and imports until the suppression is lifted', async () => {
    const created = await send('POST', '/contacts', { email: person, firstName: 'Ada' })
    expect(created.statusCode).toBe(409)
    expect(created.json().error).toMatchObject({ code: 'conflict', details: { field: 'email' } })
    expect(created.json().error.message).toContain('erased on request')

    const csv = `email,first\n${person},Ada\nbob@privacy.example,Bob\n`
    const body = multipart(
      { entity: 'contacts', map: JSON.stringify({ email: 'email', first: 'firstName' }) },
      { name: 'people.csv', content: csv },
    )
    const queued = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      workspaceId,
      ...body,
    })
    expect(queued.statusCode, queued.body).toBe(202)
    const importId = queued.json().data.id
    await runImportJob(t.ctx, { workspaceId, importId })
    expect((await send('GET', `/imports/${importId}`)).json().data).toMatchObject({
      status: 'done',
      imported: 1,
      rejected: 1,
    })
    const errors = await send('GET', `/imports/${importId}/errors.csv`)
    expect(errors.body).toContain('suppressed (erased on request)')
    expect(await contactsWithEmail(person)).toEqual([])
    expect(await contactsWithEmail('bob@privacy.example')).toHaveLength(1)

    const listed = await send('GET', `/suppressions?email=${encodeURIComponent(person)}`)
    expect(listed.statusCode).toBe(200)
    const [suppression] = listed.json().data
    expect(suppression).toMatchObject({ reason: 'erased' })
    expect(suppression.emailHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(listed.json())).not.toContain('privacy.example')
    const lifted = await send('DELETE', `/suppressions/${suppression.id}`)
    expect(lifted.statusCode).toBe(204)
    const audit = (await send('GET', '/audit-log?limit=1')).json().data
    expect(audit[0]).toMatchObject({ action: 'suppression.lifted', targetId: suppression.id })
    expect((await send('DELETE', `/suppressions/${suppression.id}`)).statusCode).toBe(404)

    const again = await send('POST', '/contacts', { email: person, firstName: 'Ada' })
    expect(again.statusCode, again.body).toBe(201)
  })
})
