import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Session, signIn } from '../test/factories.ts'
import { axeViolations, type E2E, screenshot, signInAs, startE2E } from './browser.ts'

interface ModelState {
  eligibility: { eligible: boolean }
  inCharge: boolean
  predictiveMin: number
  training: { status: string }
  model: null | {
    learner: 'logistic' | 'gbm'
    holdout: { auc: number; baselineAuc: number | null; calibration: unknown[]; gains: unknown[] }
    importance: { label: string }[]
  }
}

interface Prediction {
  probability: number
  factors: { label: string; contribution: number }[]
}

let e: E2E
let admin: Session
let adminContext: BrowserContext
let salesContext: BrowserContext
let state: ModelState

async function get<T>(url: string): Promise<T> {
  const response = await admin.request({ method: 'GET', url })
  expect(response.statusCode, response.body).toBe(200)
  return (response.json() as { data: T }).data
}

/** The first contacts (newest first) until one has a predictive score. */
async function findScoredContact(): Promise<{ id: string; predictive: Prediction }> {
  let cursor: string | null = null
  for (let page = 0; page < 10; page++) {
    const url: string = `/api/v1/contacts?limit=50${cursor ? `&cursor=${cursor}` : ''}`
    const response = await admin.request({ method: 'GET', url })
    const body = response.json() as { data: { id: string }[]; nextCursor: string | null }
    for (const contact of body.data) {
      const scores = await get<{ predictive: Prediction | null }>(
        `/api/v1/contacts/${contact.id}/scores`,
      )
      if (scores.predictive) return { id: contact.id, predictive: scores.predictive }
    }
    cursor = body.nextCursor
    if (!cursor) break
  }
  throw new Error('no contact of the demo world has a predictive score')
}

const percent = (share: number) => `${Math.round(share * 100)}%`

beforeAll(async () => {
  // The demo world trains its predictive model while it is seeded.
  e = await startE2E()
  admin = await signIn(e.t.app, 'admin@northwind.example', 'tandem-demo')
  state = await get<ModelState>('/api/v1/predictive/model')
  adminContext = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
  salesContext = await e.browser.newContext({ viewport: { width: 1366, height: 900 } })
}, 480_000)

afterAll(async () => {
  await adminContext?.close()
  await salesContext?.close()
  await e?.close()
})

const section = (page: Page, name: string) => page.getByRole('region', { name, exact: true })

describe('the predictive model in the browser', () => {
  it('shows the holdout AUC of the model and of the rule score, with both charts', async () => {
    const model = state.model
    if (!model) throw new Error('the demo world has no trained model')
    const page = await adminContext.newPage()
    await signInAs(page, e.baseUrl, 'admin@northwind.example')
    await page.getByRole('link', { name: 'Predictive model' }).click()
    await page.getByRole('heading', { level: 1, name: 'Predictive model' }).waitFor()
    const accuracy = section(page, 'How good it is')
    await accuracy.waitFor()
    await expect(page.getByTestId('predictive-model-auc').textContent()).resolves.toBe(
      model.holdout.auc.toFixed(2),
    )
    await expect(page.getByTestId('predictive-rules-auc').textContent()).resolves.toBe(
      model.holdout.baselineAuc === null ? '—' : model.holdout.baselineAuc.toFixed(2),
    )
    await expect(page.getByTestId('predictive-auc-sentence').textContent()).resolves.toContain(
      `ranks the converter higher ${percent(model.holdout.auc)} of the time`,
    )
    await section(page, 'Calibration')
      .getByRole('img', { name: /^Calibration chart: predicted \d/ })
      .waitFor()
    const bands = page.getByRole('table', { name: 'Calibration per probability band' })
    await expect(bands.locator('tbody tr').count()).resolves.toBe(model.holdout.calibration.length)
    await section(page, 'Gains')
      .getByRole('img', { name: /^Gains chart, share of conversions found: top 10% of leads/ })
      .waitFor()
    const learners = page.getByRole('table', { name: 'Learners on the holdout' })
    const inUse = learners.getByRole('row').filter({ hasText: 'In use' })
    await expect(inUse.count()).resolves.toBe(1)
    await expect(inUse.textContent()).resolves.toContain(
      model.learner === 'gbm' ? 'Gradient-boosted trees' : 'Logistic regression',
    )
    const top = model.importance[0]
    if (top) {
      const escaped = top.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      await page
        .getByRole('img', { name: new RegExp(`^Feature importance: ${escaped} `) })
        .waitFor()
    }
    await section(page, 'Enough history?').getByTestId('predictive-eligibility').waitFor()
    await screenshot(page, 'predictive-model')
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })

  it('lets only an admin put the model in charge, and only with enough history', async () => {
    const page = await adminContext.newPage()
    await page.goto(`${e.baseUrl}/reports/predictive`)
    const mql = section(page, 'Who decides MQLs')
    const toggle = mql.getByRole('switch', { name: 'Let the model decide MQLs' })
    await toggle.waitFor()
    if (!state.eligibility.eligible) {
      await expect(toggle.isDisabled()).resolves.toBe(true)
      await mql.getByText(/Not available: .* Rules stay in charge\./).waitFor()
      await page.close()
      return
    }
    await expect(toggle.isDisabled()).resolves.toBe(false)
    await expect(toggle.isChecked()).resolves.toBe(state.inCharge)
    // A threshold outside 0-1 is refused before anything is sent.
    await mql.getByLabel('Probability threshold P').fill('1.5')
    await mql.getByText('A probability from 0 to 1').waitFor()
    await expect(mql.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true)
    await mql.getByLabel('Probability threshold P').fill('0.4')
    await toggle.check()
    await mql.getByRole('button', { name: 'Save' }).click()
    await mql
      .getByTestId('predictive-in-charge')
      .filter({
        hasText: 'The model decides: a lead becomes an MQL when its probability is at least 40%.',
      })
      .waitFor()
    const rules = await get<{ predictiveInCharge: boolean; predictiveMin: number }>(
      '/api/v1/mql/rules',
    )
    expect(rules).toMatchObject({ predictiveInCharge: true, predictiveMin: 0.4 })
    // And back to the rules.
    await mql.getByRole('switch', { name: 'Let the model decide MQLs' }).uncheck()
    await mql.getByRole('button', { name: 'Save' }).click()
    await mql
      .getByTestId('predictive-in-charge')
      .filter({ hasText: /^The rules decide/ })
      .waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })

  it('shows sales the model read-only: no retrain button, no MQL switch', async () => {
    const page = await salesContext.newPage()
    await signInAs(page, e.baseUrl, 'sales@northwind.example')
    await page.goto(`${e.baseUrl}/reports/predictive`)
    await page.getByTestId('predictive-model-auc').waitFor()
    await page.getByText('Only an admin can put the model in charge of MQLs.').waitFor()
    await expect(page.getByRole('button', { name: /train now/i }).count()).resolves.toBe(0)
    await expect(page.getByRole('switch').count()).resolves.toBe(0)
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })

  it('shows a contact’s predictive probability with its top factors', async () => {
    const contact = await findScoredContact()
    const page = await adminContext.newPage()
    await page.goto(`${e.baseUrl}/microscope/contacts/${contact.id}`)
    const card = page.getByRole('region', { name: 'Scores' })
    await card.getByTestId('predictive-probability').waitFor()
    // Whole percents, or one decimal below 1 %: the text is the probability, rounded.
    const shown = (await card.getByTestId('predictive-probability').textContent()) ?? ''
    expect(shown).toMatch(/^\d+(\.\d)?%$/)
    const decimals = shown.includes('.') ? 1 : 0
    expect(Number.parseFloat(shown)).toBe(
      Number((contact.predictive.probability * 100).toFixed(decimals)),
    )
    const factors = card.getByRole('list', { name: 'Factors behind the predictive score' })
    await expect(factors.getByRole('listitem').count()).resolves.toBe(
      contact.predictive.factors.length,
    )
    const first = contact.predictive.factors[0]
    if (first) {
      const item = factors.getByRole('listitem').first()
      await expect(item.textContent()).resolves.toContain(first.label)
      await expect(item.textContent()).resolves.toContain(
        first.contribution >= 0 ? 'raises' : 'lowers',
      )
    }
    await card.getByRole('link', { name: 'About the predictive model' }).waitFor()
    await screenshot(page, 'predictive-contact')
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })

  it('queues a retraining from the button and says so', async () => {
    const page = await adminContext.newPage()
    await page.goto(`${e.baseUrl}/reports/predictive`)
    const answered = page.waitForResponse((r) =>
      r.url().endsWith('/api/v1/predictive/model/retrain'),
    )
    await page.getByRole('button', { name: 'Retrain now' }).click()
    const response = await answered
    expect(response.status()).toBe(202)
    const body = (await response.json()) as { data: ModelState }
    expect(body.data.training.status).toBe('queued')
    await page
      .getByTestId('predictive-training')
      .getByText(/^Training queued/)
      .waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.close()
  })
})
