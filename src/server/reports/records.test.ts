import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session, signUp } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { windowOf } from './records-filters.ts'

let t: TestApp
let admin: Session
let repA: Session
let repB: Session
let workspaceId: string
const id: Record<string, string> = {}

// Workspace in UTC. The range of every request below is 2026-01-01 – 2026-10-31 unless it says
// otherwise; records just outside it (Dec 2025, Nov 2026) are planted to prove the bounds.
const range = 'from=2026-01-01&to=2026-10-31'

async function get(query: string, by: Session = admin) {
  return by.request({ method: 'GET', url: `/api/v1/reports/records?${query}`, workspaceId })
}

async function records(query: string) {
  const response = await get(query)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data as {
    kind: string
    total: number
    description: string
    nextCursor: string | null
    rows: { id: string; link: string; [key: string]: unknown }[]
  }
}

const at = (iso: string) => new Date(iso)

async function account(name: string, employees: number | null) {
  const accountId = uuidv7()
  await t.ctx.db
    .insertInto('accounts')
    .values({ workspaceId, id: accountId, name, employees })
    .execute()
  return accountId
}

/** A contact, with a lead-creation touch of `channel` (and campaign) when given. */
async function contact(
  name: string,
  values: {
    accountId?: string | null
    ownerId?: string | null
    channel?: string
    campaignId?: string | null
    deleted?: boolean
  } = {},
) {
  const contactId = uuidv7()
  const touchId = uuidv7()
  const touchAt = at('2025-10-01T12:00:00Z')
  await t.ctx.db
    .insertInto('contacts')
    .values({
      workspaceId,
      id: contactId,
      firstName: name,
      lastName: 'Test',
      email: `${name.toLowerCase()}@example.com`,
      accountId: values.accountId ?? null,
      ownerId: values.ownerId ?? null,
      deletedAt: values.deleted ? at('2026-10-01T00:00:00Z') : null,
    })
    .execute()
  if (values.channel) {
    await t.ctx.db
      .insertInto('touchpoints')
      .values({
        workspaceId,
        occurredAt: touchAt,
        id: touchId,
        contactId,
        type: 'form_submit',
        channel: values.channel,
        campaignId: values.campaignId ?? null,
      })
      .execute()
    await t.ctx.db
      .updateTable('contacts')
      .set({ leadCreationTouchpointId: touchId, leadCreationAt: touchAt })
      .where('id', '=', contactId)
      .execute()
  }
  id[name] = contactId
  return contactId
}

async function touch(contactId: string, channel: string) {
  const touchId = uuidv7()
  await t.ctx.db
    .insertInto('touchpoints')
    .values({
      workspaceId,
      occurredAt: at('2026-01-15T12:00:00Z'),
      id: touchId,
      contactId,
      type: 'webinar',
      channel,
    })
    .execute()
  return touchId
}

async function handoff(
  name: string,
  created: string,
  values: Partial<{
    contactId: string
    ownerId: string | null
    teamId: string | null
    campaignId: string | null
    triggerTouchpointId: string | null
    segment: 'smb' | 'mid_market' | 'enterprise' | null
    status: 'open' | 'accepted' | 'rejected'
    rejectionReason: string | null
    decidedAt: string | null
    firstTouchAt: string | null
    quality: number | null
  }>,
) {
  const handoffId = uuidv7()
  const createdAt = at(created)
  const due = new Date(createdAt.getTime() + 4 * 3600_000)
  const { decidedAt, firstTouchAt, contactId, ...rest } = values
  await t.ctx.db
    .insertInto('handoffs')
    .values({
      workspaceId,
      id: handoffId,
      contactId: contactId ?? (await contact(`${name}-contact`)),
      mqlSource: 'manual',
      mqlReason: 'test',
      createdAt,
      firstTouchDueAt: due,
      decisionDueAt: new Date(createdAt.getTime() + 48 * 3600_000),
      escalateAt: new Date(createdAt.getTime() + 8 * 3600_000),
      decidedAt: decidedAt ? at(decidedAt) : null,
      firstTouchAt: firstTouchAt ? at(firstTouchAt) : null,
      rejectionOutcome: rest.rejectionReason ? 'recycle' : null,
      recycleOn: rest.rejectionReason ? '2026-12-31' : null,
      ...rest,
    })
    .execute()
  id[name] = handoffId
}

async function deal(
  name: string,
  closed: string | null,
  values: Partial<{
    stage: 'won' | 'lost'
    accountId: string | null
    ownerId: string | null
    sourceCampaignId: string | null
    lossReason: string | null
    lossCompetitor: string | null
    marketingCouldHelp: 'yes' | 'no' | 'unsure' | null
    primaryContactId: string
    deleted: boolean
  }>,
) {
  const dealId = uuidv7()
  const { stage, primaryContactId, deleted, ...rest } = values
  await t.ctx.db
    .insertInto('deals')
    .values({
      workspaceId,
      id: dealId,
      name,
      pipelineId: id.pipeline as string,
      stageId: (stage === 'won' ? id.won : stage === 'lost' ? id.lost : id.open) as string,
      amount: 100_000,
      currency: 'USD',
      closedAt: closed ? at(closed) : null,
      deletedAt: deleted ? at('2026-10-01T00:00:00Z') : null,
      ...rest,
    })
    .execute()
  if (primaryContactId) {
    await t.ctx.db
      .insertInto('dealContacts')
      .values({ workspaceId, dealId, contactId: primaryContactId, isPrimary: true })
      .execute()
  }
  id[name] = dealId
}

async function entry(contactId: string, stage: string, entered: string, isReentry = false) {
  await t.ctx.db
    .insertInto('lifecycleEntries')
    .values({
      workspaceId,
      id: uuidv7(),
      entity: 'contact',
      recordId: contactId,
      stage,
      enteredAt: at(entered),
      isReentry,
    })
    .execute()
}

async function tag(kind: 'objection' | 'competitor', name: string) {
  const tagId = uuidv7()
  await t.ctx.db.insertInto('feedbackTags').values({ workspaceId, id: tagId, kind, name }).execute()
  return tagId
}

async function link(tagId: string, entity: 'handoff' | 'deal', entityId: string) {
  await t.ctx.db
    .insertInto('feedbackTagLinks')
    .values({ workspaceId, tagId, entity, entityId })
    .execute()
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t))
  repA = await addMember(t, admin, workspaceId, 'sales')
  repB = await addMember(t, admin, workspaceId, 'sales')
  const db = t.ctx.db
  id.team = uuidv7()
  await db.insertInto('teams').values({ workspaceId, id: id.team, name: 'Inbound' }).execute()
  await db
    .insertInto('teamMembers')
    .values({ workspaceId, teamId: id.team, userId: repA.userId })
    .execute()
  for (const [key, name, channel] of [
    ['webinar', 'Webinar Q3', 'events'],
    ['ads', 'Search ads', 'paid_search'],
  ] as const) {
    id[key] = uuidv7()
    await db
      .insertInto('campaigns')
      .values({ workspaceId, id: id[key], name, channel, type: 'webinar', currency: 'USD' })
      .execute()
  }
  id.pipeline = uuidv7()
  await db.insertInto('pipelines').values({ workspaceId, id: id.pipeline, name: 'Sales' }).execute()
  for (const [key, position, isWon, isLost] of [
    ['open', 0, false, false],
    ['won', 1, true, false],
    ['lost', 2, false, true],
  ] as const) {
    id[key] = uuidv7()
    await db
      .insertInto('stages')
      .values({
        workspaceId,
        id: id[key],
        pipelineId: id.pipeline,
        name: key,
        position,
        winProbability: 0.5,
        isWon,
        isLost,
      })
      .execute()
  }
  const small = await account('Small Co', 50)
  const mid = await account('Mid Co', 500)
  const big = await account('Big Co', 5000)
  const objection = await tag('objection', 'Too expensive')
  const acme = await tag('competitor', 'Acme Corp')
  id.objection = objection

  // Handoffs. H1-H4 in range; H5 (Nov 2026) and H6 (Dec 2025) outside it.
  const h1Contact = await contact('H1c', { channel: 'events', campaignId: id.webinar })
  await handoff('H1', '2026-03-10T09:00:00Z', {
    contactId: h1Contact,
    ownerId: repA.userId,
    teamId: id.team,
    campaignId: id.webinar,
    triggerTouchpointId: await touch(h1Contact, 'events'),
    segment: 'smb',
    status: 'rejected',
    rejectionReason: 'no_budget',
    firstTouchAt: '2026-03-10T10:00:00Z', // within the 4 hours: met
    decidedAt: '2026-03-11T09:00:00Z',
    quality: 2,
  })
  // H2: no trigger touch; its contact's lead-creation touch is an events one. Untouched, rejected
  // after its window ended: missed.
  await handoff('H2', '2026-03-12T09:00:00Z', {
    contactId: await contact('H2c', { channel: 'events', campaignId: id.webinar }),
    ownerId: repA.userId,
    teamId: id.team,
    campaignId: id.webinar,
    segment: 'mid_market',
    status: 'rejected',
    rejectionReason: 'no_budget',
    decidedAt: '2026-03-13T09:00:00Z',
  })
  // H3: touched late (missed), accepted, rated; channel paid_search by lead creation.
  await handoff('H3', '2026-04-05T09:00:00Z', {
    contactId: await contact('H3c', { channel: 'paid_search', campaignId: id.ads }),
    ownerId: repB.userId,
    campaignId: id.ads,
    segment: 'enterprise',
    status: 'accepted',
    firstTouchAt: '2026-04-05T15:00:00Z',
    decidedAt: '2026-04-06T09:00:00Z',
    quality: 4,
  })
  // H4: unassigned, no campaign, no channel, no segment, open and untouched: unworked.
  await handoff('H4', '2026-05-01T09:00:00Z', {})
  await handoff('H5', '2026-11-20T09:00:00Z', { ownerId: repA.userId })
  await handoff('H6', '2025-12-31T23:00:00Z', { ownerId: repA.userId })
  await link(objection, 'handoff', id.H1 as string)

  // Deals. D1-D3 closed in range; D4 open, D5 deleted, D6 closed before the range.
  await deal('D1', '2026-02-01T12:00:00Z', {
    stage: 'won',
    accountId: small,
    ownerId: repA.userId,
    sourceCampaignId: id.webinar,
    primaryContactId: h1Contact,
  })
  await deal('D2', '2026-06-15T12:00:00Z', {
    stage: 'lost',
    accountId: big,
    ownerId: repB.userId,
    lossReason: 'competitor',
    lossCompetitor: 'ACME corp',
    marketingCouldHelp: 'yes',
  })
  await deal('D3', '2026-07-01T12:00:00Z', {
    stage: 'lost',
    lossReason: 'price',
    marketingCouldHelp: 'unsure',
  })
  await deal('D4', null, { accountId: small })
  await deal('D5', '2026-08-01T12:00:00Z', { stage: 'lost', lossReason: 'price', deleted: true })
  await deal('D6', '2025-12-01T12:00:00Z', { stage: 'lost', lossReason: 'price' })
  await link(objection, 'deal', id.D2 as string)
  await link(acme, 'deal', id.D3 as string)

  // Lifecycle: K1-K3 entered mql in range (K2 also re-entered: counted once); K4 before it; K5
  // deleted; K6 merged into another contact.
  const k1 = await contact('K1', {
    accountId: small,
    ownerId: repA.userId,
    channel: 'events',
    campaignId: id.webinar,
  })
  const k2 = await contact('K2', {
    accountId: mid,
    ownerId: repB.userId,
    channel: 'paid_search',
    campaignId: id.ads,
  })
  const k3 = await contact('K3')
  const k4 = await contact('K4', { accountId: small })
  const k5 = await contact('K5', { deleted: true })
  await entry(k1, 'mql', '2026-02-01T12:00:00Z')
  await entry(k1, 'sql', '2026-03-01T12:00:00Z') // within 90 days: reached
  await entry(k2, 'mql', '2026-02-10T12:00:00Z')
  await entry(k2, 'mql', '2026-06-01T12:00:00Z', true)
  await entry(k2, 'sql', '2026-08-01T12:00:00Z') // 172 days after its first entry: not reached
  await entry(k3, 'mql', '2026-05-05T12:00:00Z')
  await entry(k4, 'mql', '2025-11-01T12:00:00Z')
  await entry(k5, 'mql', '2026-04-01T12:00:00Z')
  const k6 = await contact('K6')
  await t.ctx.db.updateTable('contacts').set({ mergedInto: k1 }).where('id', '=', k6).execute()
  await entry(k6, 'mql', '2026-04-02T12:00:00Z')
})

afterAll(async () => {
  await t?.close()
})

const ids = (data: { rows: { id: string }[] }) => data.rows.map((row) => row.id).sort()
const named = (...names: string[]) => names.map((name) => id[name] as string).sort()

describe('GET /api/v1/reports/records?kind=handoffs', () => {
  it('lists the handoffs created in the range, newest first, with links and a description', async () => {
    const data = await records(`kind=handoffs&${range}`)
    expect(data.total).toBe(4)
    expect(data.rows.map((row) => row.id)).toEqual(['H4', 'H3', 'H2', 'H1'].map((name) => id[name]))
    expect(data.nextCursor).toBeNull()
    expect(data.description).toBe('Handoffs created 2026-01-01 – 2026-10-31')
    const h1 = data.rows.find((row) => row.id === id.H1)
    expect(h1).toMatchObject({
      link: `/microscope/inbox/${id.H1}`,
      contact: { id: id.H1c, name: 'H1c Test', email: 'h1c@example.com' },
      owner: { id: repA.userId },
      campaign: { id: id.webinar, name: 'Webinar Q3' },
      status: 'rejected',
      rejectionReason: 'no_budget',
      quality: 2,
      slaState: 'met',
      firstTouchAt: '2026-03-10T10:00:00.000Z',
    })
    expect(data.rows.find((row) => row.id === id.H4)).toMatchObject({
      owner: null,
      campaign: null,
      slaState: 'missed',
    })
  })

  it.each([
    ['campaignId=webinar', ['H1', 'H2']],
    ['campaignId=none', ['H4']],
    ['channel=events', ['H1', 'H2']],
    ['channel=paid_search', ['H3']],
    ['channel=none', ['H4']],
    ['segment=smb', ['H1']],
    ['segment=none', ['H4']],
    ['ownerId=repA', ['H1', 'H2']],
    ['ownerId=none', ['H4']],
    ['teamId=team', ['H1', 'H2']],
    ['status=open', ['H4']],
    ['status=accepted', ['H3']],
    ['status=decided', ['H1', 'H2', 'H3']],
    ['reason=no_budget', ['H1', 'H2']],
    ['reason=not_icp', []],
    ['sla=met', ['H1']],
    ['sla=missed', ['H2', 'H3', 'H4']],
    ['sla=unworked', ['H4']],
    ['rated=yes', ['H1', 'H3']],
    ['rated=no', ['H2', 'H4']],
    ['tagId=objection', ['H1']],
    ['month=2026-03', ['H1', 'H2']],
    ['month=2026-11', []],
    ['campaignId=webinar&reason=no_budget&sla=missed', ['H2']],
  ])('filters by %s', async (filter, expected) => {
    const query = filter.replace(/=(webinar|repA|team|objection)/g, (_m, key: string) =>
      key === 'repA' ? `=${repA.userId}` : `=${id[key]}`,
    )
    const data = await records(`kind=handoffs&${range}&${query}`)
    expect(data.total).toBe(expected.length)
    expect(ids(data)).toEqual(named(...expected))
  })

  it('describes the filter in plain words', async () => {
    const data = await records(
      `kind=handoffs&${range}&campaignId=${id.webinar}&status=rejected&reason=no_budget&ownerId=${repA.userId}`,
    )
    expect(data.description).toBe(
      `Handoffs created 2026-01-01 – 2026-10-31, campaign “Webinar Q3”, owner ${repA.email.split('@')[0]}, rejected as no_budget`,
    )
  })

  it('pages with a cursor, newest first, without repeats, the total on every page', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    for (let page = 0; page < 5; page++) {
      const data = await records(
        `kind=handoffs&${range}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      )
      expect(data.total).toBe(4)
      seen.push(...data.rows.map((row) => row.id))
      cursor = data.nextCursor
      if (!cursor) break
    }
    expect(seen).toEqual(['H4', 'H3', 'H2', 'H1'].map((name) => id[name]))
  })
})

describe('GET /api/v1/reports/records?kind=deals', () => {
  it('lists the deals closed in the range (not open, deleted or earlier ones)', async () => {
    const data = await records(`kind=deals&${range}`)
    expect(data.total).toBe(3)
    expect(data.rows.map((row) => row.id)).toEqual([id.D3, id.D2, id.D1])
    expect(data.rows[1]).toMatchObject({
      name: 'D2',
      account: { name: 'Big Co' },
      owner: { id: repB.userId },
      amount: 100_000,
      currency: 'USD',
      closedAt: '2026-06-15T12:00:00.000Z',
      outcome: 'lost',
      lossReason: 'competitor',
      lossCompetitor: 'ACME corp',
      marketingCouldHelp: 'yes',
      link: `/microscope/deals/${id.D2}`,
    })
    expect(data.description).toBe('Deals closed 2026-01-01 – 2026-10-31')
  })

  it.each([
    ['outcome=won', ['D1']],
    ['outcome=lost', ['D2', 'D3']],
    ['lossReason=price', ['D3']],
    ['competitor=acme%20corp', ['D2', 'D3']],
    ['competitor=Other', []],
    ['marketingCouldHelp=known', ['D2']],
    ['marketingCouldHelp=unsure', ['D3']],
    ['campaignId=webinar', ['D1']],
    ['campaignId=none', ['D2', 'D3']],
    ['channel=events', ['D1']],
    ['channel=none', ['D2', 'D3']],
    ['segment=enterprise', ['D2']],
    ['segment=none', ['D3']],
    ['ownerId=repB', ['D2']],
    ['tagId=objection', ['D2']],
    ['month=2026-06', ['D2']],
  ])('filters by %s', async (filter, expected) => {
    const query = filter.replace(/=(webinar|repB|objection)/g, (_m, key: string) =>
      key === 'repB' ? `=${repB.userId}` : `=${id[key]}`,
    )
    const data = await records(`kind=deals&${range}&${query}`)
    expect(data.total).toBe(expected.length)
    expect(ids(data)).toEqual(named(...expected))
  })
})

describe('GET /api/v1/reports/records?kind=contacts', () => {
  it('lists the contacts that entered the stage in the range, each once', async () => {
    const data = await records(`kind=contacts&stage=mql&${range}`)
    expect(data.total).toBe(3)
    expect(data.rows.map((row) => row.id)).toEqual([id.K3, id.K2, id.K1])
    expect(data.rows[1]).toMatchObject({
      name: 'K2 Test',
      email: 'k2@example.com',
      account: { name: 'Mid Co' },
      enteredAt: '2026-02-10T12:00:00.000Z',
      reachedAt: null,
      link: `/microscope/contacts/${id.K2}`,
    })
    expect(data.description).toBe('Contacts that entered mql 2026-01-01 – 2026-10-31')
  })

  it('tells who reached a later stage within 90 days, and when', async () => {
    const reached = await records(`kind=contacts&stage=mql&reached=sql&${range}`)
    expect(reached.total).toBe(1)
    expect(reached.rows[0]).toMatchObject({ id: id.K1, reachedAt: '2026-03-01T12:00:00.000Z' })
    const notReached = await records(`kind=contacts&stage=mql&notReached=sql&${range}`)
    expect(ids(notReached)).toEqual(named('K2', 'K3'))
  })

  it.each([
    ['campaignId=webinar', ['K1']],
    ['campaignId=none', ['K3']],
    ['channel=paid_search', ['K2']],
    ['segment=mid_market', ['K2']],
    ['segment=none', ['K3']],
    ['teamId=team', ['K1']],
    ['month=2026-02', ['K1', 'K2']],
    ['month=2026-06', []], // K2's re-entry is not an entry of the cohort (as in the funnel)
  ])('filters by %s', async (filter, expected) => {
    const query = filter.replace(/=(webinar|team)/g, (_m, key: string) => `=${id[key]}`)
    const data = await records(`kind=contacts&stage=mql&${range}&${query}`)
    expect(data.total).toBe(expected.length)
    expect(ids(data)).toEqual(named(...expected))
  })

  it('answers an empty list for a stage nobody entered', async () => {
    const data = await records(`kind=contacts&stage=evangelist&${range}`)
    expect(data).toMatchObject({ total: 0, rows: [], nextCursor: null })
  })
})

describe('bad input and permissions', () => {
  it.each([
    ['kind=things', /kind/],
    ['', /kind/],
    ['kind=contacts', /^stage: /],
    ['kind=handoffs&campaignId=abc', /campaignId/],
    ['kind=handoffs&ownerId=12', /ownerId/],
    ['kind=handoffs&tagId=none', /tagId/],
    ['kind=handoffs&limit=500', /limit/],
    ['kind=handoffs&limit=0', /limit/],
    ['kind=handoffs&from=2026-05-01&to=2026-04-01', /^to: /],
    ['kind=handoffs&from=2020-01-01&to=2026-04-01', /^to: /],
    ['kind=handoffs&from=2026-13-01', /from/],
    ['kind=handoffs&month=2026-13', /month/],
    ['kind=handoffs&sla=late', /sla/],
    ['kind=deals&status=open', /^status: /],
    ['kind=handoffs&outcome=won', /^outcome: /],
    ['kind=contacts&stage=mql&reached=lead', /^reached: /],
    ['kind=contacts&stage=mql&reached=sql&notReached=customer', /^notReached: /],
    ['kind=contacts&stage=unknown', /stage/],
    ['kind=handoffs&cursor=nonsense', /cursor/],
    [`kind=handoffs&cursor=${Buffer.from('{"t":"x","id":"y"}').toString('base64url')}`, /cursor/],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    const response = await get(query)
    expect(response.statusCode, response.body).toBe(400)
    expect(response.json().error.message).toMatch(field)
  })

  it('answers 401 without a session and 404 for a workspace one is not a member of', async () => {
    const anonymous = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reports/records?kind=handoffs',
    })
    expect(anonymous.statusCode).toBe(401)
    const stranger = await signUp(t.app)
    expect((await get('kind=handoffs', stranger)).statusCode).toBe(404)
  })

  it('lets a sales rep read the records (records:read)', async () => {
    const response = await get(`kind=handoffs&${range}&ownerId=${repB.userId}`, repB)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.total).toBe(1)
  })
})

describe('windowOf', () => {
  const range = {
    from: '2026-02-15',
    to: '2026-04-10',
    start: new Date('2026-02-15T05:00:00Z'),
    end: new Date('2026-04-11T04:00:00Z'),
    timeZone: 'America/New_York',
  }

  it('narrows the range to a month of the workspace time zone', () => {
    expect(windowOf(range, '2026-03')).toEqual({
      start: new Date('2026-03-01T05:00:00Z'),
      end: new Date('2026-04-01T04:00:00Z'),
    })
    // A month cut by the range keeps only its days inside it.
    expect(windowOf(range, '2026-02')).toEqual({
      start: range.start,
      end: new Date('2026-03-01T05:00:00Z'),
    })
  })

  it('leaves an empty window for a month outside the range', () => {
    const window = windowOf(range, '2026-06')
    expect(window.end.getTime()).toBe(window.start.getTime())
  })
})
