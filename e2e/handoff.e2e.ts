import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, type Session, signIn } from '../test/factories.ts'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let marketingContext: BrowserContext
let salesContext: BrowserContext
let rep: Session
const stamp = Date.now().toString(36)
const contacts: Record<'accept' | 'reject', { id: string; name: string }> = {
  accept: { id: '', name: `Erin Handoff${stamp}` },
  reject: { id: '', name: `Rex Recycle${stamp}` },
}

/**
 * Set-up through the API: a new sales rep alone in a team, and a catch-all routing rule for that
 * team tried first (the demo's own rules come after), so every MQL of this test goes to the rep.
 */
beforeAll(async () => {
  e = await startE2E()
  const admin = await signIn(e.t.app, 'admin@northwind.example', 'tandem-demo')
  const workspace = await admin.request({ method: 'GET', url: '/api/v1/workspace' })
  const workspaceId = String(workspace.json().data.id)
  rep = await addMember(e.t, admin, workspaceId, 'sales')
  const call = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
    const response = await admin.request({ method, url, ...(payload ? { payload } : {}) })
    expect(response.statusCode, response.body).toBeLessThan(300)
    return response.json()
  }
  const team = await call('POST', '/api/v1/teams', {
    name: `E2E inbound ${stamp}`,
    memberIds: [rep.userId],
  })
  const rule = await call('POST', '/api/v1/routing/rules', {
    name: `E2E catch-all ${stamp}`,
    teamId: team.data.id,
    conditions: [],
  })
  const rules = await call('GET', '/api/v1/routing/rules')
  const others = (rules.data as { id: string }[])
    .map((r) => r.id)
    .filter((id) => id !== rule.data.id)
  await call('POST', '/api/v1/routing/rules/reorder', { ids: [rule.data.id, ...others] })
  for (const key of ['accept', 'reject'] as const) {
    const [firstName, lastName] = contacts[key].name.split(' ')
    const created = await call('POST', '/api/v1/contacts', {
      firstName,
      lastName,
      title: 'Head of Operations',
      email: `${key}-${stamp}@prospect.example`,
    })
    contacts[key].id = created.data.id
  }
  marketingContext = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  salesContext = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  // Seeding the demo world (with its three years of handoffs) is slow on a shared 2-core machine.
}, 480_000)

afterAll(async () => {
  await marketingContext?.close()
  await salesContext?.close()
  await e?.close()
})

/** Marketing marks a contact MQL from its page; the handoff link appears once routed. */
async function markMql(page: Page, contact: { id: string; name: string }, reason: string) {
  await page.goto(`${e.baseUrl}/microscope/contacts/${contact.id}`)
  await page.getByRole('heading', { level: 1, name: contact.name }).waitFor()
  await page.getByRole('button', { name: 'Mark as MQL' }).click()
  const dialog = page.getByRole('dialog', { name: 'Mark as MQL' })
  await dialog.getByLabel('Why should sales talk to this person?').fill(reason)
  await dialog.getByRole('button', { name: 'Hand off to sales' }).click()
  await page.getByRole('link', { name: 'Open the handoff' }).waitFor()
  const handoffs = page.getByRole('region', { name: 'Handoffs' })
  await expect(handoffs.textContent()).resolves.toContain(rep.email.split('@')[0])
}

async function openFromInbox(page: Page, name: string) {
  await page.goto(`${e.baseUrl}/microscope/inbox`)
  const table = page.getByRole('table', { name: 'Handoffs' })
  await table.getByRole('link', { name }).click()
  await page.getByRole('heading', { level: 1, name }).waitFor()
}

describe('the handoff in the browser', () => {
  let marketing: Page
  let sales: Page

  it('lets marketing mark a contact MQL with a reason, and routes it to the rep', async () => {
    marketing = await marketingContext.newPage()
    await signInAs(marketing, e.baseUrl, 'marketing@northwind.example')
    await markMql(marketing, contacts.accept, 'Asked for pricing at the trade show')
    await screenshot(marketing, 'handoff-marked-mql')
    await markMql(marketing, contacts.reject, 'Downloaded the ROI guide twice')
  })

  it('shows the rep the MQL in the Mine tab with its SLA clock', async () => {
    sales = await salesContext.newPage()
    await signInAs(sales, e.baseUrl, rep.email, 'correct-horse-1')
    await sales.getByRole('link', { name: /^Inbox/ }).click()
    await expect(
      sales.getByRole('tab', { name: /^Mine/ }).getAttribute('aria-selected'),
    ).resolves.toBe('true')
    const table = sales.getByRole('table', { name: 'Handoffs' })
    const row = table.getByRole('row').filter({ hasText: contacts.accept.name })
    await row.waitFor()
    const text = (await row.textContent()) ?? ''
    expect(text).toContain('Asked for pricing at the trade show')
    expect(text).toMatch(/left|Missed/)
    expect(text).toContain('due')
    await screenshot(sales, 'handoff-inbox')
    expect(await axeViolations(sales)).toEqual([])
  })

  it('accepts it, logs a call, and shows the first-touch SLA as met', async () => {
    await openFromInbox(sales, contacts.accept.name)
    await sales.getByRole('button', { name: 'Accept' }).click()
    await sales.getByText('Accepted', { exact: true }).first().waitFor()
    await sales.getByLabel('Call summary').fill('Intro call: wants a demo next week')
    await sales.getByRole('button', { name: 'Log call' }).click()
    const sla = sales.getByRole('region', { name: 'SLA' })
    await sla.getByText(/^Met in/).waitFor()
    await expect(sla.textContent()).resolves.toContain('Decided in time')
    const history = sales.getByRole('region', { name: 'History' })
    await history.getByText('First touch').waitFor()
    // The call moved the lead to attempting; the rep says they got through.
    await sales.getByText('Lead status: Attempting').waitFor()
    await sales.getByLabel('Lead status', { exact: true }).first().click()
    await sales.getByRole('option', { name: 'Connected' }).click()
    await sales.getByText('Lead status: Connected').waitFor()
    await screenshot(sales, 'handoff-accepted')
    expect(await axeViolations(sales)).toEqual([])
  })

  it('rejects another as no_budget with a recycle date, and shows it recycled', async () => {
    await openFromInbox(sales, contacts.reject.name)
    await sales.getByRole('button', { name: 'Reject' }).click()
    const dialog = sales.getByRole('dialog', { name: 'Reject this MQL' })
    await dialog.getByLabel('Reason').click()
    await sales.getByRole('option', { name: 'No budget' }).click()
    await expect(dialog.getByLabel('Recycle (back to nurture)').isChecked()).resolves.toBe(true)
    await dialog.getByLabel('Re-engage on').fill('2027-03-01')
    await dialog.getByRole('button', { name: 'Reject' }).click()
    await dialog.waitFor({ state: 'detached' })
    await sales.getByText('Rejected · recycled').waitFor()
    const rejection = sales.getByRole('region', { name: 'Rejection' })
    await expect(rejection.textContent()).resolves.toContain('No budget')
    await expect(rejection.textContent()).resolves.toContain('re-engage on 2027-03-01')
    await screenshot(sales, 'handoff-rejected')
    expect(await axeViolations(sales)).toEqual([])
  })

  it('counts both handoffs on the two-way SLA page, in the rep’s row', async () => {
    await sales.getByRole('link', { name: 'Two-way SLA' }).click()
    await sales.getByRole('heading', { level: 1, name: 'Two-way SLA' }).waitFor()
    const perRep = sales.getByRole('table', { name: 'SLA per rep' })
    const row = perRep.getByRole('row').filter({ hasText: rep.email.split('@')[0] as string })
    // Two handoffs: one first-touched in time, one rejected before its window ended.
    await expect(row.textContent()).resolves.toMatch(/2100%/)
    await sales.getByRole('region', { name: "Marketing's side" }).waitFor()
    await screenshot(sales, 'handoff-sla-report')
    expect(await axeViolations(sales)).toEqual([])
  })
})
