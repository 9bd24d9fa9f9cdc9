import { Analytics } from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, makeWriteKey } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

// Segment's own Node library, pointed at Tandem by its `host` option, as a customer would do.
let t: TestApp
let host: string
beforeAll(async () => {
  t = await createTestApp()
  host = await t.app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(async () => t.close())

describe('@segment/analytics-node against /v1/batch', () => {
  it('feeds the contact, the account and touchpoints with channel and campaign', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const writeKey = await makeWriteKey(owner, workspaceId)
    const campaign = await owner.request({
      method: 'POST',
      url: '/api/v1/campaigns',
      workspaceId,
      payload: {
        name: 'Autumn webinar',
        channel: 'email',
        type: 'webinar',
        currency: 'EUR',
        utmCampaigns: ['autumn-webinar'],
      },
    })
    expect(campaign.statusCode, campaign.body).toBe(201)

    const analytics = new Analytics({ writeKey, host, flushInterval: 50, maxRetries: 0 })
    const failures: unknown[] = []
    analytics.on('error', (error) => failures.push(error))
    const utm = { source: 'newsletter', medium: 'email', name: 'autumn-webinar' }
    analytics.page({
      anonymousId: 'device-7',
      name: 'Webinar',
      properties: { url: 'https://northwind.example/webinar', referrer: '' },
      context: { campaign: utm },
    })
    analytics.identify({
      anonymousId: 'device-7',
      userId: 'user-7',
      traits: { email: 'grace@hopper.example', firstName: 'Grace', lastName: 'Hopper' },
    })
    analytics.group({
      userId: 'user-7',
      groupId: 'acct-7',
      traits: { name: 'Hopper Labs', website: 'https://hopper.example' },
    })
    analytics.track({
      userId: 'user-7',
      event: 'Webinar Attended',
      properties: { webinar: 'Autumn' },
      context: { campaign: utm },
    })
    await analytics.closeAndFlush({ timeout: 10_000 })
    expect(failures).toEqual([])
    await t.app.ingest.settle()

    const contacts = await owner.request({
      method: 'GET',
      url: '/api/v1/contacts?q=grace',
      workspaceId,
    })
    const contact = contacts.json().data[0]
    expect(contact).toMatchObject({
      email: 'grace@hopper.example',
      firstName: 'Grace',
      lastName: 'Hopper',
      account: { name: 'Hopper Labs' },
      firstTouchUtm: {
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'autumn-webinar',
      },
    })
    const account = await owner.request({
      method: 'GET',
      url: `/api/v1/accounts/${contact.accountId}`,
      workspaceId,
    })
    expect(account.json().data).toMatchObject({ name: 'Hopper Labs', domain: 'hopper.example' })
    const timeline = await owner.request({
      method: 'GET',
      url: `/api/v1/contacts/${contact.id}/timeline`,
      workspaceId,
    })
    const touches = timeline.json().data.filter((i: { kind: string }) => i.kind === 'touchpoint')
    expect(touches).toHaveLength(2)
    const campaignId = campaign.json().data.id
    for (const touch of touches) {
      expect(touch).toMatchObject({ channel: 'email', campaignId, accountId: contact.accountId })
    }
    expect(touches.map((x: { type: string }) => x.type).sort()).toEqual(['page_view', 'webinar'])
    const library = touches[0].context.library
    expect(library.name).toBe('@segment/analytics-node')
  })
})
