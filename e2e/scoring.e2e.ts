import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext
let page: Page

beforeAll(async () => {
  e = await startE2E()
  context = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  page = await context.newPage()
}, 480_000)

afterAll(async () => {
  await context?.close()
  await e?.close()
})

describe('scoring in the browser', () => {
  it('lets marketing preview a fit rule before adding it, axe-clean', async () => {
    await signInAs(page, e.baseUrl, 'marketing@northwind.example')
    await page.goto(`${e.baseUrl}/settings/scoring`)
    await page.getByRole('heading', { level: 2, name: 'Scoring' }).waitFor()
    await page.getByRole('heading', { name: 'Fit rules' }).waitFor()
    await page.getByLabel('Engagement half-life (days)').waitFor()
    expect(await axeViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Add fit rule' }).click()
    const dialog = page.getByRole('dialog', { name: 'New fit rule' })
    await dialog.getByLabel('Name').fill('E2E: industry with an e')
    await dialog.getByLabel('Field of condition 1').selectOption('account.industry')
    await dialog.getByLabel('Condition 1', { exact: true }).selectOption('contains')
    await dialog.getByLabel('Value of condition 1').fill('e2e-nothing-matches-this')
    await dialog.getByLabel('Points').fill('15')
    await dialog.getByRole('button', { name: 'Preview the change' }).click()
    const table = dialog.getByRole('table', { name: 'Contacts each proposed rule touches' })
    await table.waitFor({ timeout: 30_000 })
    const row = table.getByRole('row').filter({ hasText: 'E2E: industry with an e' })
    await expect(row.getByRole('cell').last().textContent()).resolves.toBe('0')
    await dialog.getByRole('img', { name: /^Fit score, contacts per band now and after/ }).waitFor()
    await screenshot(page, 'scoring-preview')
    expect(await axeViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Add rule' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page
      .getByRole('table', { name: 'Fit rules' })
      .getByText('E2E: industry with an e')
      .waitFor()
  })

  it('shows the API refusing the same condition twice next to the condition', async () => {
    await page.getByRole('button', { name: 'Add fit rule' }).click()
    const dialog = page.getByRole('dialog', { name: 'New fit rule' })
    await dialog.getByLabel('Name').fill('E2E: the same again')
    await dialog.getByLabel('Field of condition 1').selectOption('account.industry')
    await dialog.getByLabel('Condition 1', { exact: true }).selectOption('contains')
    await dialog.getByLabel('Value of condition 1').fill('e2e-nothing-matches-this')
    await dialog.getByRole('button', { name: 'Preview the change' }).click()
    await dialog
      .getByRole('alert')
      .getByText('condition: the same condition as rule "E2E: industry with an e"')
      .waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  })

  it('shows a contact’s scores and recomputes them', async () => {
    await page.goto(`${e.baseUrl}/microscope/contacts`)
    const first = page.locator('table tbody tr a').first()
    await first.waitFor({ timeout: 30_000 })
    await first.click()
    const card = page.getByRole('region', { name: 'Scores' })
    await card.waitFor()
    await card.getByRole('button', { name: 'Recompute' }).click()
    // Attached rather than visible: a score of 0 draws a bar of zero width, which is hidden.
    await card.getByRole('progressbar', { name: /^Fit score \d+ of 100$/ }).waitFor({
      state: 'attached',
      timeout: 30_000,
    })
    await expect(card.getByText('Not scored yet.').count()).resolves.toBe(0)
    await card
      .getByText(/^MQL at ≥ \d+$/)
      .first()
      .waitFor()
    await screenshot(page, 'contact-scores')
    expect(await axeViolations(page)).toEqual([])
  })

  it('shows sales the rules read-only', async () => {
    await context.clearCookies()
    await signInAs(page, e.baseUrl, 'sales@northwind.example')
    await page.goto(`${e.baseUrl}/settings/scoring`)
    await page.getByRole('heading', { name: 'Fit rules' }).waitFor()
    await page.getByText('E2E: industry with an e').waitFor()
    await expect(page.getByRole('button', { name: 'Add fit rule' }).count()).resolves.toBe(0)
    await expect(page.getByLabel('Engagement half-life (days)').isDisabled()).resolves.toBe(true)
    expect(await axeViolations(page)).toEqual([])
  })

  it('shows sales the attribution settings read-only', async () => {
    await page.goto(`${e.baseUrl}/settings/attribution`)
    await page.getByRole('heading', { level: 2, name: 'Attribution' }).waitFor()
    await page.getByText('Only admins and marketing can change the attribution settings.').waitFor()
    await expect(page.getByRole('combobox', { name: 'Default model' }).isDisabled()).resolves.toBe(
      true,
    )
    await expect(page.getByRole('button', { name: 'Save settings' }).count()).resolves.toBe(0)
  })

  it('lets marketing choose the default model, refusing custom weights that do not add up', async () => {
    await context.clearCookies()
    await signInAs(page, e.baseUrl, 'marketing@northwind.example')
    await page.goto(`${e.baseUrl}/settings/attribution`)
    const model = page.getByRole('combobox', { name: 'Default model' })
    await model.waitFor()
    await expect(model.inputValue()).resolves.toBe('W-shaped')
    expect(await axeViolations(page)).toEqual([])

    await model.click()
    await page.getByRole('option', { name: 'Markov (data-driven)', exact: true }).click()
    await page.getByLabel('Lookback window (days)').fill('60')
    await page.getByLabel('Touches between them').fill('20')
    await page.getByText('The weights add up to 110 %; they must add up to 100 %.').waitFor()
    const save = page.getByRole('button', { name: 'Save settings' })
    await expect(save.isDisabled()).resolves.toBe(true)
    await page.getByLabel('Touches between them').fill('10')
    await page.getByText('The weights add up to 100 %.', { exact: false }).waitFor()
    await save.click()
    await page.getByText('Attribution settings saved. The credits are being recomputed.').waitFor()
    await page.getByRole('button', { name: 'Recompute now' }).waitFor()
    await screenshot(page, 'attribution-settings')

    await page.reload()
    await expect(page.getByRole('combobox', { name: 'Default model' }).inputValue()).resolves.toBe(
      'Markov (data-driven)',
    )
    await expect(page.getByLabel('Lookback window (days)').inputValue()).resolves.toBe('60')
  })
})
