import type { Browser, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getEnv } from '../src/server/env.ts'
import { addMember, makeWorkspace, type Session } from '../test/factories.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'
import { axeViolations, screenshot, signInAs } from './browser.ts'

// A fresh workspace (no demo world: the plan starts from nothing), its admin, a sales manager and
// a marketer, all with the factories' password.
const password = 'correct-horse-1'
let t: TestApp
let browser: Browser
let baseUrl: string
let owner: Session
let manager: Session
let marketer: Session
let workspaceId: string

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Plan Browser Co'))
  manager = await addMember(t, owner, workspaceId, 'sales_manager')
  marketer = await addMember(t, owner, workspaceId, 'marketing')
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  browser = await chromium.launch({
    executablePath: getEnv().CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await t?.close()
})

async function pageOf(email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } })
  const page = await context.newPage()
  await signInAs(page, baseUrl, email, password)
  return page
}

/** The workspace's current month, 'YYYY-MM', as the server names it. */
async function currentMonth() {
  const response = await owner.request({
    method: 'GET',
    url: '/api/v1/waterfall/assumptions',
    workspaceId,
  })
  return response.json().data.period.key as string
}

describe('the plan in the browser', () => {
  it('a sales manager proposes the plan and agrees for sales', async () => {
    const page = await pageOf(manager.email)
    await page.goto(`${baseUrl}/bridge`)
    await page
      .getByRole('navigation', { name: 'Bridge reports' })
      .getByRole('link', { name: /The plan/ })
      .click()
    await page.getByRole('heading', { level: 1, name: 'The plan' }).waitFor()
    await page.getByLabel(/^Revenue target/).fill('10000')
    await page.getByLabel(/^Average won deal/).fill('2500')
    await page.getByLabel(/^SQL → won rate/).fill('25')
    await page.getByLabel(/^MQL → SQL rate/).fill('40')
    // 10,000 ÷ 2,500 = 4 won; 4 ÷ 25% = 16 SQLs; 16 ÷ 40% = 40 MQLs.
    await expect(page.getByTestId('waterfall-mqls').textContent()).resolves.toBe('40')
    await page.getByRole('button', { name: 'Propose this plan' }).click()
    await page.getByTestId('agreement-sales').waitFor()
    await expect(page.getByTestId('waterfall-sqls').textContent()).resolves.toBe('16')
    // Marketing's side is not a sales manager's to agree to.
    await expect(
      page.getByRole('button', { name: 'Agree for marketing' }).isDisabled(),
    ).resolves.toBe(true)
    await page.getByRole('button', { name: 'Agree for sales' }).click()
    await page.getByTestId('agreement-sales').getByText('Agreed', { exact: true }).waitFor()
    await expect(page.getByTestId('plan-status').textContent()).resolves.toMatch(/^Once both/)
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })

  it('marketing agrees too, and the MQL target becomes the plan’s', async () => {
    const page = await pageOf(marketer.email)
    await page.goto(`${baseUrl}/bridge/plan`)
    await page.getByTestId('agreement-sales').getByText('Agreed', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Agree for marketing' }).click()
    await page.getByTestId('agreement-marketing').getByText('Agreed', { exact: true }).waitFor()
    await expect(page.getByTestId('plan-status').textContent()).resolves.toMatch(
      /^Both sides agree/,
    )
    await expect(page.getByTestId('progress-mqls').textContent()).resolves.toMatch(/^0 of 40/)
    await screenshot(page, 'plan')
    expect(await axeViolations(page)).toEqual([])

    await page.goto(`${baseUrl}/settings/mql`)
    const month = await currentMonth()
    const [year, number] = month.split('-').map(Number)
    const label = new Date(Date.UTC(year ?? 2000, (number ?? 1) - 1, 1)).toLocaleDateString(
      'en-US',
      { month: 'short', year: 'numeric', timeZone: 'UTC' },
    )
    const input = page.getByLabel(`MQL target for ${label}`, { exact: true })
    await input.waitFor()
    await expect(input.inputValue()).resolves.toBe('40')
    await page.context().close()
  })

  it('shows the admin the leader view, linked from the nav, axe-clean', async () => {
    const page = await pageOf(owner.email)
    await page.getByRole('link', { name: 'Leader view' }).click()
    await page.getByRole('heading', { level: 1, name: 'Leader view' }).waitFor()
    await page.getByTestId('leader-revenue').waitFor({ timeout: 30_000 })
    // The plan's revenue target is the company's target of this month now.
    await expect(page.getByTestId('leader-revenue').textContent()).resolves.toMatch(/ of .*10/)
    await page.getByRole('heading', { name: 'Top insights' }).waitFor()
    await page.getByText(/Insights are not records in Tandem yet/).waitFor()
    await screenshot(page, 'leader')
    expect(await axeViolations(page)).toEqual([])
    await page.context().close()
  })

  it('hides the leader view from a sales manager', async () => {
    const page = await pageOf(manager.email)
    await expect(page.getByRole('link', { name: 'Leader view' }).count()).resolves.toBe(0)
    await page.context().close()
  })
})
