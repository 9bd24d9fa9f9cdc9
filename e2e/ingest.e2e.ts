import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext
beforeAll(async () => {
  e = await startE2E()
  context = await e.browser.newContext({ viewport: { width: 1366, height: 800 } })
})
afterAll(async () => {
  await context?.close()
  await e?.close()
})

/** A call to /api/v1 as the signed-in person (session cookie and CSRF token). */
async function callApi(page: Page, method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await page.evaluate(
    async ([verb, url, payload]) => {
      const csrf = document.cookie
        .split('; ')
        .find((c) => c.startsWith('tandem_csrf='))
        ?.slice('tandem_csrf='.length)
      const res = await fetch(url, {
        method: verb,
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': decodeURIComponent(csrf ?? ''),
        },
        body: verb === 'GET' ? undefined : JSON.stringify(payload),
      })
      return { status: res.status, body: await res.json() }
    },
    [method, path, body ?? {}] as const,
  )
  if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`)
  return response.body
}

/** What a Segment library does: POST /v1/batch with the write key as the Basic username. */
async function sendBatch(key: string, batch: unknown[]) {
  const response = await fetch(`${e.baseUrl}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch }),
  })
  expect(response.status, await response.clone().text()).toBe(200)
  // Acknowledged events are written a moment later: wait until none is left waiting.
  await expect
    .poll(
      async () => {
        const health = await (await fetch(`${e.baseUrl}/api/health`)).json()
        return health.ingest.waiting
      },
      { timeout: 15_000 },
    )
    .toBe(0)
}

const timelineItem = (page: Page, text: string) =>
  page
    .getByRole('region', { name: 'Timeline' })
    .locator('.mantine-Timeline-item')
    .filter({ hasText: text })

describe('tracked events on the contact page', () => {
  const stamp = Date.now()
  const anonymousId = `anon-${stamp}`
  const userId = `user-${stamp}`
  const email = `ingest.${stamp}@e2e.example`
  const at = (minutesAgo: number) => new Date(stamp - minutesAgo * 60_000).toISOString()
  let page: Page
  let contactId = ''

  it('turns a visit, an identify, a form fill and a crawl into one contact', async () => {
    page = await context.newPage()
    await signInAs(page, e.baseUrl, `admin@northwind.example`)
    const key = (await callApi(page, 'POST', '/api/v1/write-keys', { name: `E2E ${stamp}` })).data
      .key as string

    await sendBatch(key, [
      {
        type: 'page',
        anonymousId,
        name: 'Pricing',
        timestamp: at(10),
        context: {
          campaign: { source: 'newsletter', medium: 'email', name: 'nov' },
          page: { url: 'https://northwind.example/pricing', title: 'Pricing before sign-up' },
        },
      },
    ])
    await sendBatch(key, [
      {
        type: 'identify',
        anonymousId,
        userId,
        timestamp: at(9),
        traits: { email, firstName: '<b>Bold</b>', plan: { tier: 'pro', seats: 3 } },
      },
      {
        type: 'track',
        userId,
        event: 'Form Submitted',
        timestamp: at(8),
        properties: { form: 'demo' },
        context: {
          campaign: { source: 'linkedin', medium: 'paid_social', name: 'retarget' },
          page: { url: 'https://northwind.example/demo', title: 'Book a demo' },
        },
      },
      {
        type: 'page',
        userId,
        timestamp: at(7),
        context: {
          userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1)',
          page: { url: 'https://northwind.example/docs', title: 'Crawled docs' },
        },
      },
      // A device clock far ahead: kept, placed when it arrived and flagged.
      { type: 'track', userId, event: 'Trial Started', timestamp: '2099-01-01T00:00:00Z' },
    ])
    const found = await callApi(page, 'GET', `/api/v1/contacts?q=${encodeURIComponent(email)}`)
    expect(found.data).toHaveLength(1)
    contactId = found.data[0].id
  })

  it('shows traits as text, the touches with the bot flagged and the identity merge', async () => {
    await page.goto(`${e.baseUrl}/microscope/contacts/${contactId}`)
    await page.getByRole('heading', { level: 1, name: '<b>Bold</b>' }).waitFor()

    const tracking = page.getByRole('region', { name: 'Tracking' })
    const traits = tracking.getByRole('table', { name: 'Traits from identify calls' })
    await traits.getByRole('cell', { name: '<b>Bold</b>', exact: true }).waitFor()
    await traits.getByRole('cell', { name: email, exact: true }).waitFor()
    await traits.getByText('{"tier":"pro","seats":3}').waitFor()
    // Sent HTML stays text: no <b> element anywhere on the page.
    expect(await page.locator('b', { hasText: 'Bold' }).count()).toBe(0)
    const fields = tracking.getByRole('table', { name: 'Tracking' })
    await fields
      .getByRole('cell', { name: 'source newsletter, medium email, campaign nov' })
      .waitFor()
    await expect(fields.textContent()).resolves.toMatch(/Lead created byForm submit/)
    // The lead-creation touch links to its place in the timeline.
    await tracking.getByRole('link', { name: 'Show in timeline' }).click()
    await page.waitForURL(/#touchpoint-/)
    await page.locator(new URL(page.url()).hash).getByText('Form Submitted').waitFor()

    await timelineItem(page, 'Form Submitted').getByText('Book a demo').waitFor()
    await timelineItem(page, 'Pricing before sign-up').waitFor()
    const crawl = timelineItem(page, 'Crawled docs')
    await crawl.getByText('Bot', { exact: true }).waitFor()
    await crawl.getByText('Bot user agent: not counted').waitFor()
    expect(await crawl.getAttribute('data-bot')).toBe('true')
    expect(
      await timelineItem(page, 'Form Submitted').getByText('Bot', { exact: true }).count(),
    ).toBe(0)

    await timelineItem(page, 'Trial Started').getByText('Time clamped').waitFor()
    expect(await timelineItem(page, 'Book a demo').getByText('Time clamped').count()).toBe(0)

    const merges = page.getByRole('region', { name: 'Identity merges' })
    const merge = merges.getByRole('listitem').filter({ hasText: anonymousId })
    await merge.getByText('1 earlier touch joined').waitFor()
    await merge.getByText('Identify', { exact: true }).waitFor()
    await screenshot(page, 'ingest-contact')
    expect(await axeViolations(page)).toEqual([])
  })

  it('lets only an admin undo the merge, which takes the anonymous visit off the timeline', async () => {
    const sales = await e.browser.newContext({ viewport: { width: 1366, height: 800 } })
    const salesPage = await sales.newPage()
    await signInAs(salesPage, e.baseUrl, 'sales@northwind.example')
    await salesPage.goto(`${e.baseUrl}/microscope/contacts/${contactId}`)
    const salesMerges = salesPage.getByRole('region', { name: 'Identity merges' })
    await salesMerges.getByText(anonymousId).waitFor()
    await salesMerges.getByText('Only an admin can undo a merge.').waitFor()
    expect(await salesMerges.getByRole('button', { name: /Undo/ }).count()).toBe(0)
    await sales.close()

    const merges = page.getByRole('region', { name: 'Identity merges' })
    await merges.getByRole('button', { name: `Undo merge of ${anonymousId}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Undo identity merge' })
    await dialog.getByText(anonymousId).waitFor()
    await dialog.getByRole('button', { name: 'Undo merge' }).click()
    await page.getByText('Identity merge undone').waitFor()
    await dialog.waitFor({ state: 'hidden' })

    const merge = merges.getByRole('listitem').filter({ hasText: anonymousId })
    await merge.getByText('Undone', { exact: true }).waitFor()
    expect(await merges.getByRole('button', { name: /Undo merge/ }).count()).toBe(0)
    await timelineItem(page, 'Pricing before sign-up').waitFor({ state: 'detached' })
    await timelineItem(page, 'Form Submitted').waitFor()
    // The contact's first touch is worked out again from the touches it keeps.
    await page
      .getByRole('region', { name: 'Tracking' })
      .getByRole('cell', { name: 'source linkedin, medium paid_social, campaign retarget' })
      .first()
      .waitFor()
    await screenshot(page, 'ingest-merge-undone')
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })
})

describe('Settings → Tracking', () => {
  it('shows the tag to paste, the events as they arrive, refused requests, and saves the settings', async () => {
    const stamp = Date.now()
    // A browser of its own: the admin of the tests above is signed in in the shared one.
    const marketing = await e.browser.newContext({ viewport: { width: 1366, height: 800 } })
    const page = await marketing.newPage()
    await signInAs(page, e.baseUrl, 'marketing@northwind.example')
    await page.goto(`${e.baseUrl}/settings/tracking`)
    await page.getByRole('heading', { level: 2, name: 'Tracking' }).waitFor()
    const tag = page.getByTestId('tracking-snippet')
    await expect.poll(() => tag.textContent()).toMatch(/<script async src=".*\/t\.js\?key=wk_/)
    const key = /key=(wk_[\w-]+)/.exec((await tag.textContent()) ?? '')?.[1] ?? ''

    const live = page.getByRole('table', { name: 'Live events' })
    await sendBatch(key, [
      {
        type: 'page',
        anonymousId: `live-${stamp}`,
        context: { page: { url: `https://northwind.example/live-${stamp}` } },
      },
    ])
    // Polled every three seconds: the visit appears without reloading the page.
    await live.getByRole('cell', { name: `https://northwind.example/live-${stamp}` }).waitFor()
    await live
      .getByRole('row')
      .filter({ hasText: `live-${stamp}` })
      .getByText('Anonymous visitor')
      .waitFor()

    const bad = await fetch(`${e.baseUrl}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ writeKey: key, anonymousId: 'x' }),
    })
    expect(bad.status).toBe(400)
    const refused = page.getByRole('status').filter({ hasText: 'Refused requests' })
    await refused.getByText(/\/v1\/track: event/).waitFor()

    await page.getByLabel('Cookie domain').fill('not a domain')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page
      .getByText(/cookieDomain/)
      .first()
      .waitFor()
    await page.getByLabel('Cookie domain').fill('northwind.example')
    await page.getByRole('switch', { name: 'Ask for consent before tracking' }).check()
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Tracking settings saved').waitFor()
    const saved = await callApi(page, 'GET', '/api/v1/tracking/settings')
    expect(saved.data).toMatchObject({ consentRequired: true, cookieDomain: 'northwind.example' })
    await screenshot(page, 'settings-tracking')
    expect(await axeViolations(page)).toEqual([])
    await marketing.close()
  })
})
