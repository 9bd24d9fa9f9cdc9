import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApiKey } from './factories.ts'
import { activityCases } from './tenancy/activity-cases.ts'
import { alignmentCases } from './tenancy/alignment-cases.ts'
import { attributionCases } from './tenancy/attribution-cases.ts'
import { drillCases } from './tenancy/drill-cases.ts'
import { exportCases } from './tenancy/export-cases.ts'
import { feedbackCases } from './tenancy/feedback-cases.ts'
import { fitCases } from './tenancy/fit-cases.ts'
import { forecastCases } from './tenancy/forecast-cases.ts'
import { formCases } from './tenancy/form-cases.ts'
import { foundationCases } from './tenancy/foundation-cases.ts'
import { funnelCases } from './tenancy/funnel-cases.ts'
import { handoffCases } from './tenancy/handoff-cases.ts'
import { identityCases } from './tenancy/identity-cases.ts'
import { importCases } from './tenancy/import-cases.ts'
import { leaderCases } from './tenancy/leader-cases.ts'
import { mergeCases } from './tenancy/merge-cases.ts'
import { notificationCases } from './tenancy/notification-cases.ts'
import { outlookCases } from './tenancy/outlook-cases.ts'
import { predictiveCases } from './tenancy/predictive-cases.ts'
import { privacyCases } from './tenancy/privacy-cases.ts'
import { recordsCases } from './tenancy/records-cases.ts'
import { regretCases } from './tenancy/regret-cases.ts'
import { reportCases } from './tenancy/report-cases.ts'
import { routingCases } from './tenancy/routing-cases.ts'
import { salesCases } from './tenancy/sales-cases.ts'
import { scoringCases } from './tenancy/scoring-cases.ts'
import { slaCases } from './tenancy/sla-cases.ts'
import { targetCases } from './tenancy/target-cases.ts'
import { todayCases } from './tenancy/today-cases.ts'
import { trackingCases } from './tenancy/tracking-cases.ts'
import { trendCases } from './tenancy/trend-cases.ts'
import { voiceCases } from './tenancy/voice-cases.ts'
import { waterfallCases } from './tenancy/waterfall-cases.ts'
import { webhookCases } from './tenancy/webhook-cases.ts'
import { a, b, buildWorld, t } from './tenancy/world.ts'
import { writeKeyCases } from './tenancy/write-key-cases.ts'

/**
 * A person of workspace A can neither read nor change workspace B's records through any route.
 * Every /api/v1 operation in OpenAPI must have a case here, so a new route cannot skip this test.
 */
const parts = [
  foundationCases,
  recordsCases,
  salesCases,
  slaCases,
  activityCases,
  exportCases,
  importCases,
  mergeCases,
  writeKeyCases,
  trackingCases,
  identityCases,
  formCases,
  privacyCases,
  routingCases,
  handoffCases,
  notificationCases,
  webhookCases,
  reportCases,
  feedbackCases,
  voiceCases,
  funnelCases,
  alignmentCases,
  drillCases,
  scoringCases,
  predictiveCases,
  attributionCases,
  fitCases,
  regretCases,
  forecastCases,
  waterfallCases,
  leaderCases,
  targetCases,
  todayCases,
  trendCases,
  outlookCases,
]
const cases: Record<string, () => Promise<void>> = Object.assign({}, ...parts)

beforeAll(buildWorld)
afterAll(async () => t.close())

describe('tenancy', () => {
  it('has a case for every /api/v1 operation in OpenAPI', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    const operations = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    expect(operations.sort()).toEqual(Object.keys(cases).sort())
    // No operation is claimed by two case modules (the later one would hide the earlier).
    expect(parts.reduce((n, part) => n + Object.keys(part).length, 0)).toBe(operations.length)
  })

  for (const [operation, run] of Object.entries(cases)) {
    it(`keeps workspace B out of reach of A through ${operation}`, run)
  }

  it('binds an API key to its workspace whatever X-Workspace-Id says', async () => {
    const aKey = await makeApiKey(a.owner, a.workspaceId, 'admin')
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/workspace',
      headers: { authorization: `Bearer ${aKey.key}`, 'x-workspace-id': b.workspaceId },
    })
    expect(response.json().data.id).toBe(a.workspaceId)
  })
})
