import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addMember,
  makeWorkspace,
  makeWriteKey,
  type Session,
  uniqueEmail,
} from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { Role } from '../db/schema.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t))
  const field = await owner.request({
    method: 'POST',
    url: '/api/v1/custom-fields',
    workspaceId,
    payload: { entity: 'contact', key: 'team_size', label: 'Team size', type: 'number' },
  })
  expect(field.statusCode, field.body).toBe(201)
})
afterAll(async () => t.close())

const demoForm = {
  name: 'Request a demo',
  fields: [
    { key: 'email', label: 'Work email', type: 'email', mapsTo: 'email' },
    { key: 'first_name', label: 'First name', type: 'text', required: true, mapsTo: 'firstName' },
    { key: 'company', label: 'Company', type: 'text', mapsTo: 'company' },
    { key: 'team', label: 'Team size', type: 'text', mapsTo: 'custom.team_size' },
    { key: 'message', label: 'Message', type: 'textarea' },
  ],
  consentText: 'I agree to be contacted about Tandem.',
  thankYouMessage: 'Thanks, we will call you.',
  isHighIntent: true,
}

async function createForm(overrides: Record<string, unknown> = {}, session = owner) {
  const response = await session.request({
    method: 'POST',
    url: '/api/v1/forms',
    workspaceId,
    payload: { ...demoForm, ...overrides },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data as { id: string; fields: { key: string; required: boolean }[] }
}

// Each test posts from its own address, so the per-IP limits of one test do not reach another.
const newIp = () => `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`

function postJson(formId: string, body: unknown, ip: string, headers = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/f/${formId}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
    remoteAddress: ip,
  })
}

function postHtml(formId: string, body: Record<string, string>, ip: string) {
  return t.app.inject({
    method: 'POST',
    url: `/f/${formId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(body).toString(),
    remoteAddress: ip,
  })
}

async function getApi(url: string) {
  const response = await owner.request({ method: 'GET', url, workspaceId })
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

const countSubmissions = async (formId: string) =>
  (await getApi(`/api/v1/forms/${formId}/submissions`)).data.length
const countContacts = async () => (await getApi('/api/v1/contacts?limit=200')).data.length

describe('forms API', () => {
  it('creates, reads, updates, lists and archives a form, auditing each change', async () => {
    const form = await createForm()
    expect(form.fields[0]).toMatchObject({ key: 'email', required: true })
    const got = (await getApi(`/api/v1/forms/${form.id}`)).data
    expect(got).toMatchObject({
      name: 'Request a demo',
      isHighIntent: true,
      redirectUrl: null,
      stats: { views: 0, submissions: 0, conversionRate: null },
    })
    const patched = await owner.request({
      method: 'PATCH',
      url: `/api/v1/forms/${form.id}`,
      workspaceId,
      payload: { name: 'Talk to sales', redirectUrl: 'https://example.com/thanks' },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json().data).toMatchObject({
      name: 'Talk to sales',
      redirectUrl: 'https://example.com/thanks',
    })
    expect((await getApi('/api/v1/forms')).data.map((f: { id: string }) => f.id)).toContain(form.id)
    const archived = await owner.request({
      method: 'DELETE',
      url: `/api/v1/forms/${form.id}`,
      workspaceId,
    })
    expect(archived.statusCode).toBe(204)
    expect((await getApi('/api/v1/forms')).data.map((f: { id: string }) => f.id)).not.toContain(
      form.id,
    )
    expect(
      (await getApi('/api/v1/forms?archived=true')).data.map((f: { id: string }) => f.id),
    ).toContain(form.id)
    const audit = (await getApi('/api/v1/audit-log?limit=3')).data
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'form.archive',
      'form.update',
      'form.create',
    ])
  })

  it.each([
    [
      { fields: [{ key: 'name', label: 'Name', type: 'text' }] },
      'body.fields: map one field to email',
    ],
    [
      {
        fields: [
          { key: 'email', label: 'Email', type: 'email', mapsTo: 'email' },
          { key: 'email', label: 'Again', type: 'text' },
        ],
      },
      'body.fields.1.key',
    ],
    [
      {
        fields: Array.from({ length: 31 }, (_, i) => ({
          key: `f${i}`,
          label: 'x',
          type: 'email',
          mapsTo: i === 0 ? 'email' : null,
        })),
      },
      'body.fields',
    ],
    [
      { fields: [{ key: 'email', label: 'x'.repeat(201), type: 'email', mapsTo: 'email' }] },
      'body.fields.0.label',
    ],
    [{ redirectUrl: 'javascript:alert(1)' }, 'body.redirectUrl'],
    [
      {
        fields: [
          { key: 'email', label: 'Email', type: 'email', mapsTo: 'email' },
          { key: 'x', label: 'X', type: 'text', mapsTo: 'custom.nope' },
        ],
      },
      'body.fields.1.mapsTo',
    ],
  ])('refuses an invalid form, naming the field (%#)', async (overrides, field) => {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/forms',
      workspaceId,
      payload: { ...demoForm, ...overrides },
    })
    expect(response.statusCode, response.body).toBe(400)
    expect(response.json().error.message).toContain(field)
  })

  it.each<[Role, number]>([
    ['marketing', 201],
    ['sales', 403],
    ['viewer', 403],
  ])('lets %s create forms: %i; every member reads them', async (role, status) => {
    const person = await addMember(t, owner, workspaceId, role)
    const response = await person.request({
      method: 'POST',
      url: '/api/v1/forms',
      workspaceId,
      payload: demoForm,
    })
    expect(response.statusCode, response.body).toBe(status)
    const list = await person.request({ method: 'GET', url: '/api/v1/forms', workspaceId })
    expect(list.statusCode).toBe(200)
  })
})

describe('submissions', () => {
  it('creates the contact with its fields and custom field, a form_submit touch, and joins the earlier page views', async () => {
    const form = await createForm()
    const key = await makeWriteKey(owner, workspaceId)
    const anonymousId = `anon-${randomBytes(4).toString('hex')}`
    const page = await t.app.inject({
      method: 'POST',
      url: '/v1/page',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      },
      payload: JSON.stringify({ anonymousId, properties: { url: 'https://acme.example/pricing' } }),
    })
    expect(page.statusCode, page.body).toBe(200)
    await t.app.ingest.settle()

    const view = await t.app.inject({ method: 'GET', url: `/f/${form.id}` })
    expect(view.statusCode).toBe(200)
    expect(view.headers['content-type']).toContain('text/html')
    expect(view.body).toContain('<label for="field-email">Work email')
    expect(view.body).toContain('name="website" tabindex="-1" autocomplete="off"')

    const email = uniqueEmail('lead')
    const response = await postJson(
      form.id,
      {
        email,
        first_name: 'Ada',
        company: 'Analytical Engines',
        team: '12',
        message: 'Call me <b>soon</b>',
        tandem_consent: true,
        tandem_aid: anonymousId,
        tandem_page: 'https://acme.example/demo?utm_source=newsletter&utm_medium=email',
      },
      newIp(),
    )
    expect(response.statusCode, response.body).toBe(200)
    const { contactId, submissionId, message } = response.json().data
    expect(message).toBe('Thanks, we will call you.')
    const contact = (await getApi(`/api/v1/contacts/${contactId}`)).data
    expect(contact).toMatchObject({ email, firstName: 'Ada', emailOptIn: true })
    expect(contact.custom).toEqual({ team_size: 12 })
    expect(contact.account).toMatchObject({ name: 'Analytical Engines' })
    const touches = (await getApi(`/api/v1/touchpoints?contactId=${contactId}`)).data
    expect(touches.map((tp: { type: string }) => tp.type).sort()).toEqual([
      'form_submit',
      'page_view',
    ])
    const submit = touches.find((tp: { type: string }) => tp.type === 'form_submit')
    expect(submit).toMatchObject({
      url: 'https://acme.example/demo?utm_source=newsletter&utm_medium=email',
      channel: 'email',
    })
    expect(submit.properties).toMatchObject({ formId: form.id, isHighIntent: true })

    const listed = (await getApi(`/api/v1/forms/${form.id}/submissions`)).data
    expect(listed).toEqual([
      expect.objectContaining({
        id: submissionId,
        contact: { id: contactId, name: 'Ada', email },
        isConsentGiven: true,
        touchpointId: submit.id,
      }),
    ])
    const stats = (await getApi(`/api/v1/forms/${form.id}`)).data.stats
    expect(stats).toEqual({ views: 1, submissions: 1, conversionRate: 1 })
  })

  it('puts the contact at the account already named so, and makes one account of a new company', async () => {
    const form = await createForm({ consentText: null })
    const existing = await owner.request({
      method: 'POST',
      url: '/api/v1/accounts',
      workspaceId,
      payload: { name: 'Difference Engines Ltd' },
    })
    expect(existing.statusCode, existing.body).toBe(201)
    const accountId = existing.json().data.id
    const first = await postJson(
      form.id,
      { email: uniqueEmail(), first_name: 'Charles', company: 'difference engines ltd' },
      newIp(),
    )
    expect(first.statusCode, first.body).toBe(200)
    const charles = (await getApi(`/api/v1/contacts/${first.json().data.contactId}`)).data
    expect(charles.account).toMatchObject({ id: accountId, name: 'Difference Engines Ltd' })

    const twice = []
    for (const name of ['Jacquard Looms', 'Jacquard Looms']) {
      const answer = await postJson(
        form.id,
        { email: uniqueEmail(), first_name: 'Joseph', company: name },
        newIp(),
      )
      expect(answer.statusCode, answer.body).toBe(200)
      twice.push((await getApi(`/api/v1/contacts/${answer.json().data.contactId}`)).data.account)
    }
    expect(twice[0]).toMatchObject({ name: 'Jacquard Looms' })
    expect(twice[1]?.id).toBe(twice[0]?.id)
    const named = await getApi('/api/v1/accounts?q=Jacquard')
    expect(named.data).toHaveLength(1)
  })

  it('answers an HTML form post with the thank-you page, or a 303 to the redirect URL', async () => {
    const form = await createForm({ consentText: null })
    const ip = newIp()
    const thanks = await postHtml(form.id, { email: uniqueEmail(), first_name: 'Bo' }, ip)
    expect(thanks.statusCode, thanks.body).toBe(200)
    expect(thanks.body).toContain('Thanks, we will call you.')
    const redirecting = await createForm({ consentText: null, redirectUrl: 'https://x.example/ok' })
    const moved = await postHtml(redirecting.id, { email: uniqueEmail(), first_name: 'Cy' }, ip)
    expect(moved.statusCode).toBe(303)
    expect(moved.headers.location).toBe('https://x.example/ok')
  })

  it('refuses a missing required field, naming it, and stores nothing', async () => {
    const form = await createForm()
    const contacts = await countContacts()
    const json = await postJson(form.id, { email: uniqueEmail(), tandem_consent: true }, newIp())
    expect(json.statusCode).toBe(400)
    expect(json.json().error).toMatchObject({
      code: 'invalid_input',
      message: 'first_name: required',
      details: { field: 'first_name' },
    })
    const html = await postHtml(form.id, { email: 'not-an-email', first_name: '<Ada>' }, newIp())
    expect(html.statusCode).toBe(400)
    expect(html.body).toContain('must be an email address')
    expect(html.body).toContain('please give your consent')
    expect(html.body).toContain('value="&lt;Ada&gt;"')
    expect(html.body).not.toContain('<Ada>')
    expect(await countSubmissions(form.id)).toBe(0)
    expect(await countContacts()).toBe(contacts)
  })

  it('refuses oversized values and bodies', async () => {
    const form = await createForm({ consentText: null })
    const long = await postJson(
      form.id,
      { email: uniqueEmail(), first_name: 'x'.repeat(1001) },
      newIp(),
    )
    expect(long.statusCode).toBe(400)
    expect(long.json().error.message).toBe('first_name: at most 1,000 characters (1,001 sent)')
    const huge = await postJson(
      form.id,
      { email: uniqueEmail(), first_name: 'A', message: 'x'.repeat(70_000) },
      newIp(),
    )
    expect(huge.statusCode).toBe(400)
    expect(huge.json().error.message).toMatch(/^body: \d+ KB is over the 64 KB limit$/)
    expect(await countSubmissions(form.id)).toBe(0)
  })

  it('answers a bot that filled the honeypot as if it succeeded, and stores nothing', async () => {
    const form = await createForm({ consentText: null })
    const contacts = await countContacts()
    const email = uniqueEmail('bot')
    const json = await postJson(
      form.id,
      { email, first_name: 'Bot', website: 'http://spam.example' },
      newIp(),
    )
    expect(json.statusCode).toBe(200)
    expect(json.json().data.message).toBe('Thanks, we will call you.')
    const html = await postHtml(form.id, { email, first_name: 'Bot', website: 'x' }, newIp())
    expect(html.statusCode).toBe(200)
    expect(await countSubmissions(form.id)).toBe(0)
    expect(await countContacts()).toBe(contacts)
  })

  it('limits submissions per address: the sixth in a minute is 429 with Retry-After', async () => {
    const form = await createForm({ consentText: null })
    const ip = newIp()
    for (let i = 0; i < 5; i++) {
      const ok = await postJson(form.id, { email: uniqueEmail(), first_name: 'R' }, ip)
      expect(ok.statusCode, ok.body).toBe(200)
    }
    const limited = await postJson(form.id, { email: uniqueEmail(), first_name: 'R' }, ip)
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(limited.json().error.message).toContain('5 submissions a minute')
    const other = await postJson(form.id, { email: uniqueEmail(), first_name: 'R' }, newIp())
    expect(other.statusCode).toBe(200)
    expect(await countSubmissions(form.id)).toBe(6)
  })

  it('answers 404 for an archived or unknown form, page, script and post alike', async () => {
    const form = await createForm({ consentText: null })
    await owner.request({ method: 'DELETE', url: `/api/v1/forms/${form.id}`, workspaceId })
    for (const id of [form.id, '01900000-0000-7000-8000-000000000000', 'nope']) {
      expect((await t.app.inject({ method: 'GET', url: `/f/${id}` })).statusCode).toBe(404)
      expect((await t.app.inject({ method: 'GET', url: `/f/${id}.js` })).statusCode).toBe(404)
      const post = await postJson(id, { email: uniqueEmail(), first_name: 'A' }, newIp())
      expect(post.statusCode).toBe(404)
      expect(post.json().error.code).toBe('not_found')
    }
  })

  it('counts views of the page and the script, and the conversion rate', async () => {
    const form = await createForm({ consentText: null })
    const script = await t.app.inject({ method: 'GET', url: `/f/${form.id}.js` })
    expect(script.statusCode).toBe(200)
    expect(script.headers['content-type']).toContain('javascript')
    expect(script.body).toContain('data-tandem-form')
    expect(script.body).toContain('tandem_aid')
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'GET', url: `/f/${form.id}` })
    await postJson(form.id, { email: uniqueEmail(), first_name: 'V' }, newIp())
    const stats = (await getApi(`/api/v1/forms/${form.id}`)).data.stats
    expect(stats).toEqual({ views: 4, submissions: 1, conversionRate: 0.25 })
  })
})

describe('high-intent forms and the MQL rule', () => {
  const submitAs = async (formId: string) => {
    const email = `mql-${randomBytes(4).toString('hex')}@example.com`
    const response = await postJson(
      formId,
      { email, first_name: 'Grace', tandem_consent: true },
      newIp(),
    )
    expect(response.statusCode, response.body).toBe(200)
    return String(response.json().data.contactId)
  }
  const handoffsOf = async (contactId: string) =>
    (await getApi(`/api/v1/handoffs?contactId=${contactId}`)).data as {
      mqlSource: string
      mqlReason: string
      contact: { lifecycleStage: string }
    }[]

  it('makes the sender of a high-intent form an MQL with a handoff, in the submission', async () => {
    const form = await createForm({ name: 'Talk to sales now' })
    const contactId = await submitAs(form.id)
    const [handoff, ...more] = await handoffsOf(contactId)
    expect(more).toHaveLength(0)
    expect(handoff).toMatchObject({
      mqlSource: 'form',
      mqlReason: 'Submitted the high-intent form "Talk to sales now"',
      contact: { lifecycleStage: 'mql' },
    })
  })

  it('leaves other forms, and workspaces that turned the rule off, to marketing', async () => {
    const newsletter = await createForm({ name: 'Newsletter', isHighIntent: false })
    expect(await handoffsOf(await submitAs(newsletter.id))).toHaveLength(0)
    const off = await owner.request({
      method: 'PATCH',
      url: '/api/v1/mql/rules',
      workspaceId,
      payload: { highIntentForms: false },
    })
    expect(off.statusCode, off.body).toBe(200)
    const demo = await createForm({ name: 'Demo please' })
    expect(await handoffsOf(await submitAs(demo.id))).toHaveLength(0)
    await owner.request({
      method: 'PATCH',
      url: '/api/v1/mql/rules',
      workspaceId,
      payload: { highIntentForms: true },
    })
  })
})
