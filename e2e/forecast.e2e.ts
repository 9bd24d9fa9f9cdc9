import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../test/factories.ts'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext
let page: Page
let periodKey: string
const note = `Needs legal sign-off ${Date.now().toString(36)}`

/** The demo rep (Sam Sales, in Morgan Manager's Enterprise team) submits this month's forecast. */
beforeAll(async () => {
  e = await startE2E()
  const rep = await signIn(e.t.app, 'sales@northwind.example', 'tandem-demo')
  const call = await rep.request({ method: 'GET', url: '/api/v1/forecast/call' })
  expect(call.statusCode, call.body).toBe(200)
  periodKey = String(call.json().data.period.key)
  const submitted = await rep.request({
    method: 'POST',
    url: '/api/v1/forecast/submissions',
    payload: {
      periodKind: 'month',
      periodKey,
      commit: 123_000_00,
      bestCase: 150_000_00,
      pipeline: 200_000_00,
      note: 'Two big ones in commit',
    },
  })
  expect(submitted.statusCode, submitted.body).toBe(201)
  context = await e.browser.newContext({ viewport: { width: 1440, height: 900 } })
  page = await context.newPage()
  // Seeding the demo world is slow on a shared 2-core machine.
}, 480_000)

afterAll(async () => {
  await context?.close()
  await e?.close()
})

const samRow = () =>
  page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Sam Sales' }) })

describe('the forecast call', () => {
  it("lets a manager adjust a rep's submission with a note and shows the adjusted figure", async () => {
    await signInAs(page, e.baseUrl, 'manager@northwind.example')
    await page.getByRole('link', { name: 'Forecast call' }).click()
    await page.getByRole('heading', { level: 1, name: 'Forecast call' }).waitFor()
    const row = samRow()
    await row.waitFor({ timeout: 30_000 })
    await expect(row.textContent()).resolves.toContain('$123,000 / $150,000')
    await screenshot(page, 'forecast-call')
    expect(await axeViolations(page)).toEqual([])

    await row.getByRole('button', { name: 'Adjust' }).click()
    const dialog = page.getByRole('dialog', {
      name: `Adjust Sam Sales's forecast for ${periodKey}`,
    })
    await dialog.waitFor()
    const commit = dialog.getByRole('textbox', { name: /^Commit/ })
    await commit.fill('100000')
    // The note is required: the dialog says so and stays open.
    await dialog.getByRole('button', { name: 'Save adjustment' }).click()
    await dialog.getByText('Say why: the rep and the call read it.').waitFor()
    expect(await axeViolations(page)).toEqual([])
    await dialog.getByRole('textbox', { name: /^Note/ }).fill(note)
    await dialog.getByRole('button', { name: 'Save adjustment' }).click()
    await dialog.waitFor({ state: 'hidden' })

    // The row shows the adjustment (and its note) beside the submission; the history keeps both.
    await samRow().getByText(note, { exact: false }).waitFor()
    const text = (await samRow().textContent()) ?? ''
    expect(text).toContain('$123,000 / $150,000')
    expect(text).toContain('$100,000 / $150,000')
    expect(text).toContain('Morgan Manager')
    const history = page.getByRole('table', { name: `Submissions for ${periodKey}` })
    await history.getByRole('row').filter({ hasText: note }).waitFor()
    await expect(
      history.getByRole('row').filter({ hasText: 'Two big ones in commit' }).count(),
    ).resolves.toBe(1)
    await screenshot(page, 'forecast-call-adjusted')
    expect(await axeViolations(page)).toEqual([])
  })

  it('opens the deals behind a number, each linking to its deal', async () => {
    const company = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Company' }) })
    await company
      .getByRole('button', { name: /^Company weighted pipeline: .*, show the deals$/ })
      .click()
    const drawer = page.getByRole('dialog', { name: 'Company: weighted pipeline' })
    await drawer.waitFor()
    // The demo world has open deals closing this month.
    const links = drawer.getByRole('link')
    await links.first().waitFor()
    await expect(links.first().getAttribute('href')).resolves.toMatch(/^\/microscope\/deals\//)
    await screenshot(page, 'forecast-call-deals')
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
  })
})
