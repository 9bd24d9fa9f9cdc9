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

// The toast's description grey (Mantine's gray-6 under a title) is the shell's, not this page's.
const toasts = '.mantine-Notification-root'

describe('privacy in the browser', () => {
  it('erases a demo contact from its page, which then shows it as erased', async () => {
    const page = await context.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    const contact = await page.evaluate(async () => {
      const res = await fetch('/api/v1/contacts?limit=50&sort=email')
      const rows = (await res.json()).data as { id: string; email: string | null }[]
      return rows.find((c) => c.email !== null)
    })
    if (!contact?.email) throw new Error('the demo world has no contact with an email')

    await page.goto(`${e.baseUrl}/microscope/contacts/${contact.id}`)
    const privacy = page.getByRole('region', { name: 'Privacy' })
    await privacy.waitFor()
    await expect(
      privacy.getByRole('link', { name: 'Download personal data' }).getAttribute('href'),
    ).resolves.toContain(`/api/v1/contacts/${contact.id}/personal-data`)
    await privacy.getByRole('button', { name: 'Erase personal data…' }).click()

    const dialog = page.getByRole('dialog', { name: 'Erase personal data' })
    await dialog.getByText('Touch type, channel, campaign and date').waitFor()
    const erase = dialog.getByRole('button', { name: 'Erase personal data', exact: true })
    expect(await erase.isDisabled()).toBe(true)
    await dialog.getByRole('textbox', { name: /to confirm/ }).fill(contact.email)
    expect(await axeViolations(page, { include: '[role="dialog"]', exclude: toasts })).toEqual([])
    await screenshot(page, 'privacy-erase-confirm')
    await erase.click()

    await page.getByText(/^Erased on /).waitFor()
    await page.getByRole('heading', { level: 1, name: 'Erased contact' }).waitFor()
    await expect(page.getByText(contact.email).count()).resolves.toBe(0)
    expect(await axeViolations(page, { exclude: toasts })).toEqual([])
    await screenshot(page, 'privacy-erased')
  })
})
