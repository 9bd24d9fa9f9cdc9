import fs from 'node:fs/promises'
import path from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type Worker } from '../src/server/jobs/worker.ts'
import { type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let worker: Worker
let context: BrowserContext
let valuesContext: BrowserContext
beforeAll(async () => {
  e = await startE2E()
  // Imports run as jobs: this app gets a worker of its own, as `tandem start` does.
  worker = await startWorker(e.t.ctx, e.t.url)
  context = await e.browser.newContext({
    viewport: { width: 1366, height: 800 },
    acceptDownloads: true,
  })
  valuesContext = await e.browser.newContext({ viewport: { width: 1366, height: 800 } })
})
afterAll(async () => {
  await valuesContext?.close()
  await context?.close()
  await worker?.stop()
  await e?.close()
})

/** Full-page pictures to look at, kept out of git. */
async function picture(page: Page, name: string) {
  await fs.mkdir('scratch', { recursive: true })
  await page.screenshot({ path: path.join('scratch', `${name}.png`), fullPage: true })
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.html.slice(0, 160)} ${n.failureSummary}`).join(', ')})`,
    )
}

async function openImportPage(page: Page) {
  await page.goto(`${e.baseUrl}/settings/import`)
  await page.getByRole('heading', { level: 2, name: 'Import' }).waitFor()
}

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
    // As a person would: wait for the search to apply before opening a row.
    await page.waitForURL(new RegExp(`[?&]q=zora\\.${stamp}`))
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

  // "Temperature" is no field's name and "Hot"/"Cold" are no lifecycle stage: both need mapping.
  const temperatures = [
    'Email,First Name,Last Name,Temperature',
    `hana.${stamp}@values.example,Hana,Brightwater,Hot`,
    `ivo.${stamp}@values.example,Ivo,Coldbrook,cold`,
    `jun.${stamp}@values.example,Jun,Hotspur,HOT`,
    '',
  ].join('\n')
  const lifecycleOf = async (email: string) =>
    (
      await e.t.ctx.db
        .selectFrom('contacts')
        .select('lifecycleStage')
        .where('email', '=', email)
        .where('deletedAt', 'is', null)
        .executeTakeFirst()
    )?.lifecycleStage

  it('takes a dropped file and maps a column and its values, with no accessibility violations', async () => {
    page = await valuesContext.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    await openImportPage(page)
    await expect(seriousViolations(page)).resolves.toEqual([])

    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File([text], 'temperatures.csv', { type: 'text/csv' }))
      return transfer
    }, temperatures)
    await page.getByRole('group', { name: 'CSV file' }).dispatchEvent('drop', { dataTransfer })
    await expect(page.getByTestId('chosen-file').textContent()).resolves.toBe(
      `temperatures.csv · ${Buffer.byteLength(temperatures)} bytes`,
    )
    await page.getByRole('table', { name: 'File preview' }).waitFor()
    await page
      .getByRole('combobox', { name: 'Field for column Temperature' })
      .selectOption('lifecycleStage')

    // "Hot" and "HOT" are one value (compared ignoring case), seen on two rows.
    const values = page.getByRole('table', { name: 'Values of column Temperature' })
    await values.waitFor()
    await expect(values.getByRole('row').count()).resolves.toBe(3)
    await page.getByRole('note').filter({ hasText: 'Some values match nothing' }).waitFor()
    const hot = page.getByRole('combobox', {
      name: 'Lifecycle stage for “Hot” in column Temperature',
    })
    const cold = page.getByRole('combobox', {
      name: 'Lifecycle stage for “cold” in column Temperature',
    })
    await hot.selectOption('mql')
    await cold.selectOption('lead')
    await expect(page.getByText('Some values match nothing').count()).resolves.toBe(0)
    await picture(page, 'import-values')
    await expect(seriousViolations(page)).resolves.toEqual([])
  })

  it('checks the file first, writing nothing, then imports it with the mapped values', async () => {
    await page.getByRole('checkbox', { name: /Check only/ }).check()
    await page.getByRole('button', { name: 'Check the file' }).click()
    const progress = page.getByRole('region', { name: 'Import progress' })
    await progress.getByText('Check only: nothing was written', { exact: false }).waitFor({
      timeout: 30_000,
    })
    const count = (name: string) => progress.locator(`[data-count="${name}"]`).textContent()
    await expect(count('Created')).resolves.toBe('3')
    await expect(count('Rejected')).resolves.toBe('0')
    await expect(lifecycleOf(`hana.${stamp}@values.example`)).resolves.toBeUndefined()
    await picture(page, 'import-check')

    await progress.getByRole('button', { name: 'Import now' }).click()
    await progress.getByRole('link', { name: 'Open contacts' }).waitFor({ timeout: 30_000 })
    await expect(count('Created')).resolves.toBe('3')
    await expect(count('Unchanged')).resolves.toBe('0')
    await expect(lifecycleOf(`hana.${stamp}@values.example`)).resolves.toBe('mql')
    await expect(lifecycleOf(`jun.${stamp}@values.example`)).resolves.toBe('mql')
    await expect(lifecycleOf(`ivo.${stamp}@values.example`)).resolves.toBe('lead')
    await picture(page, 'import-values-done')
    await expect(seriousViolations(page)).resolves.toEqual([])

    await page.goto(`${e.baseUrl}/microscope/contacts?q=hana.${stamp}`)
    await page
      .getByRole('table', { name: 'Contacts' })
      .getByRole('link', { name: /Hana Brightwater/ })
      .first()
      .click()
    await page.getByRole('heading', { level: 1, name: 'Hana Brightwater' }).waitFor()
    await page.getByText('MQL', { exact: true }).first().waitFor()
  })

  it('applies the HubSpot preset to the preview: its columns and values are recognised', async () => {
    await openImportPage(page)
    await page.getByRole('radio', { name: 'HubSpot' }).check()
    await page.locator('input[type="file"]').setInputFiles({
      name: 'hubspot-contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'Record ID,Email,Lifecycle Stage',
          `101,kai.${stamp}@hubspot.example,Marketing Qualified Lead`,
          `102,lea.${stamp}@hubspot.example,Customer`,
          `103,max.${stamp}@hubspot.example,Warm`,
          '',
        ].join('\n'),
      ),
    })
    await page.getByText('Read as a HubSpot export', { exact: false }).waitFor()
    const field = (column: string) =>
      page.getByRole('combobox', { name: `Field for column ${column}` }).inputValue()
    await expect(field('Record ID')).resolves.toBe('externalId')
    await expect(field('Lifecycle Stage')).resolves.toBe('lifecycleStage')
    const value = (raw: string) =>
      page
        .getByRole('combobox', { name: `Lifecycle stage for “${raw}” in column Lifecycle Stage` })
        .inputValue()
    await expect(value('Marketing Qualified Lead')).resolves.toBe('mql')
    await expect(value('Customer')).resolves.toBe('customer')
    await expect(value('Warm')).resolves.toBe('')
    await page.getByRole('note').filter({ hasText: '“Warm” (Lifecycle Stage)' }).waitFor()
    await picture(page, 'import-hubspot')
  })
})
