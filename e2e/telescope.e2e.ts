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
  // Seeding the demo world and computing every attribution model is slow on a shared 2-core machine.
}, 600_000)

afterAll(async () => {
  await context?.close()
  await e?.close()
})

const roiTable = () => page.getByRole('table', { name: 'Campaign ROI' })

describe('the Telescope in the browser', () => {
  it('shows marketing the campaign ROI table, the model comparison and the channel trends', async () => {
    await signInAs(page, e.baseUrl, 'marketing@northwind.example')
    await page.goto(`${e.baseUrl}/telescope`)
    await page.getByRole('heading', { level: 1, name: 'Telescope' }).waitFor()
    await roiTable().waitFor({ timeout: 30_000 })
    await expect(roiTable().getByTestId('roi-campaign').count()).resolves.toBeGreaterThan(1)
    await expect(
      roiTable().getByRole('columnheader', { name: 'ROI, W-shaped' }).count(),
    ).resolves.toBe(1)
    await expect(page.getByTestId('attribution-computed').textContent()).resolves.toMatch(
      /^Credits computed .+ under W-shaped \(the default model\)/,
    )
    await page.getByTestId('roi-no-touch').waitFor()
    await page.getByRole('img', { name: /^Revenue per channel: / }).waitFor()
    await page.getByRole('img', { name: /^Revenue per month: / }).waitFor()
    await expect(
      page.getByRole('table', { name: 'Channels under every model' }).locator('tbody tr').count(),
    ).resolves.toBeGreaterThan(1)
    // The CSV of the table downloads from a plain link (the workspace in its query).
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')
    expect(href).toMatch(/^\/api\/v1\/reports\/attribution\/export\?.*groupBy=campaign/)
    const csv = await page.request.get(`${e.baseUrl}${href}`)
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/)
    expect((await csv.text()).split('\n')[0]).toMatch(
      /^key,label,conversions,pipeline,revenue,cost,roi/,
    )
    // The Telescope's other pages stay one click away.
    const nav = page.getByRole('navigation', { name: 'Telescope pages' })
    await nav.getByRole('link', { name: /^Campaigns/ }).waitFor()
    await nav.getByRole('link', { name: /^Forms/ }).waitFor()
    await screenshot(page, 'telescope')
    expect(await axeViolations(page)).toEqual([])
  })

  it('names the model chosen in the ROI header and keeps it in the address', async () => {
    await page.getByRole('combobox', { name: 'Model' }).click()
    await page.getByRole('option', { name: 'Linear', exact: true }).click()
    await roiTable().getByRole('columnheader', { name: 'ROI, Linear' }).waitFor()
    expect(new URL(page.url()).searchParams.get('model')).toBe('linear')
    await page.getByRole('combobox', { name: 'Model' }).click()
    await page.getByRole('option', { name: 'W-shaped (default)', exact: true }).click()
    await roiTable().getByRole('columnheader', { name: 'ROI, W-shaped' }).waitFor()
  })

  it("drills from a campaign's revenue to its deals, and a deal's journey shows the campaign's touch", async () => {
    // A campaign's row (not the touches without one) whose revenue, else pipeline, has records.
    const campaignRows = roiTable()
      .locator('tbody tr')
      .filter({ has: page.getByTestId('roi-campaign') })
    const revenue = campaignRows.filter({ has: page.getByTestId('roi-revenue') })
    const pipeline = campaignRows.filter({ has: page.getByTestId('roi-pipeline') })
    const useRevenue = (await revenue.count()) > 0
    const row = (useRevenue ? revenue : pipeline).first()
    const name = ((await row.getByTestId('roi-campaign').textContent()) ?? '').trim()
    expect(name).not.toBe('')
    await row.getByTestId(useRevenue ? 'roi-revenue' : 'roi-pipeline').click()

    // The title names the model once the credits have answered (the default model's, stored per touch).
    const conversion = useRevenue ? 'won' : 'opportunity created'
    const title = page
      .getByTestId('credits-title')
      .filter({ hasText: new RegExp(`— ${conversion}, .+, W-shaped$`) })
    await title.waitFor({ timeout: 30_000 })
    await expect(title.textContent()).resolves.toContain(`Deals credited to ${name} — `)
    const deals = page.getByRole('table', { name: 'Credited deals' })
    await deals.locator('tbody tr').first().waitFor({ timeout: 30_000 })
    await expect(deals.getByRole('link').first().getAttribute('href')).resolves.toMatch(
      /^\/microscope\/deals\//,
    )

    await deals
      .getByRole('button', { name: /^Show the journey of / })
      .first()
      .click()
    const journey = page.getByRole('table', { name: /^Journey of / }).first()
    await journey.waitFor({ timeout: 30_000 })
    const ofCampaign = journey.locator('tbody tr[data-of-group="true"]')
    await expect(ofCampaign.count()).resolves.toBeGreaterThan(0)
    await expect(ofCampaign.first().getByRole('link', { name }).count()).resolves.toBe(1)
    await screenshot(page, 'telescope-credits')
    expect(await axeViolations(page)).toEqual([])

    // More than a page of deals pages on by offset.
    const total = Number(
      ((await page.getByTestId('credits-total').textContent()) ?? '').replace(/[^\d].*$/, ''),
    )
    if (total > 50) {
      await page.getByRole('button', { name: 'Next' }).click()
      await page
        .getByTestId('credits-total')
        .getByText(/\(showing 51–/)
        .waitFor()
      expect(new URL(page.url()).searchParams.get('offset')).toBe('50')
      await page.getByRole('button', { name: 'Previous' }).click()
      await page
        .getByTestId('credits-total')
        .getByText(/\(showing 1–50\)/)
        .waitFor()
    }
  })

  it('opens the campaign page with the campaign under every model and its journeys', async () => {
    await page.getByRole('link', { name: 'Back to the Telescope' }).click()
    await roiTable().waitFor({ timeout: 30_000 })
    const link = roiTable().getByTestId('roi-campaign').first()
    const name = ((await link.textContent()) ?? '').trim()
    await link.click()
    await page.getByRole('heading', { level: 1, name }).waitFor()
    const models = page.getByRole('table', { name: 'The campaign under every model' })
    await models.waitFor({ timeout: 30_000 })
    await expect(models.locator('tbody tr').count()).resolves.toBe(11)
    // Every model's numbers open the records behind them, under that model.
    await expect(models.locator('a[href*="model="]').count()).resolves.toBeGreaterThan(0)
    await page.getByTestId('campaign-spread').waitFor()
    await page.getByRole('table', { name: 'Credited deals' }).waitFor({ timeout: 30_000 })
    await screenshot(page, 'telescope-campaign')
    expect(await axeViolations(page)).toEqual([])
  })

  it("drills under another model into that model's own credits, per campaign rather than per touch", async () => {
    await page.goto(`${e.baseUrl}/telescope?model=linear`)
    await roiTable().getByRole('columnheader', { name: 'ROI, Linear' }).waitFor({ timeout: 30_000 })
    const revenue = roiTable()
      .locator('tbody tr')
      .filter({ has: page.getByTestId('roi-campaign') })
      .filter({ has: page.getByTestId('roi-revenue') })
      .first()
    const name = ((await revenue.getByTestId('roi-campaign').textContent()) ?? '').trim()
    await revenue.getByTestId('roi-revenue').click()
    await page
      .getByTestId('credits-title')
      .filter({ hasText: /— won, .+, Linear$/ })
      .waitFor({ timeout: 30_000 })
    expect(new URL(page.url()).searchParams.get('model')).toBe('linear')
    await page.getByRole('alert').filter({ hasText: 'Credits under Linear' }).waitFor()
    const deals = page.getByRole('table', { name: 'Credited deals' })
    const first = deals.locator('tbody tr').first()
    await first.waitFor({ timeout: 30_000 })
    await expect(first.locator('td').last().textContent()).resolves.toBe('—')
    await deals
      .getByRole('button', { name: /^Show the journey of / })
      .first()
      .click()
    const shares = page.getByRole('table', { name: /^Credit of .+ per campaign$/ }).first()
    await shares.waitFor({ timeout: 30_000 })
    const ofCampaign = shares.locator('tbody tr[data-of-group="true"]')
    await expect(ofCampaign.count()).resolves.toBe(1)
    await expect(ofCampaign.getByRole('link', { name }).count()).resolves.toBe(1)
    await expect(ofCampaign.locator('td').nth(2).textContent()).resolves.toMatch(/\d+%$/)
    // The touches are listed, without a credit of their own under Linear.
    const journey = page.getByRole('table', { name: /^Journey of / }).first()
    await expect(journey.getByRole('columnheader', { name: 'Credit' }).count()).resolves.toBe(0)
    await screenshot(page, 'telescope-credits-linear')
    expect(await axeViolations(page)).toEqual([])
  })

  it('links each campaign of the list to its page', async () => {
    await page.goto(`${e.baseUrl}/telescope/campaigns`)
    const first = page.getByRole('table').getByRole('link').first()
    await first.waitFor({ timeout: 30_000 })
    await expect(first.getAttribute('href')).resolves.toMatch(/^\/telescope\/campaigns\/[\w-]+$/)
  })
})
