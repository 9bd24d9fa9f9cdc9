import type { InjectOptions } from 'fastify'
import type { Response as InjectResponse } from 'light-my-request'
import { expect } from 'vitest'
import { addMember, makeApiKey, makeWorkspace, type Session } from '../factories.ts'
import { createTestApp, type TestApp } from '../harness.ts'

/**
 * Two workspaces, A and B, and one record of B of every kind the tenancy cases try to reach from A.
 * The bindings below are set by buildWorld() (call it from beforeAll) and read by the cases.
 */
export let t: TestApp
export let a: { owner: Session; workspaceId: string }
export let b: { owner: Session; workspaceId: string }
export let bMember: Session
export let bKey: { id: string; key: string }
export let bInvitation: { id: string; acceptUrl: string }
export let bAccount: { id: string }
export let bContact: { id: string }
export let bTeam: { id: string }
export let bProduct: { id: string }
/** B's default pipeline (where bDeal is) and a second one, with no deals, that could be deleted. */
export let bDefaultPipeline: { id: string; stageIds: string[] }
export let bPipeline: { id: string; stageIds: string[] }
export let bCampaign: { id: string }
export let bCost: { id: string }
export let bCustomField: { id: string; key: string }
export let bDeal: { id: string }
export let bActivity: { id: string }
export let bTouchpoint: { id: string }
export let bSavedView: { id: string }
export let bTrashedDeal: { id: string }

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
type Payload = Record<string, unknown>

function send(session: Session, method: Method, url: string, payload?: Payload, ws?: string) {
  const options: InjectOptions & { workspaceId?: string } = { method, url }
  if (payload) options.payload = payload
  if (ws) options.workspaceId = ws
  return session.request(options)
}

/** A request of A's owner in A's own workspace. */
export const asA = (method: Method, url: string, payload?: Payload) =>
  send(a.owner, method, url, payload)
/** A request of A's owner naming workspace B in X-Workspace-Id. */
export const asAInB = (method: Method, url: string, payload?: Payload) =>
  send(a.owner, method, url, payload, b.workspaceId)
/** A request of B's owner in B. */
export const asB = (method: Method, url: string, payload?: Payload) =>
  send(b.owner, method, url, payload, b.workspaceId)

export const inB = () => ({ workspaceId: b.workspaceId })
export const notFound = (response: { statusCode: number }) => expect(response.statusCode).toBe(404)

/** 400 whose message names `field` first, as every link to a record of another workspace is. */
export function refused(response: InjectResponse, field: string) {
  expect(response.statusCode, response.body).toBe(400)
  const message: string = response.json().error.message
  expect(message.startsWith(`${field}: `), message).toBe(true)
}

/** The ids of a list answer ({ data: [{ id }] }). */
export function idsOf(response: InjectResponse): string[] {
  expect(response.statusCode, response.body).toBe(200)
  return (response.json().data as { id: string }[]).map((row) => row.id)
}

async function created(response: Promise<InjectResponse>) {
  const done = await response
  if (done.statusCode !== 201) throw new Error(`setup failed: ${done.body}`)
  return done.json().data
}

/** Creates a record in A through the API and answers its id. */
export async function createInA(url: string, payload: Payload): Promise<string> {
  return (await created(asA('POST', url, payload))).id
}

type Kept =
  | 'accounts'
  | 'contacts'
  | 'teams'
  | 'products'
  | 'pipelines'
  | 'deals'
  | 'activities'
  | 'touchpoints'
  | 'campaigns'
  | 'campaignCosts'
  | 'customFieldDefinitions'
  | 'savedViews'

/** One row as stored (undefined when gone), to compare before and after A's attempt. */
export function rowOf(table: Kept, id: string) {
  return t.ctx.db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst()
}

/** Runs A's attempt and checks that B's row reads exactly the same afterwards. */
export async function keepsUnchanged(table: Kept, id: string, attempt: () => Promise<void>) {
  const before = await rowOf(table, id)
  expect(before).toBeDefined()
  await attempt()
  expect(await rowOf(table, id)).toEqual(before)
}

/** A deal with its stage history, buying group and line items, as stored. */
export async function dealState(id: string) {
  const db = t.ctx.db
  return {
    deal: await rowOf('deals', id),
    stages: await db.selectFrom('dealStageChanges').selectAll().where('dealId', '=', id).execute(),
    contacts: await db.selectFrom('dealContacts').selectAll().where('dealId', '=', id).execute(),
    items: await db.selectFrom('dealLineItems').selectAll().where('dealId', '=', id).execute(),
  }
}

/** A pipeline's stages as stored, in order. */
export function stagesOf(pipelineId: string) {
  return t.ctx.db
    .selectFrom('stages')
    .selectAll()
    .where('pipelineId', '=', pipelineId)
    .orderBy('position')
    .execute()
}

export async function bAccountName() {
  const row = await t.ctx.db
    .selectFrom('accounts')
    .select(['name', 'deletedAt'])
    .where('id', '=', bAccount.id)
    .executeTakeFirstOrThrow()
  return row.deletedAt ? 'deleted' : row.name
}

export const threeStages = [
  { name: 'Open', winProbability: 0.2 },
  { name: 'Won', winProbability: 1, isWon: true },
  { name: 'Lost', winProbability: 0, isLost: true },
]

const pipelineOf = (data: { id: string; stages: { id: string }[] }) => ({
  id: data.id,
  stageIds: data.stages.map((s) => s.id),
})

/** The app on a fresh database, workspaces A and B, and B's records. */
export async function buildWorld() {
  t = await createTestApp()
  a = await makeWorkspace(t, 'Workspace A')
  b = await makeWorkspace(t, 'Workspace B')
  bMember = await addMember(t, b.owner, b.workspaceId, 'sales')
  bKey = await makeApiKey(b.owner, b.workspaceId, 'admin')
  bInvitation = await created(
    asB('POST', '/api/v1/invitations', { email: 'b-invitee@example.com', role: 'viewer' }),
  )
  bAccount = await created(
    asB('POST', '/api/v1/accounts', { name: 'B Account', domain: 'b-account.example' }),
  )
  const personas = await asB('PUT', '/api/v1/personas', {
    personas: [
      { key: 'economic_buyer', label: 'Economic buyer' },
      { key: 'b_persona', label: 'B persona' },
    ],
  })
  if (personas.statusCode !== 200) throw new Error(`setup failed: ${personas.body}`)
  bContact = await created(
    asB('POST', '/api/v1/contacts', {
      email: 'b-contact@example.com',
      accountId: bAccount.id,
      persona: 'b_persona',
    }),
  )
  bTeam = await created(
    asB('POST', '/api/v1/teams', { name: 'B Team', memberIds: [bMember.userId] }),
  )
  bProduct = await created(asB('POST', '/api/v1/products', { name: 'B Product', price: 1000 }))
  const rates = await asB('PUT', '/api/v1/exchange-rates', {
    rates: [{ currency: 'CHF', rateToBase: 1.1 }],
  })
  if (rates.statusCode !== 200) throw new Error(`setup failed: ${rates.body}`)
  const pipelines = (await asB('GET', '/api/v1/pipelines')).json().data
  bDefaultPipeline = pipelineOf(pipelines[0])
  bPipeline = pipelineOf(
    await created(asB('POST', '/api/v1/pipelines', { name: 'B Pipeline', stages: threeStages })),
  )
  bCampaign = await created(
    asB('POST', '/api/v1/campaigns', { name: 'B Campaign', channel: 'email', type: 'newsletter' }),
  )
  bCost = await created(
    asB('POST', `/api/v1/campaigns/${bCampaign.id}/costs`, {
      incurredOn: '2026-01-01',
      amount: 100,
    }),
  )
  bCustomField = await created(
    asB('POST', '/api/v1/custom-fields', {
      entity: 'deal',
      key: 'b_field',
      label: 'B field',
      type: 'text',
    }),
  )
  bDeal = await created(
    asB('POST', '/api/v1/deals', {
      name: 'B Deal',
      accountId: bAccount.id,
      amount: 5000,
      ownerId: bMember.userId,
      sourceCampaignId: bCampaign.id,
      contacts: [{ contactId: bContact.id, isPrimary: true }],
      lineItems: [{ productId: bProduct.id, quantity: 2 }],
      custom: { b_field: 'secret' },
    }),
  )
  bActivity = await created(
    asB('POST', '/api/v1/activities', {
      type: 'call',
      subject: 'B call',
      contactId: bContact.id,
      dealId: bDeal.id,
    }),
  )
  bTouchpoint = await t.ctx.db
    .selectFrom('touchpoints')
    .select('id')
    .where('activityId', '=', bActivity.id)
    .executeTakeFirstOrThrow()
  bSavedView = await created(asB('POST', '/api/v1/saved-views', { entity: 'deal', name: 'B view' }))
  bTrashedDeal = await created(asB('POST', '/api/v1/deals', { name: 'B Trashed Deal' }))
  const trashed = await asB('DELETE', `/api/v1/deals/${bTrashedDeal.id}`)
  if (trashed.statusCode !== 204) throw new Error(`setup failed: ${trashed.body}`)
}
