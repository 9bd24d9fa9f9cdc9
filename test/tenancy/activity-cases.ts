import { expect } from 'vitest'
import {
  asA,
  asAInB,
  asB,
  b,
  bAccount,
  bActivity,
  bCampaign,
  bContact,
  bCost,
  bCustomField,
  bDeal,
  bMember,
  bSavedView,
  bTouchpoint,
  bTrashedDeal,
  createInA,
  idsOf,
  keepsUnchanged,
  notFound,
  refused,
  rowOf,
  t,
} from './world.ts'

type Payload = Record<string, unknown>

/** Each record of B an activity can point at, with the field that names it. */
const bLinks = (): [string, Payload][] => [
  ['contactId', { contactId: bContact.id }],
  ['accountId', { accountId: bAccount.id }],
  ['dealId', { dealId: bDeal.id }],
  ['ownerId', { ownerId: bMember.userId }],
]

const filterOf = (field: string, value: string) =>
  encodeURIComponent(JSON.stringify({ all: [{ field, op: 'eq', value }] }))

function costsOf(campaignId: string) {
  return t.ctx.db
    .selectFrom('campaignCosts')
    .selectAll()
    .where('campaignId', '=', campaignId)
    .orderBy('id')
    .execute()
}

async function customOfBDeal() {
  return (await rowOf('deals', bDeal.id))?.custom
}

/** Activities, touchpoints and timelines, campaigns and costs, custom fields, views, the Trash. */
export const activityCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/activities': async () => {
    notFound(await asAInB('GET', '/api/v1/activities'))
    expect(idsOf(await asA('GET', '/api/v1/activities?q=b%20call'))).not.toContain(bActivity.id)
    const byDeal = filterOf('dealId', bDeal.id)
    expect(idsOf(await asA('GET', `/api/v1/activities?filter=${byDeal}`))).toEqual([])
  },
  'POST /api/v1/activities': async () => {
    notFound(await asAInB('POST', '/api/v1/activities', { type: 'note', subject: 'Planted' }))
    // Linked to an account of A's own, so only B's link is wrong.
    const accountId = await createInA('/api/v1/accounts', { name: 'A call account' })
    for (const [field, link] of bLinks()) {
      const activity = { type: 'call', subject: 'X', accountId, ...link }
      refused(await asA('POST', '/api/v1/activities', activity), field)
    }
  },
  'GET /api/v1/activities/{id}': async () => {
    notFound(await asA('GET', `/api/v1/activities/${bActivity.id}`))
  },
  'PATCH /api/v1/activities/{id}': async () => {
    await keepsUnchanged('touchpoints', bTouchpoint.id, async () => {
      await keepsUnchanged('activities', bActivity.id, async () => {
        notFound(
          await asA('PATCH', `/api/v1/activities/${bActivity.id}`, {
            subject: 'Taken',
            occurredAt: '2020-01-01T00:00:00Z',
          }),
        )
      })
    })
    const account = await createInA('/api/v1/accounts', { name: 'A activity account' })
    const own = await createInA('/api/v1/activities', {
      type: 'note',
      subject: 'A note',
      accountId: account,
    })
    for (const [field, link] of bLinks()) {
      refused(await asA('PATCH', `/api/v1/activities/${own}`, link), field)
    }
  },
  'DELETE /api/v1/activities/{id}': async () => {
    await keepsUnchanged('touchpoints', bTouchpoint.id, async () => {
      await keepsUnchanged('activities', bActivity.id, async () => {
        notFound(await asA('DELETE', `/api/v1/activities/${bActivity.id}`))
      })
    })
  },
  'GET /api/v1/touchpoints': async () => {
    notFound(await asAInB('GET', '/api/v1/touchpoints'))
    expect(idsOf(await asA('GET', '/api/v1/touchpoints?limit=200'))).not.toContain(bTouchpoint.id)
    const byContact = filterOf('contactId', bContact.id)
    expect(idsOf(await asA('GET', `/api/v1/touchpoints?filter=${byContact}`))).toEqual([])
    expect(idsOf(await asA('GET', `/api/v1/touchpoints?contactId=${bContact.id}`))).toEqual([])
  },
  'GET /api/v1/contacts/{id}/timeline': async () => {
    notFound(await asA('GET', `/api/v1/contacts/${bContact.id}/timeline`))
  },
  'GET /api/v1/accounts/{id}/timeline': async () => {
    notFound(await asA('GET', `/api/v1/accounts/${bAccount.id}/timeline`))
  },
  'GET /api/v1/deals/{id}/timeline': async () => {
    notFound(await asA('GET', `/api/v1/deals/${bDeal.id}/timeline`))
  },
  'GET /api/v1/campaigns': async () => {
    notFound(await asAInB('GET', '/api/v1/campaigns'))
    expect(idsOf(await asA('GET', '/api/v1/campaigns?limit=200'))).not.toContain(bCampaign.id)
  },
  'POST /api/v1/campaigns': async () => {
    const campaign = { name: 'Planted', channel: 'email', type: 'newsletter' }
    notFound(await asAInB('POST', '/api/v1/campaigns', campaign))
    refused(
      await asA('POST', '/api/v1/campaigns', { ...campaign, ownerId: bMember.userId }),
      'ownerId',
    )
  },
  'GET /api/v1/campaigns/{id}': async () => {
    notFound(await asA('GET', `/api/v1/campaigns/${bCampaign.id}`))
  },
  'PATCH /api/v1/campaigns/{id}': async () => {
    await keepsUnchanged('campaigns', bCampaign.id, async () => {
      notFound(await asA('PATCH', `/api/v1/campaigns/${bCampaign.id}`, { name: 'Taken' }))
    })
  },
  'DELETE /api/v1/campaigns/{id}': async () => {
    await keepsUnchanged('campaigns', bCampaign.id, async () => {
      notFound(await asA('DELETE', `/api/v1/campaigns/${bCampaign.id}`))
    })
  },
  'GET /api/v1/campaigns/{id}/costs': async () => {
    notFound(await asA('GET', `/api/v1/campaigns/${bCampaign.id}/costs`))
    const own = await createInA('/api/v1/campaigns', { name: 'A', channel: 'email', type: 'x' })
    expect(idsOf(await asA('GET', `/api/v1/campaigns/${own}/costs`))).not.toContain(bCost.id)
  },
  'POST /api/v1/campaigns/{id}/costs': async () => {
    const before = await costsOf(bCampaign.id)
    const cost = { incurredOn: '2026-01-01', amount: 100 }
    notFound(await asA('POST', `/api/v1/campaigns/${bCampaign.id}/costs`, cost))
    notFound(await asAInB('POST', `/api/v1/campaigns/${bCampaign.id}/costs`, cost))
    expect(await costsOf(bCampaign.id)).toEqual(before)
  },
  'DELETE /api/v1/campaigns/{id}/costs/{costId}': async () => {
    const own = await createInA('/api/v1/campaigns', { name: 'A2', channel: 'email', type: 'x' })
    await keepsUnchanged('campaignCosts', bCost.id, async () => {
      notFound(await asA('DELETE', `/api/v1/campaigns/${bCampaign.id}/costs/${bCost.id}`))
      // Through A's own campaign, B's cost is not found either.
      notFound(await asA('DELETE', `/api/v1/campaigns/${own}/costs/${bCost.id}`))
    })
  },
  'GET /api/v1/custom-fields': async () => {
    notFound(await asAInB('GET', '/api/v1/custom-fields'))
    expect(idsOf(await asA('GET', '/api/v1/custom-fields'))).not.toContain(bCustomField.id)
  },
  'POST /api/v1/custom-fields': async () => {
    const field = { entity: 'deal', key: 'planted', label: 'Planted', type: 'text' }
    notFound(await asAInB('POST', '/api/v1/custom-fields', field))
    const theirs = (await asB('GET', '/api/v1/custom-fields')).json().data
    expect(theirs.map((f: { key: string }) => f.key)).not.toContain('planted')
  },
  'PATCH /api/v1/custom-fields/{id}': async () => {
    await keepsUnchanged('customFieldDefinitions', bCustomField.id, async () => {
      notFound(await asA('PATCH', `/api/v1/custom-fields/${bCustomField.id}`, { label: 'Taken' }))
    })
  },
  'DELETE /api/v1/custom-fields/{id}': async () => {
    expect(await customOfBDeal()).toEqual({ b_field: 'secret' })
    await keepsUnchanged('customFieldDefinitions', bCustomField.id, async () => {
      notFound(await asA('DELETE', `/api/v1/custom-fields/${bCustomField.id}`))
    })
    // A's own field of the same key is free in A, and deleting it clears no value of B's.
    const own = await createInA('/api/v1/custom-fields', {
      entity: 'deal',
      key: bCustomField.key,
      label: 'A field',
      type: 'text',
    })
    expect((await asA('DELETE', `/api/v1/custom-fields/${own}`)).statusCode).toBe(204)
    expect(await customOfBDeal()).toEqual({ b_field: 'secret' })
  },
  'GET /api/v1/saved-views': async () => {
    notFound(await asAInB('GET', '/api/v1/saved-views?entity=deal'))
    expect(idsOf(await asA('GET', '/api/v1/saved-views?entity=deal'))).not.toContain(bSavedView.id)
  },
  'POST /api/v1/saved-views': async () => {
    notFound(await asAInB('POST', '/api/v1/saved-views', { entity: 'deal', name: 'Planted' }))
    const views = await t.ctx.db
      .selectFrom('savedViews')
      .select('name')
      .where('workspaceId', '=', b.workspaceId)
      .execute()
    expect(views.map((v) => v.name)).toEqual(['B view'])
  },
  'DELETE /api/v1/saved-views/{id}': async () => {
    await keepsUnchanged('savedViews', bSavedView.id, async () => {
      notFound(await asA('DELETE', `/api/v1/saved-views/${bSavedView.id}`))
    })
  },
  'GET /api/v1/trash': async () => {
    notFound(await asAInB('GET', '/api/v1/trash?entity=deal'))
    expect(idsOf(await asA('GET', '/api/v1/trash?entity=deal'))).not.toContain(bTrashedDeal.id)
  },
  'POST /api/v1/trash/{entity}/{id}/restore': async () => {
    await keepsUnchanged('deals', bTrashedDeal.id, async () => {
      notFound(await asA('POST', `/api/v1/trash/deal/${bTrashedDeal.id}/restore`))
      notFound(await asAInB('POST', `/api/v1/trash/deal/${bTrashedDeal.id}/restore`))
    })
    expect((await rowOf('deals', bTrashedDeal.id))?.deletedAt).not.toBeNull()
  },
}
