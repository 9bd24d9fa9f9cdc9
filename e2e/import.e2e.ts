import fs from 'node:fs/promises'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type Worker } from '../src/server/jobs/worker.ts'
import { type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let worker: Worker
let context: BrowserContext
beforeAll(async () => {
  e = await startE2E()
  // Imports run as jobs: this app gets a worker of its own, as `tandem start` does.
  worker = await startWorker(e.t.ctx, e.t.url)
  context = await e.browser.newContext({
    viewport: { width: 1366, height: 800 },
    acceptDownloads: true,
  })
})
afterAll(async () => {
  await context?.close()
  await worker?.stop()
  await e?.close()
})

const stamp = Date.now()
// A spreadsheet's own headers: "Given" is not a name the importer knows; the last row is bad.
const csv = [
  'Email,Given,Surname,Comment',
  `zora.${stamp}@import.example,Zora,Quillfeather,met at the fair`,
  `yuri.${stamp}@import.example,Yuri,Tallmast,`,
  'no-email-here,Xan,Broken,bad row',
  '',
].join('\n')

describe('importing a CSV in the browser', () => {
  let page: Page

  it('previews the file, maps a column and imports it with live progress', async () => {
    page = await context.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByRole('link', { name: 'Import', exact: true }).click()
    await page.getByRole('heading', { level: 2, name: 'Import' }).waitFor()

    await page.getByRole('combobox', { name: 'Records' }).selectOption('contacts')
    await page.locator('input[type="file"]').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    })
    const preview = page.getByRole('table', { name: 'File preview' })
    await preview.waitFor()
    await expect(preview.textContent()).resolves.toContain('Quillfeather')
    const emailColumn = page.getByRole('combobox', { name: 'Field for column Email' })
    await expect(emailColumn.inputValue()).resolves.toBe('email')
    await page.getByRole('combobox', { name: 'Field for column Given' }).selectOption('firstName')
    await page.getByRole('combobox', { name: 'Field for column Comment' }).selectOption('-')
    await screenshot(page, 'import-preview')

    await page.getByRole('button', { name: 'Start import' }).click()
    const progress = page.getByRole('region', { name: 'Import progress' })
    await progress.getByText('done', { exact: true }).waitFor({ timeout: 30_000 })
    const count = (name: string) => progress.locator(`[data-count="${name}"]`).textContent()
    await expect(count('Rows read')).resolves.toBe('3')
    await expect(count('Imported')).resolves.toBe('2')
    await expect(count('Rejected')).resolves.toBe('1')
    await expect(count('Created')).resolves.toBe('2')
    await screenshot(page, 'import-done')
  })

  it('downloads the rejected row with its line and reason', async () => {
    const progress = page.getByRole('region', { name: 'Import progress' })
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      progress.getByRole('button', { name: 'Download rejected rows' }).click(),
    ])
    const file = await download.path()
    const lines = (await fs.readFile(file, 'utf8')).trim().split('\n')
    expect(lines[0]).toBe('line,column,reason')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/^4,Email,/)
  })

  it('lists the import and opens an imported contact', async () => {
    const past = page.getByRole('table', { name: 'Past imports' })
    await past.getByText('people.csv').first().waitFor()
    await page.getByRole('link', { name: 'Open contacts' }).click()
    await page.getByRole('textbox', { name: 'Search contacts' }).fill(`zora.${stamp}`)
    const table = page.getByRole('table', { name: 'Contacts' })
    await table
      .getByRole('link', { name: /Zora Quillfeather/ })
      .first()
      .click()
    await page.getByRole('heading', { level: 1, name: 'Zora Quillfeather' }).waitFor()
    await expect(page.getByText(`zora.${stamp}@import.example`).first().isVisible()).resolves.toBe(
      true,
    )
    await screenshot(page, 'import-contact')
  })
})
