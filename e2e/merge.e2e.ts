import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type E2E, screenshot, signInAs, startE2E } from './browser.ts'

let e: E2E
let context: BrowserContext
beforeAll(async () => {
  e = await startE2E()
  context = await e.browser.newContext({ viewport: { width: 1366, height: 800 } })
})
afterAll(async () => {
  await context?.close()
  await e?.close()
})

/** A write through the API as the signed-in person (session cookie and CSRF token). */
async function post(page: Page, path: string, body: unknown) {
  const response = await page.evaluate(
    async ([url, payload]) => {
      const csrf = document.cookie
        .split('; ')
        .find((c) => c.startsWith('tandem_csrf='))
        ?.slice('tandem_csrf='.length)
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': decodeURIComponent(csrf ?? ''),
        },
        body: JSON.stringify(payload),
      })
      return { status: res.status, body: await res.json() }
    },
    [path, body] as const,
  )
  if (response.status !== 201) throw new Error(`${path}: ${JSON.stringify(response.body)}`)
  return response.body.data as { id: string }
}

describe('merging duplicates in the browser', () => {
  it('finds two copies of a person, merges them and keeps both activities', async () => {
    const page = await context.newPage()
    await signInAs(page, e.baseUrl, 'sales@northwind.example')
    const stamp = Date.now()
    // A leading digit sorts the group first among the demo world's emails.
    const first = await post(page, '/api/v1/contacts', {
      email: `0merle.${stamp}@e2e.example`,
      firstName: 'Merle',
      lastName: 'Dupont',
      title: 'Head of Ops',
    })
    const second = await post(page, '/api/v1/contacts', {
      email: `0Merle.${stamp}+events@e2e.example`,
      firstName: 'Merle',
      lastName: 'Dupont',
      phone: '+33 1 23 45 67 89',
    })
    await post(page, '/api/v1/activities', {
      type: 'call',
      subject: `Discovery call ${stamp}`,
      contactId: first.id,
    })
    await post(page, '/api/v1/activities', {
      type: 'note',
      subject: `Met at the trade fair ${stamp}`,
      contactId: second.id,
    })

    await page.getByRole('link', { name: 'Contacts', exact: true }).click()
    await page.getByRole('link', { name: 'Duplicates' }).click()
    await page.getByRole('heading', { level: 1, name: 'Duplicate contacts' }).waitFor()
    await page.getByText('Same email', { exact: true }).first().click()
    const group = page
      .getByRole('listitem')
      .filter({ hasText: `0merle.${stamp}@e2e.example` })
      .first()
    await group.waitFor()
    await screenshot(page, 'merge-duplicates')
    await group.getByRole('button', { name: 'Compare and merge' }).click()

    const compare = page.getByRole('dialog', { name: 'Compare and merge contacts' })
    await compare.getByRole('radio', { name: /^Email: 0merle\..*\+events/ }).waitFor()
    // Keep the first record, but the second's email (the one with +events).
    await compare.getByRole('radio', { name: /^Email: 0merle\..*\+events/ }).check()
    await screenshot(page, 'merge-compare')
    await compare.getByRole('button', { name: 'Merge', exact: true }).click()
    const confirm = page.getByRole('dialog', { name: 'Merge contacts' })
    await confirm.getByRole('button', { name: 'Merge into Merle Dupont' }).click()

    await page.waitForURL(new RegExp(`/microscope/contacts/${first.id}$`))
    await page.getByRole('heading', { level: 1, name: 'Merle Dupont' }).waitFor()
    await page.getByText(`Discovery call ${stamp}`).first().waitFor()
    await page.getByText(`Met at the trade fair ${stamp}`).first().waitFor()
    await expect(
      page.getByText(`0merle.${stamp}+events@e2e.example`).first().isVisible(),
    ).resolves.toBe(true)
    await expect(page.getByText('+33 1 23 45 67 89').first().isVisible()).resolves.toBe(true)
    await screenshot(page, 'merge-result')

    const left = await page.evaluate(async (q) => {
      const res = await fetch(`/api/v1/contacts?q=${encodeURIComponent(q)}`)
      return ((await res.json()).data as { id: string }[]).map((c) => c.id)
    }, `${stamp}`)
    expect(left).toEqual([first.id])
  })

  it('merges an account into another from its page with “Merge with…”', async () => {
    const page = await context.newPage()
    // Signed in by the test above (same browser context).
    await page.goto(`${e.baseUrl}/microscope/accounts`)
    const stamp = Date.now()
    const keep = await post(page, '/api/v1/accounts', {
      name: `Zephyr Labs ${stamp}`,
      employees: 40,
    })
    const copy = await post(page, '/api/v1/accounts', {
      name: `Zephyr Labs ${stamp} GmbH`,
      domain: `zephyr-${stamp}.example`,
    })
    await post(page, '/api/v1/contacts', {
      firstName: 'Ines',
      lastName: `Zephyr ${stamp}`,
      accountId: copy.id,
    })

    await page.goto(`${e.baseUrl}/microscope/accounts/${keep.id}`)
    await page.getByRole('heading', { level: 1, name: `Zephyr Labs ${stamp}` }).waitFor()
    await page.getByRole('button', { name: 'Merge with…' }).click()
    const picker = page.getByRole('dialog', { name: 'Merge with another account' })
    await picker.getByRole('combobox', { name: 'Other account' }).fill(`${stamp} GmbH`)
    await page.getByRole('option', { name: new RegExp(`Zephyr Labs ${stamp} GmbH`) }).click()
    await picker.getByRole('button', { name: 'Compare' }).click()

    const compare = page.getByRole('dialog', { name: 'Compare and merge accounts' })
    await compare
      .getByRole('radio', {
        name: `Domain: zephyr-${stamp}.example (from Zephyr Labs ${stamp} GmbH)`,
      })
      .waitFor()
    await compare.getByRole('button', { name: 'Merge', exact: true }).click()
    await page
      .getByRole('dialog', { name: 'Merge accounts' })
      .getByRole('button', { name: `Merge into Zephyr Labs ${stamp}` })
      .click()

    await page.getByText(`zephyr-${stamp}.example`).first().waitFor()
    await page.getByRole('tab', { name: 'Contacts (1)' }).click()
    await page
      .getByRole('link', { name: `Ines Zephyr ${stamp}` })
      .first()
      .waitFor()
    await screenshot(page, 'merge-account')
    const gone = await page.evaluate(
      async (id) => (await fetch(`/api/v1/accounts/${id}`)).status,
      copy.id,
    )
    expect(gone).toBe(404)
  })
})
