import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropSnapshots } from '../src/server/telescope/snapshots.ts'
import { plantTrendWorld } from '../test/trends-world.ts'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext

beforeAll(async () => {
  e = await startE2E()
  context = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  // Beside the demo world's own programmes, a campaign whose MQLs fell over the last 4 weeks
  // while its spend stayed (test/trends-world.ts): its cost per MQL must be flagged.
  const demo = await e.t.ctx.db
    .selectFrom('workspaces')
    .select('id')
    .orderBy('createdAt')
    .executeTakeFirstOrThrow()
  await plantTrendWorld(e.t.ctx.db, demo.id)
  await dropSnapshots(e.t.ctx.db, demo.id)
}, 480_000)

afterAll(async () => {
  await context?.close()
  await e?.close()
})

describe('the What changed page', () => {
  it('lists a flagged decay in words with its chart, decays before improvements; axe clean', async () => {
    const page = await context.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    await page.getByRole('link', { name: 'Telescope', exact: true }).click()
    // The Telescope page glances at the week's changes, each opening its campaign or channel.
    const card = page.getByRole('region', { name: 'What changed this week' })
    const glance = card.getByRole('link', { name: /over 4 weeks, outside its normal range/ })
    await glance.first().waitFor({ timeout: 60_000 })
    await expect(glance.first().getAttribute('href')).resolves.toMatch(/^\/telescope\//)
    expect(
      await axeViolations(page, { include: 'section[aria-labelledby="changes-card-title"]' }),
    ).toEqual([])
    await page.getByRole('link', { name: 'What changed', exact: true }).first().click()
    await page.getByRole('heading', { level: 1, name: 'What changed' }).waitFor()
    const decays = page.getByRole('region', { name: 'Decays' })
    const flag = decays.getByRole('article', {
      name: /^Paid social spring: cost per MQL up 82% over 4 weeks, outside its normal range \(usual \$\d+–\$\d+\)$/,
    })
    await flag.waitFor({ timeout: 60_000 })
    // Its chart: the weekly values with the normal range as a band.
    const chart = flag.getByRole('img', {
      name: /^Paid social spring, cost per MQL: weekly values/,
    })
    await chart.waitFor()
    await expect(chart.getAttribute('aria-label')).resolves.toMatch(/normal range \$\d+ to \$\d+/)
    expect(await flag.locator('.recharts-area').count()).toBe(1)
    expect(await flag.locator('.recharts-line').count()).toBe(1)
    await expect(flag.getByText('Decay', { exact: true }).isVisible()).resolves.toBe(true)
    // Decays come before improvements.
    const headings = await page.getByRole('heading', { level: 2 }).allTextContents()
    expect(headings.indexOf('Decays')).toBeLessThan(headings.indexOf('Improvements'))
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'changes')

    // The flag opens the campaign, whose benchmark card ranks it among its peers.
    await flag.getByRole('link', { name: 'Open Paid social spring' }).click()
    await page.getByRole('heading', { level: 1, name: 'Paid social spring' }).waitFor()
    const benchmark = page.getByRole('region', { name: 'Benchmark' })
    await benchmark.getByText('Cost per MQL').waitFor()
    await benchmark
      .getByText(/Peers' median/)
      .first()
      .waitFor()
    expect(await axeViolations(page, { include: 'section[aria-label="Benchmark"]' })).toEqual([])
    await page.close()
  })
})
