import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { makeAccount, makeCampaign, makeContact, makeProduct } from './test-records.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let other: { owner: Session; workspaceId: string }
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Deal Links Co'))
  other = await makeWorkspace(t, 'Other Deal Links')
})
afterAll(async () => t.close())

const post = (payload: Record<string, unknown>, as = { session: owner, workspaceId }) =>
  as.session.request({ method: 'POST', url: '/api/v1/deals', workspaceId: as.workspaceId, payload })
const patch = (id: string, payload: Record<string, unknown>) =>
  owner.request({ method: 'PATCH', url: `/api/v1/deals/${id}`, workspaceId, payload })
const get = (id: string) =>
  owner.request({ method: 'GET', url: `/api/v1/deals/${id}`, workspaceId })

describe('deal links', () => {
  it('links an account, contacts with roles, line items, a campaign and an owner', async () => {
    const accountId = await makeAccount(owner, workspaceId, {
      name: 'Linked Co',
      industry: 'retail',
    })
    const productId = await makeProduct(owner, workspaceId, 'Linked Robot', 4_500)
    const champion = await makeContact(t, workspaceId, 'Ada', 'ada@linked.example')
    const buyer = await makeContact(t, workspaceId, 'Bo', 'bo@linked.example')
    const campaignId = await makeCampaign(t, workspaceId)
    const rep = await addMember(t, owner, workspaceId, 'sales')
    const response = await post({
      name: 'Linked deal',
      accountId,
      ownerId: rep.userId,
      amount: 9_000,
      currency: 'eur',
      closeDate: '2026-03-31',
      needs: ['pick_rate', 'pick_rate', 'uptime'],
      sourceCampaignId: campaignId,
      contacts: [
        { contactId: champion, role: 'champion', isPrimary: true },
        { contactId: buyer, role: 'economic_buyer' },
      ],
      lineItems: [
        { productId, quantity: 2 },
        { productId, quantity: 1.5, unitPrice: 1_000 },
      ],
    })
    expect(response.statusCode).toBe(201)
    const deal = response.json().data
    expect(deal).toMatchObject({
      account: { id: accountId, name: 'Linked Co' },
      owner: { id: rep.userId },
      currency: 'EUR',
      closeDate: '2026-03-31',
      needs: ['pick_rate', 'uptime'],
      sourceCampaignId: campaignId,
    })
    expect(deal.contacts).toEqual([
      {
        contactId: champion,
        name: 'Ada Buyer',
        firstName: 'Ada',
        lastName: 'Buyer',
        email: 'ada@linked.example',
        role: 'champion',
        isPrimary: true,
      },
      expect.objectContaining({ contactId: buyer, role: 'economic_buyer', isPrimary: false }),
    ])
    expect(
      deal.lineItems.map((li: Record<string, unknown>) => [
        li.productName,
        li.quantity,
        li.unitPrice,
        li.amount,
      ]),
    ).toEqual([
      ['Linked Robot', 2, 4_500, 9_000],
      ['Linked Robot', 1.5, 1_000, 1_500],
    ])
    // Replacing the buying group replaces it whole.
    const changed = await patch(deal.id, { contacts: [{ contactId: buyer, isPrimary: true }] })
    expect(changed.json().data.contacts.map((c: { contactId: string }) => c.contactId)).toEqual([
      buyer,
    ])
  })

  it('names the field of bad input and writes nothing', async () => {
    const contact = await makeContact(t, workspaceId, 'Cy', 'cy@bad.example')
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'body.name'],
      [{ name: 'Bad', amount: -1 }, 'body.amount'],
      [{ name: 'Bad', currency: 'EURO' }, 'body.currency'],
      [{ name: 'Bad', closeDate: '2026-02-30' }, 'body.closeDate'],
      [{ name: 'Bad', forecastCategory: 'maybe' }, 'body.forecastCategory'],
      [{ name: 'Bad', lossReason: 'too_expensive' }, 'body.lossReason'],
      [{ name: 'Bad', ownerId: 'nobody' }, 'ownerId'],
      [{ name: 'Bad', accountId: uuidv7() }, 'accountId'],
      [{ name: 'Bad', pipelineId: uuidv7() }, 'pipelineId'],
      [{ name: 'Bad', stageId: uuidv7() }, 'stageId'],
      [{ name: 'Bad', sourceCampaignId: uuidv7() }, 'sourceCampaignId'],
      [{ name: 'Bad', custom: { colour: 'red' } }, 'custom.colour'],
      [{ name: 'Bad', contacts: [{ contactId: uuidv7() }] }, 'contacts[0].contactId'],
      [
        {
          name: 'Bad',
          contacts: [
            { contactId: contact, isPrimary: true },
            { contactId: contact, isPrimary: true },
          ],
        },
        'contacts[1].contactId',
      ],
      [
        { name: 'Bad', lineItems: [{ productId: uuidv7(), quantity: 1 }] },
        'lineItems[0].productId',
      ],
      [
        { name: 'Bad', lineItems: [{ productId: uuidv7(), quantity: 0 }] },
        'body.lineItems.0.quantity',
      ],
      [{ name: 'Bad', forecastCategory: 'closed_won' }, 'forecastCategory'],
    ]
    for (const [payload, field] of cases) {
      const response = await post(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toMatch(
        new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}`),
      )
    }
    const second = await makeContact(t, workspaceId, 'Di', 'di@bad.example')
    const twoPrimaries = await post({
      name: 'Bad',
      contacts: [
        { contactId: contact, isPrimary: true },
        { contactId: second, isPrimary: true },
      ],
    })
    expect(twoPrimaries.json().error.message).toMatch(/^contacts: at most one/)
    const rows = await t.ctx.db
      .selectFrom('deals')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'Bad')
      .execute()
    expect(rows).toEqual([])
  })

  it('refuses records of another workspace in every link, never revealing them', async () => {
    const foreignAccount = await makeAccount(other.owner, other.workspaceId, { name: 'Theirs' })
    const foreignProduct = await makeProduct(other.owner, other.workspaceId, 'Their robot')
    const foreignContact = await makeContact(t, other.workspaceId, 'Eve', 'eve@other.example')
    const foreignCampaign = await makeCampaign(t, other.workspaceId)
    const foreignPipelines = await other.owner.request({
      method: 'GET',
      url: '/api/v1/pipelines',
      workspaceId: other.workspaceId,
    })
    const foreignPipeline = foreignPipelines.json().data[0]
    const cases: [Record<string, unknown>, string][] = [
      [{ accountId: foreignAccount }, 'accountId'],
      [{ pipelineId: foreignPipeline.id }, 'pipelineId'],
      [{ stageId: foreignPipeline.stages[0].id }, 'stageId'],
      [{ sourceCampaignId: foreignCampaign }, 'sourceCampaignId'],
      [{ contacts: [{ contactId: foreignContact }] }, 'contacts[0].contactId'],
      [{ lineItems: [{ productId: foreignProduct, quantity: 1 }] }, 'lineItems[0].productId'],
      [{ ownerId: other.owner.userId }, 'ownerId'],
    ]
    for (const [payload, field] of cases) {
      const response = await post({ name: 'Cross', ...payload })
      expect(response.statusCode, field).toBe(400)
      expect(response.json().error.message, field).toMatch(
        new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}: no `),
      )
    }
    const mine = (await post({ name: 'Mine only' })).json().data
    const asOther = { session: other.owner, workspaceId: other.workspaceId }
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const response = await other.owner.request({
        method,
        url: `/api/v1/deals/${mine.id}`,
        workspaceId: other.workspaceId,
        payload: method === 'PATCH' ? { name: 'Stolen' } : undefined,
      })
      expect(response.statusCode, method).toBe(404)
    }
    const bulk = await other.owner.request({
      method: 'PATCH',
      url: '/api/v1/deals/bulk',
      workspaceId: other.workspaceId,
      payload: { ids: [mine.id], patch: { name: 'Stolen' } },
    })
    expect(bulk.statusCode).toBe(404)
    expect((await post({ name: 'Theirs' }, asOther)).json().data.pipeline.id).toBe(
      foreignPipeline.id,
    )
    expect((await get(mine.id)).json().data.name).toBe('Mine only')
  })

  it('refuses a stage of another pipeline, naming stageId', async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/pipelines',
      workspaceId,
      payload: {
        name: 'Expansion',
        stages: [
          { name: 'Scoping', winProbability: 0.4 },
          { name: 'Won', winProbability: 1, isWon: true },
          { name: 'Lost', winProbability: 0, isLost: true },
        ],
      },
    })
    const expansion = created.json().data
    const [sales] = (
      await owner.request({ method: 'GET', url: '/api/v1/pipelines', workspaceId })
    ).json().data
    const response = await post({
      name: 'Mismatch',
      pipelineId: sales.id,
      stageId: expansion.stages[0].id,
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/^stageId: the stage "Scoping" is not/)
    const inExpansion = (await post({ name: 'Upsell', pipelineId: expansion.id })).json().data
    expect(inExpansion.stage.name).toBe('Scoping')
    const byStage = (await post({ name: 'By stage', stageId: expansion.stages[0].id })).json().data
    expect(byStage.pipelineId).toBe(expansion.id)
    // On a patch, a stage alone must belong to the deal's own pipeline.
    const wrong = await patch(inExpansion.id, { stageId: sales.stages[1].id })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error.message).toMatch(/^stageId: /)
    const moved = await patch(inExpansion.id, { pipelineId: sales.id })
    expect(moved.json().data.stage.name).toBe('Qualification')
  })
})
