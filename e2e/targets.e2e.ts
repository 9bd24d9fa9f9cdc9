import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext

beforeAll(async () => {
  e = await startE2E()
  context = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  // Seeding the demo world is slow on a shared 2-core machine.
}, 480_000)

afterAll(async () => {
  await context?.close()
  await e?.close()
})

describe('the Targets page', () => {
  it("shows the month's targets with progress, sets one and answers a second for the same period clearly", async () => {
    const page = await context.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    await page.getByRole('link', { name: 'Targets', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Targets' }).waitFor()
    // The demo world has this month's targets for the company, its teams and reps.
    const table = page.getByRole('table', { name: /^Targets for \d{4}-\d{2}$/ })
    await table.waitFor()
    expect(await table.getByRole('progressbar').count()).toBeGreaterThan(10)
    await table
      .getByRole('row', { name: /Northwind Robotics.*Revenue/ })
      .first()
      .waitFor()

    const before = await table.getByRole('row').count()
    const setMqls = async () => {
      await page.getByRole('button', { name: 'Set a target' }).click()
      const dialog = page.getByRole('dialog', { name: 'Set a target' })
      await dialog.getByLabel(/^Rep/).first().click()
      await page.getByRole('option', { name: 'Sam Sales' }).click()
      await expect(dialog.getByLabel(/^Rep/).first().inputValue()).resolves.toBe('Sam Sales')
      await dialog
        .getByLabel(/^Metric/)
        .first()
        .click()
      await page.getByRole('option', { name: 'MQLs' }).click()
      await dialog.getByLabel(/^Number/).fill('12')
      await expect(dialog.getByLabel(/^Number/).inputValue()).resolves.toBe('12')
      await dialog.getByRole('button', { name: 'Set target' }).click()
      return dialog
    }
    const dialog = await setMqls()
    await dialog.waitFor({ state: 'detached' })
    const row = table.getByRole('row', { name: /Sam Sales.*MQLs/ })
    await row.waitFor()
    await expect(row.textContent()).resolves.toContain('12')
    expect(await table.getByRole('row').count()).toBe(before + 1)

    // The same rep, metric and month again: the API's 409 is shown in the dialog, nothing added.
    const again = await setMqls()
    await again.getByText(/already exists/).waitFor()
    expect(await axeViolations(page)).toEqual([])
    await again.getByRole('button', { name: 'Cancel' }).click()
    expect(await table.getByRole('row').count()).toBe(before + 1)
    await screenshot(page, 'targets')
    await page.close()
  })
})
