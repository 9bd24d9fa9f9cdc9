import { AxeBuilder } from '@axe-core/playwright'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type E2E, screenshot, signInAs, startE2E } from './browser.ts'

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

describe('the web shell', () => {
  it('sends a visitor to sign in, with the demo note', async () => {
    const page = await context.newPage()
    await page.goto(`${e.baseUrl}/`)
    await page.waitForURL('**/sign-in')
    await expect(page.getByText('admin@northwind.example').isVisible()).resolves.toBe(true)
    await page.close()
  })

  it('refuses a wrong password with a message', async () => {
    const page = await context.newPage()
    await page.goto(`${e.baseUrl}/sign-in`)
    await page.getByLabel('Email').fill('admin@northwind.example')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').waitFor()
    expect(page.url()).toContain('/sign-in')
    await page.close()
  })

  it('signs in the demo admin, shows every area, and creates a working API key in Settings', async () => {
    const page = await context.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    for (const area of [
      'Telescope',
      'Microscope',
      'Bridge',
      'Insights',
      'Library',
      'Reports',
      'Settings',
    ]) {
      await expect(page.getByRole('link', { name: area }).isVisible()).resolves.toBe(true)
    }
    await expect(page.getByText('Northwind Robotics').first().isVisible()).resolves.toBe(true)

    await page.getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('link', { name: 'API keys' }).click()
    await page.getByRole('button', { name: 'Create API key' }).click()
    await page.getByLabel('Name').fill('Browser test key')
    await page.getByLabel('Role').selectOption('viewer')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const shown = page.getByTestId('new-api-key')
    await shown.waitFor()
    const key = (await shown.textContent())?.match(/tdm_[\w-]+/)?.[0]
    expect(key).toBeDefined()
    await screenshot(page, 'settings-api-key-created')

    const me = await fetch(`${e.baseUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(me.status).toBe(200)
    expect(((await me.json()) as { data: { role: string } }).data.role).toBe('viewer')

    await page.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('cell', { name: 'Browser test key' }).waitFor()
    await page.getByRole('link', { name: 'Audit log' }).click()
    await page.getByText('api_key.create').first().waitFor()
    await screenshot(page, 'shell')
    await page.close()
  })

  it('has no serious accessibility violations on the shell', async () => {
    const page = await context.newPage()
    await page.goto(`${e.baseUrl}/settings/members`)
    await page.getByRole('link', { name: 'Microscope' }).waitFor()
    const results = await new AxeBuilder({ page }).analyze()
    const serious = results.violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    )
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([])
    await page.close()
  })

  it('shows a viewer read-only settings', async () => {
    const viewer = await e.browser.newContext()
    const page = await viewer.newPage()
    await signInAs(page, e.baseUrl, 'viewer@northwind.example')
    await page.goto(`${e.baseUrl}/settings/api-keys`)
    await page
      .getByText(/Only admins/)
      .first()
      .waitFor()
    expect(await page.getByRole('button', { name: 'Create API key' }).count()).toBe(0)
    await viewer.close()
  })
})
