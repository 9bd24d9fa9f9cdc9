import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, signIn } from '../test/factories.ts'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let admin: Session
let salesContext: BrowserContext
let managerContext: BrowserContext
let adminContext: BrowserContext
const stamp = Date.now().toString(36)
const dealName = `Tiny Shop robots ${stamp}`
const reason = 'Pilot at one store; the CEO signs off the risk and we review in 90 days.'
let dealId = ''
let accountId = ''
const stageIds: Record<string, string> = {}

interface DealJson {
  stageId: string
  productFit: number | null
  poorFit: boolean
  fitOverride: { reason: string; byName?: string | null } | null
}

async function call(method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) {
  const response = await admin.request({ method, url, ...(payload ? { payload } : {}) })
  expect(response.statusCode, response.body).toBeLessThan(300)
  return response.json()
}

const getDeal = async (): Promise<DealJson> => (await call('GET', `/api/v1/deals/${dealId}`)).data

/**
 * Set-up through the API: a product for mid-size manufacturers (200-5000 employees), a 12-person
 * retail shop, and a deal in "Demo" selling it to them. Industry and size both miss: fit 0 of 100,
 * below the default threshold of 40 (DEFINITIONS, Product fit).
 */
beforeAll(async () => {
  e = await startE2E()
  admin = await signIn(e.t.app, 'admin@northwind.example', 'tandem-demo')
  const product = await call('POST', '/api/v1/products', {
    name: `Line Robot ${stamp}`,
    price: 2_000_000,
    icpIndustries: ['manufacturing'],
    icpEmployeesMin: 200,
    icpEmployeesMax: 5000,
  })
  const account = await call('POST', '/api/v1/accounts', {
    name: `Tiny Shop ${stamp}`,
    industry: 'retail',
    employees: 12,
  })
  const pipelines = await call('GET', '/api/v1/pipelines')
  const pipeline = (
    pipelines.data as { isDefault: boolean; stages: { id: string; name: string }[] }[]
  ).find((p) => p.isDefault)
  for (const s of pipeline?.stages ?? []) stageIds[s.name] = s.id
  const deal = await call('POST', '/api/v1/deals', {
    name: dealName,
    accountId: account.data.id,
    stageId: stageIds.Demo,
    amount: 2_000_000,
    lineItems: [{ productId: product.data.id, quantity: 1 }],
  })
  dealId = deal.data.id
  accountId = account.data.id
  salesContext = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  managerContext = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  adminContext = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  // Seeding the demo world is slow on a shared 2-core machine.
}, 480_000)

afterAll(async () => {
  await salesContext?.close()
  await managerContext?.close()
  await adminContext?.close()
  await e?.close()
})

const column = (page: Page, stage: string) => page.getByRole('region', { name: stage, exact: true })

describe('the poor-fit guard in the browser', () => {
  it('flags the deal poor fit (fit 0) through the API', async () => {
    const deal = await getDeal()
    expect(deal).toMatchObject({ productFit: 0, poorFit: true, fitOverride: null })
    expect(deal.stageId).toBe(stageIds.Demo)
  })

  it('blocks a sales rep moving it to Proposal, and says to ask a sales manager', async () => {
    const page = await salesContext.newPage()
    await signInAs(page, e.baseUrl, 'sales@northwind.example')
    await page.goto(`${e.baseUrl}/microscope/deals/${dealId}`)
    await page.getByRole('heading', { level: 1, name: dealName }).waitFor()
    await page.getByText('Poor fit 0').first().waitFor()
    const fit = page.getByRole('region', { name: 'Product fit' })
    await fit.getByRole('table', { name: 'Product fit per line' }).waitFor()
    await expect(fit.textContent()).resolves.toMatch(/employees/i)
    // Sales cannot override: no override button for them.
    expect(await fit.getByRole('button', { name: 'Override fit guard' }).count()).toBe(0)

    await page.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'Proposal' })
    const dialog = page.getByRole('dialog', { name: 'Poor fit: a sales manager must override' })
    await dialog.waitFor()
    await expect(dialog.textContent()).resolves.toContain('fits poorly')
    await expect(dialog.textContent()).resolves.toContain('Ask a sales manager to override')
    expect(await dialog.getByRole('textbox').count()).toBe(0)
    await screenshot(page, 'fit-blocked-sales')
    expect(await axeViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'OK' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect((await getDeal()).stageId).toBe(stageIds.Demo)
    await page.close()
  })

  it('lets a sales manager override with a reason on the board, and the move succeeds', async () => {
    const page = await managerContext.newPage()
    await signInAs(page, e.baseUrl, 'manager@northwind.example')
    await page.goto(`${e.baseUrl}/microscope/pipeline`)
    const card = page.locator(`[data-deal-id="${dealId}"]`)
    await card.waitFor()
    await card.getByText('Poor fit 0').waitFor()
    await page
      .getByRole('combobox', { name: `Move ${dealName} to stage` })
      .selectOption({ label: 'Proposal' })
    const dialog = page.getByRole('dialog', { name: 'Override fit guard' })
    await dialog.waitFor()
    await expect(dialog.textContent()).resolves.toContain('fits poorly')
    // A reason is required, at least 10 characters; nothing is sent without one.
    await dialog.getByRole('button', { name: 'Override and move' }).click()
    await dialog.getByText('Say why this deal should go ahead').waitFor()
    await dialog.getByLabel('Why override the fit guard?').fill('Because')
    await dialog.getByRole('button', { name: 'Override and move' }).click()
    await dialog.getByText('At least 10 characters').waitFor()
    expect((await getDeal()).fitOverride).toBeNull()
    await dialog.getByLabel('Why override the fit guard?').fill(reason)
    await screenshot(page, 'fit-override-dialog')
    expect(await axeViolations(page, { include: '[role="dialog"]' })).toEqual([])
    await dialog.getByRole('button', { name: 'Override and move' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page
      .getByRole('status')
      .filter({ hasText: `Moved ${dealName} to Proposal.` })
      .waitFor()
    await column(page, 'Proposal').getByRole('link', { name: dealName, exact: true }).waitFor()
    const deal = await getDeal()
    expect(deal.stageId).toBe(stageIds.Proposal)
    expect(deal.fitOverride?.reason).toBe(reason)

    // The deal page shows who overrode, why and when.
    await page.goto(`${e.baseUrl}/microscope/deals/${dealId}`)
    const fit = page.getByRole('region', { name: 'Product fit' })
    await fit.getByText('Fit guard overridden').waitFor()
    await expect(fit.textContent()).resolves.toContain('Morgan Manager')
    await expect(fit.textContent()).resolves.toContain(reason)
    await fit.getByRole('button', { name: 'Remove override' }).waitFor()
    await screenshot(page, 'fit-overridden-deal')
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })

  it('marks the account churned on a date, refusing a date in the future', async () => {
    const page = await salesContext.newPage()
    await page.goto(`${e.baseUrl}/microscope/accounts/${accountId}`)
    const section = page.getByRole('region', { name: 'After the sale' })
    await section.getByText('Not marked churned, refunded or downgraded.').waitFor()
    await section.getByRole('button', { name: 'Edit outcomes' }).click()
    const dialog = page.getByRole('dialog', { name: 'After the sale' })
    await dialog.getByLabel('Churned on', { exact: true }).fill('2099-01-31')
    await dialog.getByRole('button', { name: 'Save outcomes' }).click()
    await dialog.getByText('Cannot be in the future').waitFor()
    await dialog.getByLabel('Churned on', { exact: true }).fill('2026-01-15')
    await dialog.getByRole('button', { name: 'Save outcomes' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await section.getByText('15 Jan 2026').waitFor()
    const account = (await call('GET', `/api/v1/accounts/${accountId}`)).data
    expect(account).toMatchObject({ churnedOn: '2026-01-15', refundedOn: null, downgradedOn: null })
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })

  it('shows the override in Settings → Audit log', async () => {
    const page = await adminContext.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    await page.goto(`${e.baseUrl}/settings/audit-log`)
    const table = page.getByRole('table', { name: 'Audit log' })
    // The demo world has overrides of its own: find this deal's row.
    const row = table
      .getByRole('row')
      .filter({ hasText: dealId })
      .filter({ hasText: 'deal.fit_override' })
      .first()
    await row.waitFor()
    await expect(row.textContent()).resolves.toContain('Morgan Manager')
    await screenshot(page, 'fit-audit-log')
    await page.close()
  })
})
