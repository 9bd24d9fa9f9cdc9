import { expect } from 'vitest'
import {
  a,
  asA,
  asAInB,
  b,
  bAccount,
  bCampaign,
  bContact,
  bDeal,
  bDefaultPipeline,
  bMember,
  bPipeline,
  bProduct,
  bTeam,
  createInA,
  dealState,
  idsOf,
  keepsUnchanged,
  notFound,
  refused,
  stagesOf,
  t,
  threeStages,
} from './world.ts'

type Payload = Record<string, unknown>

/** Each record of B a deal can point at, with the field that names it. */
const bLinks = (): [string, Payload][] => [
  ['accountId', { accountId: bAccount.id }],
  ['pipelineId', { pipelineId: bPipeline.id }],
  ['stageId', { stageId: bPipeline.stageIds[0] }],
  ['ownerId', { ownerId: bMember.userId }],
  ['sourceCampaignId', { sourceCampaignId: bCampaign.id }],
  ['contacts[0].contactId', { contacts: [{ contactId: bContact.id }] }],
  ['lineItems[0].productId', { lineItems: [{ productId: bProduct.id, quantity: 1 }] }],
]

const bPipelineIds = () => [bPipeline.id, bDefaultPipeline.id]
const bStageIds = () => [...bPipeline.stageIds, ...bDefaultPipeline.stageIds]

function ratesOf(workspaceId: string) {
  return t.ctx.db
    .selectFrom('exchangeRates')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .orderBy('currency')
    .execute()
}

function pipelinesOf(workspaceId: string) {
  return t.ctx.db
    .selectFrom('pipelines')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .orderBy('id')
    .execute()
}

async function liveDealsOfA() {
  const row = await t.ctx.db
    .selectFrom('deals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspaceId', '=', a.workspaceId)
    .where('deletedAt', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Products, pipelines and their stages, deals and their summary, exchange rates. */
export const salesCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/products': async () => {
    notFound(await asAInB('GET', '/api/v1/products'))
    expect(idsOf(await asA('GET', '/api/v1/products?q=b%20product'))).not.toContain(bProduct.id)
    expect(idsOf(await asA('GET', '/api/v1/products?limit=200'))).not.toContain(bProduct.id)
  },
  'POST /api/v1/products': async () => {
    notFound(await asAInB('POST', '/api/v1/products', { name: 'Planted' }))
    // The same name is free in A: uniqueness is per workspace and reveals nothing of B.
    expect((await asA('POST', '/api/v1/products', { name: 'B Product' })).statusCode).toBe(201)
    expect(idsOf(await asA('GET', '/api/v1/products?q=planted'))).toEqual([])
  },
  'GET /api/v1/products/{id}': async () => {
    notFound(await asA('GET', `/api/v1/products/${bProduct.id}`))
  },
  'PATCH /api/v1/products/{id}': async () => {
    await keepsUnchanged('products', bProduct.id, async () => {
      notFound(await asA('PATCH', `/api/v1/products/${bProduct.id}`, { name: 'Taken', price: 1 }))
    })
  },
  'DELETE /api/v1/products/{id}': async () => {
    await keepsUnchanged('products', bProduct.id, async () => {
      notFound(await asA('DELETE', `/api/v1/products/${bProduct.id}`))
    })
  },
  'GET /api/v1/pipelines': async () => {
    notFound(await asAInB('GET', '/api/v1/pipelines'))
    const own = await asA('GET', '/api/v1/pipelines')
    for (const id of bPipelineIds()) expect(idsOf(own)).not.toContain(id)
    const stages = (own.json().data as { stages: { id: string }[] }[]).flatMap((p) => p.stages)
    expect(stages.length).toBeGreaterThan(0)
    for (const id of bStageIds()) expect(stages.map((s) => s.id)).not.toContain(id)
  },
  'POST /api/v1/pipelines': async () => {
    const before = await pipelinesOf(b.workspaceId)
    notFound(
      await asAInB('POST', '/api/v1/pipelines', {
        name: 'Planted',
        isDefault: true,
        stages: threeStages,
      }),
    )
    expect(await pipelinesOf(b.workspaceId)).toEqual(before)
  },
  'GET /api/v1/pipelines/{id}': async () => {
    for (const id of bPipelineIds()) notFound(await asA('GET', `/api/v1/pipelines/${id}`))
  },
  'PATCH /api/v1/pipelines/{id}': async () => {
    const before = await pipelinesOf(b.workspaceId)
    notFound(
      await asA('PATCH', `/api/v1/pipelines/${bPipeline.id}`, { name: 'Taken', isDefault: true }),
    )
    expect(await pipelinesOf(b.workspaceId)).toEqual(before)
  },
  'PUT /api/v1/pipelines/{id}/stages': async () => {
    const before = await stagesOf(bPipeline.id)
    notFound(
      await asA('PUT', `/api/v1/pipelines/${bPipeline.id}/stages`, {
        stages: threeStages.map((stage) => ({ ...stage, name: `${stage.name} taken` })),
      }),
    )
    // B's stage ids do not name stages of A's own pipeline.
    const own = await createInA('/api/v1/pipelines', { name: 'A Pipeline', stages: threeStages })
    refused(
      await asA('PUT', `/api/v1/pipelines/${own}/stages`, {
        stages: [{ id: bPipeline.stageIds[0], name: 'Taken', winProbability: 0.5 }, ...threeStages],
      }),
      'stages[0].id',
    )
    expect(await stagesOf(bPipeline.id)).toEqual(before)
  },
  'DELETE /api/v1/pipelines/{id}': async () => {
    await keepsUnchanged('pipelines', bPipeline.id, async () => {
      notFound(await asA('DELETE', `/api/v1/pipelines/${bPipeline.id}`))
    })
  },
  'GET /api/v1/deals': async () => {
    notFound(await asAInB('GET', '/api/v1/deals'))
    expect(idsOf(await asA('GET', '/api/v1/deals?q=b%20deal'))).not.toContain(bDeal.id)
    expect(idsOf(await asA('GET', '/api/v1/deals?limit=200'))).not.toContain(bDeal.id)
    const byAccount = encodeURIComponent(
      JSON.stringify({ all: [{ field: 'accountId', op: 'eq', value: bAccount.id }] }),
    )
    expect(idsOf(await asA('GET', `/api/v1/deals?filter=${byAccount}`))).toEqual([])
  },
  'GET /api/v1/deals/summary': async () => {
    notFound(await asAInB('GET', '/api/v1/deals/summary?groupBy=stage'))
    await createInA('/api/v1/deals', { name: 'A summary deal', amount: 100 })
    const bKeys = [...bPipelineIds(), ...bStageIds(), bMember.userId, bTeam.id, bProduct.id]
    for (const groupBy of ['stage', 'owner', 'team', 'product', 'pipeline', 'month']) {
      const response = await asA('GET', `/api/v1/deals/summary?groupBy=${groupBy}`)
      expect(response.statusCode).toBe(200)
      const groups = response.json().data as { key: string | null; count: number }[]
      for (const key of bKeys) expect(groups.map((g) => g.key)).not.toContain(key)
      if (groupBy === 'pipeline') {
        // Every deal counted is one of A's.
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(await liveDealsOfA())
      }
    }
  },
  'POST /api/v1/deals': async () => {
    notFound(await asAInB('POST', '/api/v1/deals', { name: 'Planted' }))
    // Each record of B given as a link is unknown in A: 400 naming the field, nothing written.
    const before = await liveDealsOfA()
    for (const [field, link] of bLinks()) {
      refused(await asA('POST', '/api/v1/deals', { name: 'Linked', ...link }), field)
    }
    expect(await liveDealsOfA()).toBe(before)
  },
  'PATCH /api/v1/deals/bulk': async () => {
    const own = await createInA('/api/v1/deals', { name: 'A bulk deal' })
    const bBefore = await dealState(bDeal.id)
    const ownBefore = await dealState(own)
    const patch = { name: 'Taken', contacts: [], lineItems: [] }
    notFound(await asA('PATCH', '/api/v1/deals/bulk', { ids: [bDeal.id], patch }))
    notFound(await asA('PATCH', '/api/v1/deals/bulk', { ids: [own, bDeal.id], patch }))
    for (const [field, link] of bLinks()) {
      refused(await asA('PATCH', '/api/v1/deals/bulk', { ids: [own], patch: link }), field)
    }
    expect(await dealState(bDeal.id)).toEqual(bBefore)
    expect(await dealState(own)).toEqual(ownBefore)
  },
  'GET /api/v1/deals/{id}': async () => {
    notFound(await asA('GET', `/api/v1/deals/${bDeal.id}`))
  },
  'PATCH /api/v1/deals/{id}': async () => {
    const before = await dealState(bDeal.id)
    notFound(
      await asA('PATCH', `/api/v1/deals/${bDeal.id}`, {
        name: 'Taken',
        stageId: bDefaultPipeline.stageIds[1],
        contacts: [],
        lineItems: [],
        custom: { b_field: null },
      }),
    )
    expect(await dealState(bDeal.id)).toEqual(before)
    const own = await createInA('/api/v1/deals', { name: 'A own deal' })
    for (const [field, link] of bLinks()) {
      refused(await asA('PATCH', `/api/v1/deals/${own}`, link), field)
    }
  },
  'DELETE /api/v1/deals/{id}': async () => {
    const before = await dealState(bDeal.id)
    notFound(await asA('DELETE', `/api/v1/deals/${bDeal.id}`))
    expect(await dealState(bDeal.id)).toEqual(before)
  },
  'GET /api/v1/exchange-rates': async () => {
    notFound(await asAInB('GET', '/api/v1/exchange-rates'))
    const own = (await asA('GET', '/api/v1/exchange-rates')).json().data
    expect(own.rates.map((r: { currency: string }) => r.currency)).not.toContain('CHF')
  },
  'PUT /api/v1/exchange-rates': async () => {
    const before = await ratesOf(b.workspaceId)
    expect(before.map((r) => r.currency)).toEqual(['CHF'])
    notFound(
      await asAInB('PUT', '/api/v1/exchange-rates', {
        rates: [{ currency: 'CHF', rateToBase: 99 }],
      }),
    )
    // A replacing its own table leaves B's alone.
    const own = await asA('PUT', '/api/v1/exchange-rates', {
      rates: [{ currency: 'JPY', rateToBase: 0.007 }],
    })
    expect(own.statusCode).toBe(200)
    expect(await ratesOf(b.workspaceId)).toEqual(before)
  },
}
