import { expect } from 'vitest'
import { asA, asAInB, asB, notFound } from './world.ts'

/** B's settings are what B last set, whatever A did (B turns consent on first). */
async function bSettingsUntouched() {
  const response = await asB('GET', '/api/v1/tracking/settings')
  expect(response.statusCode, response.body).toBe(200)
  expect(response.json().data).toMatchObject({
    consentRequired: true,
    cookieDomain: 'b.example',
    captureForms: false,
  })
}

let bSet: Promise<void> | undefined

function bSettingsOnce() {
  bSet ??= asB('PATCH', '/api/v1/tracking/settings', {
    consentRequired: true,
    cookieDomain: 'b.example',
  }).then((response) => {
    if (response.statusCode !== 200) throw new Error(`setup failed: ${response.body}`)
  })
  return bSet
}

/** Tracking snippet settings (issue 6). */
export const trackingCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/tracking/settings': async () => {
    await bSettingsOnce()
    notFound(await asAInB('GET', '/api/v1/tracking/settings'))
    const own = await asA('GET', '/api/v1/tracking/settings')
    expect(own.json().data).toMatchObject({ consentRequired: false, cookieDomain: null })
  },
  'PATCH /api/v1/tracking/settings': async () => {
    await bSettingsOnce()
    notFound(await asAInB('PATCH', '/api/v1/tracking/settings', { captureForms: true }))
    const own = await asA('PATCH', '/api/v1/tracking/settings', {
      captureForms: true,
      cookieDomain: 'a.example',
    })
    expect(own.statusCode, own.body).toBe(200)
    await bSettingsUntouched()
  },
}
