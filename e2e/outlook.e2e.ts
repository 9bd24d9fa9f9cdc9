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

const metrics = ['Leads', 'MQLs', 'Pipeline created', 'Revenue']

describe('the Outlook page', () => {
  it('charts the four series with model, backtest and intervals, and follows the horizon', async () => {
    const page = await context.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    await page.getByRole('link', { name: 'Outlook', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Outlook' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/telescope/outlook')

    // The demo world has three years of history: every series is charted with its intervals.
    for (const label of metrics) {
      const card = page.getByRole('region', { name: label, exact: true })
      const chart = card.getByRole('img', { name: new RegExp(`^${label}: actuals`) })
      await chart.waitFor({ timeout: 60_000 })
      await chart.locator('svg path').first().waitFor()
      expect(await chart.locator('svg path').count()).toBeGreaterThan(3)
      await card.getByRole('button', { name: /^ETS\([AM],(N|A|Ad|M|Md),[NAM]\): / }).waitFor()
      const table = card.getByRole('table', { name: `${label}: forecast by month` })
      expect(await table.locator('tbody tr').count()).toBe(24)
    }
    const leads = page.getByRole('region', { name: 'Leads', exact: true })
    await expect(leads.getByTestId('outlook-leads-backtest').textContent()).resolves.toMatch(
      /^Backtest: MAPE \d+(\.\d)?% on the last \d+ months held out/,
    )
    await expect(
      leads
        .getByText(/^ETS\(/)
        .first()
        .textContent(),
    ).resolves.toMatch(/^ETS\(/)
    // The company's revenue targets are drawn and listed beside the forecast.
    const revenue = page.getByRole('table', { name: 'Revenue: forecast by month' })
    await revenue.getByRole('columnheader', { name: 'Target' }).waitFor()

    await page.locator('label', { hasText: '12 months' }).click()
    await page.waitForURL(/horizon=12/)
    const table = page.getByRole('table', { name: 'Leads: forecast by month' })
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(12)

    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'outlook')

    // The dark theme reads as well (contrast checked by axe again).
    await page.getByRole('button', { name: 'Toggle color scheme' }).click()
    await page.waitForFunction(
      () => document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark',
    )
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'outlook-dark')
    await page.getByRole('button', { name: 'Toggle color scheme' }).click()

    // The Telescope page glances at the outlook and opens it.
    await page.getByRole('link', { name: 'Telescope', exact: true }).click()
    const card = page.getByRole('region', { name: 'Two-year outlook' })
    await card.getByText(/^Leads:.*forecast for the next 12 months/).waitFor({ timeout: 30_000 })
    await card.getByRole('link', { name: 'Open the outlook' }).click()
    await page.getByRole('heading', { level: 1, name: 'Outlook' }).waitFor()
    await page.close()
  })
})
