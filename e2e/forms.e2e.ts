import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext
beforeAll(async () => {
  e = await startE2E()
  context = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
})
afterAll(async () => {
  await context?.close()
  await e?.close()
})

/** A write key made through the API as the signed-in marketer (session cookie and CSRF token). */
async function makeWriteKey(page: Page): Promise<string> {
  const response = await page.evaluate(async () => {
    const csrf = document.cookie
      .split('; ')
      .find((c) => c.startsWith('tandem_csrf='))
      ?.slice('tandem_csrf='.length)
    const res = await fetch('/api/v1/write-keys', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-csrf-token': decodeURIComponent(csrf ?? ''),
      },
      body: JSON.stringify({ name: 'Forms e2e' }),
    })
    return { status: res.status, body: await res.json() }
  })
  if (response.status !== 201) throw new Error(JSON.stringify(response.body))
  return response.body.data.key as string
}

describe('hosted forms', () => {
  const stamp = Date.now()
  const formName = `Book a demo ${stamp}`
  const email = `form.${stamp}@e2e.example`
  let builder: Page
  let hostedUrl = ''

  it('lets a marketer build a form and shows its embed codes', async () => {
    builder = await context.newPage()
    await signInAs(builder, e.baseUrl, 'marketing@northwind.example')
    await builder.getByRole('link', { name: 'Telescope' }).click()
    // Exactly the nav's link: the Telescope page has a card that links to forms too.
    await builder.getByRole('link', { name: 'Forms', exact: true }).click()
    // The demo world's form, with its stats and high-intent badge.
    await builder.getByRole('table', { name: 'Forms' }).getByText('Request a demo').waitFor()
    await screenshot(builder, 'forms-list')
    expect(await axeViolations(builder)).toEqual([])
    await builder.getByRole('link', { name: 'New form' }).click()
    await builder.getByLabel('Name', { exact: false }).first().fill(formName)
    // The second default field, First name: make it required.
    await builder.getByRole('checkbox', { name: 'Required' }).nth(1).check()
    await builder.getByRole('switch', { name: /High intent/ }).check()
    await builder.getByRole('button', { name: 'Create form' }).click()
    await builder.getByRole('heading', { name: 'Embed' }).waitFor()
    expect(builder.url()).toMatch(/\/telescope\/forms\/[0-9a-f-]{36}$/)
    hostedUrl = (await builder.getByTestId('embed-link').textContent()) ?? ''
    expect(hostedUrl).toMatch(/\/f\/[0-9a-f-]{36}$/)
    await expect.poll(() => builder.getByTestId('embed-script').textContent()).toContain('.js')
    await screenshot(builder, 'forms-builder')
    expect(await axeViolations(builder)).toEqual([])
  })

  it('refuses a missing required field on the hosted page, then accepts the form', async () => {
    const visitor = await context.newPage()
    await visitor.goto(hostedUrl)
    await visitor.getByRole('heading', { name: formName }).waitFor()
    expect(await axeViolations(visitor)).toEqual([])
    await visitor.getByLabel('Email').fill(email)
    await visitor.getByRole('button', { name: 'Send' }).click()
    await visitor.getByText('Please correct the field below.').waitFor()
    expect(await visitor.locator('#first_name-error').textContent()).toBe('required')
    expect(await visitor.getByLabel('Email').inputValue()).toBe(email)
    await screenshot(visitor, 'forms-hosted-error')
    expect(await axeViolations(visitor)).toEqual([])
    await visitor.getByLabel('First name').fill('Grace')
    await visitor.getByRole('button', { name: 'Send' }).click()
    await visitor.getByText('Thank you! We will be in touch.').waitFor()
    await screenshot(visitor, 'forms-hosted-thanks')
    await visitor.close()
  })

  it('lists the submission under the form with its contact', async () => {
    await builder.reload()
    const table = builder.getByRole('table', { name: 'Submissions' })
    await table.waitFor()
    await expect.poll(() => table.getByRole('row').count()).toBe(2)
    await expect.poll(() => table.textContent()).toContain(email)
    expect(await builder.getByText('Conversion rate').locator('..').textContent()).toContain(
      '100.0%',
    )
    await screenshot(builder, 'forms-submissions')
    expect(await axeViolations(builder)).toEqual([])
    await table.getByRole('link', { name: 'Grace' }).click()
    await builder.waitForURL(/\/microscope\/contacts\/[0-9a-f-]{36}$/)
    await builder.getByText(email).first().waitFor()
  })

  it('renders the embed script on another site and joins the visitor’s tracked visits', async () => {
    const formId = hostedUrl.split('/').pop() ?? ''
    const anonymousId = `embed-${stamp}`
    const key = await makeWriteKey(builder)
    const page = await context.newPage()
    // The customer's site, at localhost (another origin than Tandem's 127.0.0.1): the tracking
    // snippet's cookie, then the form's script tag.
    const html = `<!doctype html><html lang="en"><head><title>Demo</title></head><body><main><h1>Demo</h1><script>document.cookie='tandem_aid=${anonymousId}; path=/'</script><script src="${e.baseUrl}/f/${formId}.js"></script></main></body></html>`
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(html)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const site = `http://localhost:${(server.address() as AddressInfo).port}`
    const tracked = await fetch(`${e.baseUrl}/v1/page`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      },
      body: JSON.stringify({ anonymousId, properties: { url: `${site}/customer-site/pricing` } }),
    })
    expect(tracked.status).toBe(200)
    await page.goto(`${site}/customer-site/demo`)
    await page.getByLabel('Email *').fill(`embed.${email}`)
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByText('required', { exact: true }).waitFor()
    await page.getByLabel('First name *').fill('Ada')
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByText('Thank you! We will be in touch.').waitFor()
    await screenshot(page, 'forms-embedded')
    // The tracked page view is written by the ingestion processor a moment after it was sent.
    const touchTypes = async () => {
      const { rows } = await e.t.ctx.handle.pool.query(
        `select t.type from touchpoints t join contacts c on c.id = t.contact_id
          where c.email = $1 order by t.occurred_at`,
        [`embed.${email}`],
      )
      return rows.map((r: { type: string }) => r.type)
    }
    await expect.poll(touchTypes, { timeout: 15_000 }).toEqual(['page_view', 'form_submit'])
    await page.close()
    await new Promise((resolve) => server.close(resolve))
  })
})
