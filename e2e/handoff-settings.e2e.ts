import type { BrowserContext } from 'playwright-core'
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

const toasts = '.mantine-Notification-root'

describe('the handoff settings in the browser', () => {
  it("shows the demo's routing, SLA and MQL settings, accessible, and adds a webhook whose secret is shown once", async () => {
    const page = await context.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')

    await page.goto(`${e.baseUrl}/settings/routing`)
    const rules = page.getByRole('table', { name: 'Routing rules, in the order they are tried' })
    await rules.waitFor()
    // The demo world routes its leads: at least one rule, and its reps listed.
    expect(await rules.getByRole('row').count()).toBeGreaterThan(1)
    expect(await axeViolations(page, { exclude: toasts })).toEqual([])
    await screenshot(page, 'settings-routing')

    await page.goto(`${e.baseUrl}/settings/sla`)
    await page.getByRole('heading', { level: 2, name: 'SLA' }).waitFor()
    await page.getByText(/would need a first touch by/).waitFor()
    expect(await axeViolations(page, { exclude: toasts })).toEqual([])

    await page.goto(`${e.baseUrl}/settings/mql`)
    await page.getByRole('table', { name: 'Monthly MQL targets' }).waitFor()
    await page.getByLabel('Fit score at least').waitFor()
    expect(await axeViolations(page, { exclude: toasts })).toEqual([])

    await page.goto(`${e.baseUrl}/settings/webhooks`)
    await page.getByRole('heading', { level: 2, name: 'Webhooks' }).waitFor()
    await page.getByRole('button', { name: 'Add webhook' }).first().click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Name').fill('Sales Slack')
    await dialog.getByLabel('URL').fill('https://hooks.example.com/tandem')
    await dialog.getByRole('checkbox', { name: /handoff\.breached/ }).check()
    expect(await axeViolations(page, { include: '[role="dialog"]', exclude: toasts })).toEqual([])
    await dialog.getByRole('button', { name: 'Add webhook' }).click()
    const secret = page.getByTestId('webhook-secret')
    await secret.waitFor()
    expect(await secret.textContent()).toMatch(/whsec_/)
    await page.getByRole('region', { name: 'Sales Slack' }).waitFor()
    expect(await axeViolations(page, { exclude: toasts })).toEqual([])
    await screenshot(page, 'settings-webhooks')

    // The bell in the top bar says how many notifications wait.
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).waitFor()
  })
})
