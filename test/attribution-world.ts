import { randomUUID } from 'node:crypto'
import type { Session } from './factories.ts'
import type { TestApp } from './harness.ts'

export const day = 86_400_000
export const t0 = Date.parse('2026-06-01T12:00:00Z')
export const at = (days: number) => new Date(t0 + days * day)

export const journeyIds = () => ({
  account: randomUUID(),
  c1: randomUUID(),
  c2: randomUUID(),
  c3: randomUUID(),
  c4: randomUUID(),
  spring: randomUUID(),
  webinar: randomUUID(),
  organic: randomUUID(),
  email: randomUUID(),
  bot: randomUUID(),
  talk: randomUUID(),
  paid: randomUUID(),
  won: randomUUID(),
  lost: randomUUID(),
  noTouch: randomUUID(),
  open: randomUUID(),
})

/**
 * Planted journeys of issue 12's tests.
 * Acme (account) with c1 (primary contact: an organic visit 200 days before the win, the spring
 * email that made them a lead 30 days before, a bot click 20 days before) and c2 (a webinar 10
 * days before); c3 without an account (a paid click 5 days before); c4 never touched. Deals: Acme
 * won at t0 (10,000), c3's lost, c4's won (5,000, no touch), Acme's open one (7,000).
 */
export async function plantJourneys(t: TestApp, admin: Session, workspaceId: string) {
  const ids = journeyIds()
  const db = t.ctx.db
  // The workspace's default pipeline is made when its pipelines are first listed.
  await admin.request({ method: 'GET', url: '/api/v1/pipelines', workspaceId })
  const stages = await db
    .selectFrom('stages')
    .select(['id', 'pipelineId', 'isWon', 'isLost', 'position'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('position')
    .execute()
  const won = stages.find((s) => s.isWon)
  const lost = stages.find((s) => s.isLost)
  const open = stages.find((s) => !s.isWon && !s.isLost)
  if (!won || !lost || !open) throw new Error('the default pipeline has no won, lost or open stage')
  await db.insertInto('accounts').values({ workspaceId, id: ids.account, name: 'Acme' }).execute()
  await db
    .insertInto('campaigns')
    .values([
      {
        workspaceId,
        id: ids.spring,
        name: 'Spring email',
        channel: 'email',
        type: 'email',
        currency: 'USD',
      },
      {
        workspaceId,
        id: ids.webinar,
        name: 'Webinar',
        channel: 'events',
        type: 'webinar',
        currency: 'USD',
      },
    ])
    .execute()
  await db
    .insertInto('contacts')
    .values([
      { workspaceId, id: ids.c1, email: 'c1@acme.example', accountId: ids.account },
      { workspaceId, id: ids.c2, email: 'c2@acme.example', accountId: ids.account },
      { workspaceId, id: ids.c3, email: 'c3@solo.example' },
      { workspaceId, id: ids.c4, email: 'c4@quiet.example' },
    ])
    .execute()
  const touch = (
    id: string,
    contactId: string,
    days: number,
    channel: string,
    campaignId: string | null = null,
    isBot = false,
  ) => ({
    workspaceId,
    id,
    contactId,
    accountId: contactId === ids.c1 || contactId === ids.c2 ? ids.account : null,
    occurredAt: at(days),
    type: 'page_view',
    channel,
    campaignId,
    isBot,
  })
  await db
    .insertInto('touchpoints')
    .values([
      touch(ids.organic, ids.c1, -200, 'organic_search'),
      touch(ids.email, ids.c1, -30, 'email', ids.spring),
      touch(ids.bot, ids.c1, -20, 'paid_search', null, true),
      touch(ids.talk, ids.c2, -10, 'events', ids.webinar),
      touch(ids.paid, ids.c3, -5, 'paid_search'),
    ])
    .execute()
  await db
    .updateTable('contacts')
    .set({ leadCreationTouchpointId: ids.email })
    .where('id', '=', ids.c1)
    .execute()
  await db
    .insertInto('lifecycleEntries')
    .values([
      {
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: ids.c1,
        stage: 'lead',
        enteredAt: at(-30),
      },
      {
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: ids.c1,
        stage: 'mql',
        enteredAt: at(-25),
      },
      {
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: ids.c3,
        stage: 'lead',
        enteredAt: at(-5),
      },
    ])
    .execute()
  const deal = (
    id: string,
    name: string,
    stage: typeof won,
    created: number,
    closed: number | null,
    amount: number,
    accountId: string | null,
  ) => ({
    workspaceId,
    id,
    name,
    accountId,
    pipelineId: stage.pipelineId,
    stageId: stage.id,
    amount,
    currency: 'USD',
    createdAt: at(created),
    closedAt: closed === null ? null : at(closed),
  })
  await db
    .insertInto('deals')
    .values([
      deal(ids.won, 'Acme robots', won, -15, 0, 10_000, ids.account),
      deal(ids.lost, 'Solo robots', lost, -3, -1, 4_000, null),
      deal(ids.noTouch, 'Quiet robots', won, -8, 0, 5_000, null),
      deal(ids.open, 'Acme more robots', open, -12, null, 7_000, ids.account),
    ])
    .execute()
  await db
    .insertInto('dealContacts')
    .values([
      { workspaceId, dealId: ids.won, contactId: ids.c1, isPrimary: true },
      { workspaceId, dealId: ids.lost, contactId: ids.c3, isPrimary: true },
      { workspaceId, dealId: ids.noTouch, contactId: ids.c4, isPrimary: true },
      { workspaceId, dealId: ids.open, contactId: ids.c1, isPrimary: true },
    ])
    .execute()
  return ids
}
