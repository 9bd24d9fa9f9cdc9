import fs from 'node:fs/promises'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../test/factories.ts'
import { type E2E, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext
beforeAll(async () => {
  e = await startE2E()
  context = await e.browser.newContext({
    viewport: { width: 1366, height: 800 },
    acceptDownloads: true,
  })
})
afterAll(async () => {
  await context?.close()
  await e?.close()
})

/** RFC 4180 as docs/export.md writes it: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += ch
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows
}

const stamp = Date.now()
const email = (name: string) => `${name}.export-${stamp}@export.example`
// Three contacts share the search term; the filter (lifecycle stage is MQL) keeps two of them.
const people = [
  { firstName: 'Mira', lastName: 'Exportwell', email: email('mira'), lifecycleStage: 'mql' },
  { firstName: 'Nils', lastName: 'Exportwell', email: email('nils'), lifecycleStage: 'mql' },
  { firstName: 'Olga', lastName: 'Exportwell', email: email('olga'), lifecycleStage: 'lead' },
]

describe('exporting a filtered contact list in the browser', () => {
  let page: Page

  it('downloads exactly the contacts the search and filter show, as CSV', async () => {
    const admin = await signIn(e.t.app, 'admin@northwind.example', 'tandem-demo')
    for (const person of people) {
      const response = await admin.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: person,
      })
      expect(response.statusCode, response.body).toBe(201)
    }

    page = await context.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    await page.getByRole('link', { name: 'Contacts', exact: true }).click()
    const table = page.getByRole('table', { name: 'Contacts' })
    await table.waitFor()
    await page.getByRole('textbox', { name: 'Search contacts' }).fill(`export-${stamp}`)
    await page.waitForURL(/q=export-/)
    await table.getByRole('link', { name: /Olga Exportwell/ }).waitFor()

    await page.getByRole('button', { name: /^Filters/ }).click()
    const filters = page.getByRole('form', { name: 'Filters' })
    await filters
      .getByRole('combobox', { name: 'Field of condition 1' })
      .selectOption('lifecycleStage')
    await filters.getByRole('combobox', { name: 'Condition 1', exact: true }).selectOption('eq')
    await filters.getByRole('combobox', { name: 'Value of condition 1' }).selectOption('mql')
    await filters.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/filter=/)
    await table.getByRole('link', { name: /Olga Exportwell/ }).waitFor({ state: 'detached' })
    await table.getByRole('link', { name: /Mira Exportwell/ }).waitFor()
    await expect(table.getByRole('link', { name: /Exportwell/ }).count()).resolves.toBe(2)
    await fs.mkdir('scratch', { recursive: true })
    await page.screenshot({ path: path.join('scratch', 'export-filtered.png'), fullPage: true })

    await page.getByRole('button', { name: 'Export' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /^CSV/ }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^contacts-.*\.csv$/)
    const rows = parseCsv(await fs.readFile(await download.path(), 'utf8'))
    const [header = [], ...records] = rows
    expect(header.slice(0, 4)).toEqual(['id', 'email', 'firstName', 'lastName'])
    expect(header).toContain('lifecycleStage')
    const column = (name: string) => header.indexOf(name)
    expect(records.every((r) => r.length === header.length)).toBe(true)
    expect(records.map((r) => r[column('email')]).sort()).toEqual([email('mira'), email('nils')])
    expect(records.map((r) => r[column('lifecycleStage')])).toEqual(['mql', 'mql'])
  })
})
