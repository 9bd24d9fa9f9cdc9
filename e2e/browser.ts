import fs from 'node:fs/promises'
import path from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { type Browser, chromium, type Page } from 'playwright-core'
import { seedDemo } from '../src/demo/seed.ts'
import { getEnv } from '../src/server/env.ts'
import { createTestApp, type TestApp } from '../test/harness.ts'

export interface E2E {
  t: TestApp
  baseUrl: string
  browser: Browser
  close(): Promise<void>
}

/** The built app on a fresh database with the demo world, listening on a free port, and Chromium. */
export async function startE2E(): Promise<E2E> {
  const t = await createTestApp()
  await seedDemo(t.ctx.db, { seed: 1, asOf: new Date(), reset: false })
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  // Playwright gives each launch a fresh, empty profile (user data dir) of its own.
  const browser = await chromium.launch({
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
  return {
    t,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    close: async () => {
      await browser.close()
      await t.close()
    },
  }
}

export async function signInAs(
  page: Page,
  baseUrl: string,
  email: string,
  password = 'tandem-demo',
) {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('link', { name: 'Microscope' }).waitFor()
}

export async function screenshot(page: Page, name: string) {
  await fs.mkdir('test-results', { recursive: true })
  await page.screenshot({ path: path.join('test-results', `${name}.png`), fullPage: true })
}

/** Serious and critical axe violations of the page (or of `include`), minus `exclude`. */
export async function axeViolations(
  page: Page,
  options: { include?: string; exclude?: string } = {},
) {
  // A modal fading in or out is half transparent: colour contrast is only checked once transitions end.
  await page
    .waitForFunction(
      () =>
        document
          .getAnimations()
          .every(
            (a) =>
              a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
          ),
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined)
  let builder = new AxeBuilder({ page })
  if (options.include) builder = builder.include(options.include)
  if (options.exclude) builder = builder.exclude(options.exclude)
  const results = await builder.analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}
