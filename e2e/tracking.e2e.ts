import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BrowserContext, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateTrackingSettings } from '../src/server/tracking/service.ts'
import { type E2E, startE2E } from './browser.ts'

/**
 * The tracking snippet on a customer's website: a small site served from another origin than
 * Tandem's, with the one-line install, a single-page-app route and a demo form.
 */

let e: E2E
let site: http.Server
let siteUrl = ''
let workspaceId = ''
let writeKey = ''
const contexts: BrowserContext[] = []

// Chromium's own user agent says HeadlessChrome, which ingestion flags as a bot: a visitor's instead.
const userAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

function sitePage(title: string, key: string) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script>window.tandem = window.tandem || []; tandem.push(['track', 'Stub Replayed'])</script>
<script async src="${e.baseUrl}/t.js?key=${key}"></script>
</head><body>
<h1>${title}</h1>
<a href="/pricing" id="pricing">Pricing</a>
<form id="demo-form" name="demo" action="/thanks" method="post">
  <label>Work email <input type="email" name="work_email" required></label>
  <label>First name <input name="first_name"></label>
  <label>Last name <input name="last_name"></label>
  <label>Password <input type="password" name="password"></label>
  <input type="hidden" name="plan" value="secret-plan">
  <button type="submit">Book a demo</button>
</form>
<script>
  document.getElementById('pricing').addEventListener('click', function (event) {
    event.preventDefault()
    history.pushState({}, '', '/pricing')
    document.title = 'Pricing'
    document.querySelector('h1').textContent = 'Pricing'
  })
</script>
</body></html>`
}

beforeAll(async () => {
  e = await startE2E()
  const key = await e.t.ctx.db
    .selectFrom('writeKeys')
    .select(['key', 'workspaceId'])
    .where('name', '=', 'Website')
    .where('revokedAt', 'is', null)
    .executeTakeFirstOrThrow()
  writeKey = key.key
  workspaceId = key.workspaceId
  site = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    const html =
      path === '/thanks'
        ? sitePage('Thanks', writeKey)
        : sitePage('Robots for every line', path === '/wrong-key' ? 'wk_wrong' : writeKey)
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(html)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  // localhost, not 127.0.0.1: another site than Tandem's, as a customer's website is.
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await new Promise((resolve) => site?.close(resolve))
  await e?.close()
})

async function setSettings(input: { consentRequired?: boolean; captureForms?: boolean }) {
  await updateTrackingSettings(
    e.t.ctx.db,
    { kind: 'cli', name: 'e2e', workspaceId, role: 'admin' },
    input,
  )
}

async function visitor(): Promise<{ page: Page; sent: Request[]; context: BrowserContext }> {
  const context = await e.browser.newContext({ userAgent })
  contexts.push(context)
  const page = await context.newPage()
  const sent: Request[] = []
  page.on('request', (request) => {
    if (request.url().startsWith(`${e.baseUrl}/v1/`)) sent.push(request)
  })
  return { page, sent, context }
}

type Tandem = { anonymousId(): string; consent(granted: boolean): void }
const snippetLoaded = (page: Page) =>
  page.waitForFunction(() => {
    const tandem = (window as unknown as { tandem?: unknown }).tandem
    return Boolean(tandem) && !Array.isArray(tandem)
  })
const anonymousIdOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { tandem: Tandem }).tandem.anonymousId())

function touchesOf(anonymousId: string) {
  return e.t.ctx.db
    .selectFrom('touchpoints')
    .select(['type', 'eventName', 'contactId', 'url', 'referrer', 'utm', 'properties', 'isBot'])
    .where('workspaceId', '=', workspaceId)
    .where('anonymousId', '=', anonymousId)
    .orderBy('occurredAt')
    .execute()
}

describe('the tracking snippet on a website', () => {
  it('tracks a visit from an ad through a single-page route to a form that identifies', async () => {
    await setSettings({ captureForms: true, consentRequired: false })
    const { page, context } = await visitor()
    const email = `snippet.${Date.now()}@e2e.example`
    await page.goto(`${siteUrl}/?utm_source=google&utm_medium=cpc&utm_campaign=brand-search`)
    await snippetLoaded(page)
    const anonymousId = await anonymousIdOf(page)
    const cookies = await context.cookies(siteUrl)
    expect(cookies.find((c) => c.name === 'tandem_aid')?.value).toBe(anonymousId)

    await page.getByRole('link', { name: 'Pricing' }).click()
    await page.waitForURL(`${siteUrl}/pricing`)
    await page.getByLabel('Work email').fill(email)
    await page.getByLabel('First name').fill('Ada')
    await page.getByLabel('Last name').fill('Lovelace')
    await page.getByLabel('Password').fill('hunter2-not-sent')
    await page.getByRole('button', { name: 'Book a demo' }).click()
    await page.waitForURL(`${siteUrl}/thanks`)
    await page.getByRole('heading', { name: 'Thanks' }).waitFor()
    // The thanks page is another page load: same visitor, same id from the cookie.
    await snippetLoaded(page)
    expect(await anonymousIdOf(page)).toBe(anonymousId)

    await expect
      .poll(
        () =>
          e.t.ctx.db
            .selectFrom('contacts')
            .select('id')
            .where('workspaceId', '=', workspaceId)
            .where('email', '=', email)
            .executeTakeFirst(),
        { timeout: 20_000 },
      )
      .toBeTruthy()
    const row = await e.t.ctx.db
      .selectFrom('contacts')
      .select(['id', 'firstName', 'lastName', 'traits'])
      .where('workspaceId', '=', workspaceId)
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' })
    expect(JSON.stringify(row.traits)).not.toMatch(/hunter2|secret-plan/)

    // Two page loads, each a page view and the stub's replayed call, the route's page view and the
    // form: written a moment after they are sent, joined to the contact by the form's identify.
    await expect
      .poll(
        async () => (await touchesOf(anonymousId)).filter((t) => t.contactId === row.id).length,
        {
          timeout: 20_000,
        },
      )
      .toBe(6)
    const touches = await touchesOf(anonymousId)
    expect(touches.every((t) => t.contactId === row.id && !t.isBot)).toBe(true)
    const views = touches.filter((t) => t.type === 'page_view')
    expect(views.length).toBeGreaterThanOrEqual(2)
    const landing = views.find((t) => t.utm?.utm_source === 'google')
    expect(landing?.utm).toEqual({
      utm_source: 'google',
      utm_medium: 'cpc',
      utm_campaign: 'brand-search',
    })
    // The single-page route: its referrer is the page it came from.
    const pricing = views.find((t) => t.url === `${siteUrl}/pricing`)
    expect(pricing?.referrer).toBe(landing?.url)
    const form = touches.find((t) => t.type === 'form_submit')
    expect(form).toMatchObject({
      eventName: 'Form Submitted',
      url: `${siteUrl}/pricing`,
      utm: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand-search' },
      properties: {
        formId: 'demo-form',
        formName: 'demo',
        formAction: `${siteUrl}/thanks`,
        firstUtm: { source: 'google', medium: 'cpc', name: 'brand-search' },
      },
    })
    expect(touches.some((t) => t.eventName === 'Stub Replayed')).toBe(true)
    expect(JSON.stringify(touches)).not.toMatch(/hunter2|secret-plan/)
  })

  it('sends nothing and sets no cookie before consent, then the page view on consent', async () => {
    await setSettings({ consentRequired: true })
    const { page, sent, context } = await visitor()
    await page.goto(`${siteUrl}/?utm_source=newsletter&utm_medium=email`)
    await snippetLoaded(page)
    // Past the snippet's 1 s flush: had it meant to send, it would have.
    await page.waitForTimeout(2_000)
    expect(sent).toEqual([])
    const names = (await context.cookies(siteUrl)).map((c) => c.name)
    expect(names).not.toContain('tandem_aid')
    expect(await page.evaluate(() => localStorage.getItem('tandem_aid'))).toBeNull()

    const anonymousId = await anonymousIdOf(page)
    const batch = page.waitForRequest(`${e.baseUrl}/v1/batch`)
    await page.evaluate(() => (window as unknown as { tandem: Tandem }).tandem.consent(true))
    const request = await batch
    expect((await request.response())?.status()).toBe(200)
    const body = JSON.parse(request.postData() ?? '{}')
    expect(body.writeKey).toBe(writeKey)
    expect(body.batch.map((m: { type: string }) => m.type)).toContain('page')
    const cookies = await context.cookies(siteUrl)
    expect(cookies.find((c) => c.name === 'tandem_aid')?.value).toBe(anonymousId)
    expect(cookies.find((c) => c.name === 'tandem_consent')?.value).toBe('1')

    await expect
      .poll(async () => (await touchesOf(anonymousId)).map((t) => t.type), { timeout: 20_000 })
      .toContain('page_view')
    const view = (await touchesOf(anonymousId)).find((t) => t.type === 'page_view')
    expect(view?.utm).toEqual({ utm_source: 'newsletter', utm_medium: 'email' })
  })

  it('sends nothing for a visitor with Global Privacy Control, even after consent', async () => {
    await setSettings({ consentRequired: false })
    const { page, sent, context } = await visitor()
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })
    })
    await page.goto(siteUrl)
    await snippetLoaded(page)
    await page.evaluate(() => (window as unknown as { tandem: Tandem }).tandem.consent(true))
    await page.waitForTimeout(2_000)
    expect(sent).toEqual([])
    expect(await context.cookies(siteUrl)).toEqual([])
  })

  it('answers a wrong key 401 with a script saying why, and sends nothing', async () => {
    const { page, sent } = await visitor()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    const answer = page.waitForResponse((r) => r.url().startsWith(`${e.baseUrl}/t.js`))
    await page.goto(`${siteUrl}/wrong-key`)
    const response = await answer
    expect(response.status()).toBe(401)
    // What the Network tab or curl shows of it (gzipped, as the browser asked).
    const direct = await fetch(response.url(), { headers: { 'accept-encoding': 'gzip' } })
    expect(direct.headers.get('content-encoding')).toBe('gzip')
    expect(await direct.text()).toMatch(
      /Tandem: “wk_wrong” is not a write key.*Settings → Tracking/,
    )
    // Browsers run no script answered with an error status: the console shows the 401 itself.
    await expect.poll(() => errors.join('\n')).toMatch(/401 \(Unauthorized\)/)
    await page.waitForTimeout(1_500)
    expect(sent).toEqual([])
    expect(await page.evaluate(() => Array.isArray((window as { tandem?: unknown }).tandem))).toBe(
      true,
    )
  })
})
