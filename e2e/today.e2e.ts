import { DateTime } from 'luxon'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../test/factories.ts'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext
const stamp = Date.now().toString(36)
const subjects = [`Call the CFO ${stamp}`, `Send the proposal ${stamp}`]

/**
 * The demo rep gets two tasks due today (in the workspace's time zone, earlier today so they are
 * today's whatever the hour) on one of their accounts.
 */
beforeAll(async () => {
  e = await startE2E()
  const rep = await signIn(e.t.app, 'sales@northwind.example', 'tandem-demo')
  const workspace = await rep.request({ method: 'GET', url: '/api/v1/workspace' })
  const zone = String(workspace.json().data.timeZone)
  const accounts = await rep.request({ method: 'GET', url: '/api/v1/accounts?limit=1' })
  const accountId = String(accounts.json().data[0].id)
  const now = DateTime.now().setZone(zone)
  const start = now.startOf('day')
  const dueAt = start
    .plus({ milliseconds: now.diff(start).milliseconds / 2 })
    .toUTC()
    .toISO()
  for (const subject of subjects) {
    const created = await rep.request({
      method: 'POST',
      url: '/api/v1/activities',
      payload: { type: 'task', subject, dueAt, accountId, ownerId: rep.userId },
    })
    expect(created.statusCode, created.body).toBe(201)
  }
  context = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  // Seeding the demo world is slow on a shared 2-core machine.
}, 480_000)

afterAll(async () => {
  await context?.close()
  await e?.close()
})

describe('the Today page', () => {
  it('opens on sign-in for a rep, completes a task and moves the task progress bar', async () => {
    const page = await context.newPage()
    await signInAs(page, e.baseUrl, 'sales@northwind.example')
    await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/microscope')
    const progress = page.getByTestId('task-progress')
    await page.getByRole('checkbox', { name: `Complete: ${subjects[0]}` }).waitFor()
    const before = (await progress.textContent())?.match(/(\d+) of (\d+) done/)
    expect(before).not.toBeNull()
    const [done, total] = [Number(before?.[1]), Number(before?.[2])]
    expect(total).toBeGreaterThanOrEqual(2)
    const bar = page.getByRole('progressbar', { name: /Today's tasks/ })
    await expect(bar.getAttribute('aria-label')).resolves.toBe(
      `Today's tasks: ${done} of ${total} done`,
    )

    await page.getByRole('checkbox', { name: `Complete: ${subjects[0]}` }).click()
    await page.getByText(`${done + 1} of ${total} done`).waitFor()
    await expect(bar.getAttribute('aria-label')).resolves.toBe(
      `Today's tasks: ${done + 1} of ${total} done`,
    )
    await page
      .getByRole('checkbox', { name: `Complete: ${subjects[0]}` })
      .waitFor({ state: 'detached' })
    // The server agrees once the day is fetched again.
    await page.reload()
    await page.getByText(`${done + 1} of ${total} done`).waitFor()
    await page.getByRole('checkbox', { name: `Complete: ${subjects[1]}` }).waitFor()

    for (const section of [
      'Tasks due and overdue',
      'Handoffs',
      'Hot leads',
      'Deals closing this week',
      'Poor-fit warnings',
    ]) {
      await page.getByRole('heading', { level: 2, name: section }).waitFor()
    }
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'today')
    await page.close()
  })

  it("shows a manager the team's reps and the leaderboard", async () => {
    const managerContext = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
    const page = await managerContext.newPage()
    await signInAs(page, e.baseUrl, 'manager@northwind.example')
    await page.getByRole('link', { name: 'Team and leaderboard' }).click()
    await page.getByRole('heading', { level: 1, name: 'Team today' }).waitFor()
    await page.getByRole('table', { name: 'Leaderboard' }).waitFor()
    await page.getByRole('table', { name: 'Reps' }).waitFor()
    expect(await page.getByTestId('leaderboard-row').count()).toBeGreaterThan(0)
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, 'today-team')
    // A rep's name opens their Today.
    await page.getByRole('table', { name: 'Reps' }).getByRole('link').first().click()
    await page.getByRole('heading', { level: 1, name: /^Today for / }).waitFor()
    await managerContext.close()
  })
})
