import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let admin: Session
let viewer: Session
let workspaceId: string
const id: Record<string, string> = {}

// The workspace is in Europe/Paris (UTC+1 in winter): months and day bounds are Paris's, so H2,
// created 2026-01-31 23:30 UTC, is a February handoff, and H6 (2025-12-31 22:30 UTC) and D6
// (2026-03-31 22:30 UTC) fall outside 2026-01-01 – 2026-03-31.
//
// Handoffs (campaign, channel, segment, created, status, reason, quality):
//   H1 C1 paid_search (trigger)   smb         Jan 10  rejected no_budget   2
//   H2 C1 paid_search (trigger)   smb         Feb 1*  rejected no_budget   –
//   H3 C1 email (contact's LC)    mid_market  Feb 3   accepted             4
//   H4 C2 none                    none        Feb 20  rejected bad_timing  5
//   H5 –  paid_search (trigger)   enterprise  Mar 5   open                 –
//   H6 C1 (out of range)                      Dec 31  rejected no_budget   3
// Deals (source campaign, account → segment, primary contact's LC channel, closed, outcome):
//   D1 C1 A1 smb        paid_search  Jan 20  lost competitor "Acme CRM"   yes
//   D2 C1 A2 enterprise none         Feb 10  lost competitor "acme crm"   no
//   D3 –  –  none       none         Mar 1   lost competitor "Acme CRM"   unsure
//   D4 C2 A1 smb        none         Feb 25  lost poor_fit_walked_away    no
//   D5 C1 A1            none         Feb 1   won
//   D6 C1 A1            (out of range) Apr 1 lost price                   yes
const range = 'from=2026-01-01&to=2026-03-31'
const url = (query: string) => `/api/v1/reports/voice-of-sales?${query}`

async function get(by: Session, query: string) {
  return by.request({ method: 'GET', url: url(query), workspaceId })
}

async function report(query: string) {
  const response = await get(admin, query)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

/** The number of records the drill-down finds behind a report link. */
async function drillTotal(link: string) {
  const response = await admin.request({
    method: 'GET',
    url: link.replace('/bridge/records?', '/api/v1/reports/records?'),
    workspaceId,
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.total as number
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t))
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  const db = t.ctx.db
  await db
    .updateTable('workspaces')
    .set({ timeZone: 'Europe/Paris' })
    .where('id', '=', workspaceId)
    .execute()
  const ws = { workspaceId }
  for (const [key, name] of [
    ['C1', 'Webinar Q1 with a rather long name'],
    ['C2', 'Ebook'],
  ] as const) {
    id[key] = randomUUID()
    await db
      .insertInto('campaigns')
      .values({ ...ws, id: id[key], name, channel: 'events', type: 'webinar', currency: 'EUR' })
      .execute()
  }
  for (const [key, employees] of [
    ['A1', 50],
    ['A2', 5000],
  ] as const) {
    id[key] = randomUUID()
    await db
      .insertInto('accounts')
      .values({ ...ws, id: id[key], name: key, employees })
      .execute()
  }

  /** A contact, with a lead-creation touch of `channel` when given. */
  async function contact(key: string, channel?: string) {
    id[key] = randomUUID()
    await db
      .insertInto('contacts')
      .values({ ...ws, id: id[key], email: `${key.toLowerCase()}@example.com` })
      .execute()
    if (!channel) return
    const touch = randomUUID()
    const at = new Date('2025-11-01T10:00:00Z')
    await db
      .insertInto('touchpoints')
      .values({
        ...ws,
        id: touch,
        occurredAt: at,
        contactId: id[key],
        type: 'form_submit',
        channel,
      })
      .execute()
    await db
      .updateTable('contacts')
      .set({ leadCreationTouchpointId: touch, leadCreationAt: at })
      .where('id', '=', id[key])
      .execute()
  }

  const handoffs = [
    ['H1', 'C1', 'paid_search', 'smb', '2026-01-10T10:00:00Z', 'rejected', 'no_budget', 2],
    ['H2', 'C1', 'paid_search', 'smb', '2026-01-31T23:30:00Z', 'rejected', 'no_budget', null],
    ['H3', 'C1', null, 'mid_market', '2026-02-03T10:00:00Z', 'accepted', null, 4],
    ['H4', 'C2', null, null, '2026-02-20T10:00:00Z', 'rejected', 'bad_timing', 5],
    ['H5', null, 'paid_search', 'enterprise', '2026-03-05T10:00:00Z', 'open', null, null],
    ['H6', 'C1', null, null, '2025-12-31T22:30:00Z', 'rejected', 'no_budget', 3],
  ] as const
  for (const [key, campaign, trigger, segment, created, status, reason, quality] of handoffs) {
    await contact(`${key}-contact`, key === 'H3' ? 'email' : undefined)
    const createdAt = new Date(created)
    let triggerTouchpointId: string | null = null
    if (trigger) {
      triggerTouchpointId = randomUUID()
      await db
        .insertInto('touchpoints')
        .values({
          ...ws,
          id: triggerTouchpointId,
          occurredAt: createdAt,
          contactId: id[`${key}-contact`] as string,
          type: 'form_submit',
          channel: trigger,
        })
        .execute()
    }
    id[key] = randomUUID()
    await db
      .insertInto('handoffs')
      .values({
        ...ws,
        id: id[key],
        contactId: id[`${key}-contact`] as string,
        campaignId: campaign ? (id[campaign] as string) : null,
        triggerTouchpointId,
        mqlSource: 'manual',
        mqlReason: 'Asked for a demo',
        segment,
        status,
        createdAt,
        firstTouchDueAt: createdAt,
        decisionDueAt: createdAt,
        escalateAt: createdAt,
        decidedAt: status === 'open' ? null : createdAt,
        rejectionReason: reason,
        rejectionOutcome: reason ? 'disqualify' : null,
        quality,
      })
      .execute()
  }

  // Listing the pipelines makes the workspace's default pipeline (with its won and lost stages).
  const pipelines = await admin.request({ method: 'GET', url: '/api/v1/pipelines', workspaceId })
  expect(pipelines.statusCode, pipelines.body).toBe(200)
  const stages = await db
    .selectFrom('stages')
    .select(['id', 'pipelineId', 'isWon', 'isLost'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  const lost = stages.find((s) => s.isLost)
  const won = stages.find((s) => s.isWon)
  if (!lost || !won) throw new Error('the default pipeline has no won or lost stage')
  await contact('D1-contact', 'paid_search')
  const deals = [
    ['D1', 'C1', 'A1', '2026-01-20T10:00:00Z', lost, 'competitor', 'Acme CRM', 'yes'],
    ['D2', 'C1', 'A2', '2026-02-10T10:00:00Z', lost, 'competitor', 'acme crm', 'no'],
    ['D3', null, null, '2026-03-01T10:00:00Z', lost, 'competitor', 'Acme CRM', 'unsure'],
    ['D4', 'C2', 'A1', '2026-02-25T10:00:00Z', lost, 'poor_fit_walked_away', null, 'no'],
    ['D5', 'C1', 'A1', '2026-02-01T10:00:00Z', won, null, null, null],
    ['D6', 'C1', 'A1', '2026-03-31T22:30:00Z', lost, 'price', null, 'yes'],
  ] as const
  for (const [key, campaign, account, closed, stage, reason, competitor, couldHelp] of deals) {
    id[key] = randomUUID()
    await db
      .insertInto('deals')
      .values({
        ...ws,
        id: id[key],
        name: key,
        pipelineId: stage.pipelineId,
        stageId: stage.id,
        currency: 'EUR',
        accountId: account ? (id[account] as string) : null,
        sourceCampaignId: campaign ? (id[campaign] as string) : null,
        closedAt: new Date(closed),
        lossReason: reason,
        lossCompetitor: competitor,
        marketingCouldHelp: couldHelp,
      })
      .execute()
  }
  await db
    .insertInto('dealContacts')
    .values({
      ...ws,
      dealId: id.D1 as string,
      contactId: id['D1-contact'] as string,
      isPrimary: true,
    })
    .execute()

  // Activities: X1 created in February, X2 in November (outside the range).
  for (const [key, created] of [
    ['X1', '2026-02-12T10:00:00Z'],
    ['X2', '2026-11-02T10:00:00Z'],
  ] as const) {
    id[key] = randomUUID()
    await db
      .insertInto('activities')
      .values({ ...ws, id: id[key], type: 'call', subject: key, createdAt: new Date(created) })
      .execute()
  }

  // Tags. Competitors: "ACME crm" on H1, X1 and H6 (out of range); "Rival" on D4.
  // Objections: "Too expensive" on H1, H2, D1, X1, X2 (out of range); "Needs SSO" on D2;
  // "Out of range" on H6 only; T01…T11 on H3 each.
  const tags: [string, 'objection' | 'competitor', string[]][] = [
    ['ACME crm', 'competitor', ['H1', 'X1', 'H6']],
    ['Rival', 'competitor', ['D4']],
    ['Too expensive', 'objection', ['H1', 'H2', 'D1', 'X1', 'X2']],
    ['Needs SSO', 'objection', ['D2']],
    ['Out of range', 'objection', ['H6']],
    ...Array.from(
      { length: 11 },
      (_, i) =>
        [`T${String(i + 1).padStart(2, '0')}`, 'objection', ['H3']] as [
          string,
          'objection',
          string[],
        ],
    ),
  ]
  for (const [name, kind, on] of tags) {
    id[name] = randomUUID()
    await db
      .insertInto('feedbackTags')
      .values({ ...ws, id: id[name], kind, name })
      .execute()
    for (const key of on) {
      const entity = key.startsWith('H') ? 'handoff' : key.startsWith('D') ? 'deal' : 'activity'
      await db
        .insertInto('feedbackTagLinks')
        .values({ ...ws, tagId: id[name], entity, entityId: id[key] as string })
        .execute()
    }
  }
})

afterAll(async () => {
  await t?.close()
})

const pick = <T extends Record<string, unknown>>(rows: T[], keys: (keyof T)[]) =>
  rows.map((row) => Object.fromEntries(keys.map((k) => [k, row[k]])))

describe('voice of sales', () => {
  it('counts rejections, losses, quality and trends over the range, ungrouped', async () => {
    const data = await report(range)
    expect(data).toMatchObject({
      from: '2026-01-01',
      to: '2026-03-31',
      timeZone: 'Europe/Paris',
      groupBy: null,
    })
    // 4 decided (H1-H4): no_budget 2 ÷ 4, bad_timing 1 ÷ 4.
    expect(pick(data.rejections, ['group', 'reason', 'count', 'decided', 'share'])).toEqual([
      { group: null, reason: 'no_budget', count: 2, decided: 4, share: 0.5 },
      { group: null, reason: 'bad_timing', count: 1, decided: 4, share: 0.25 },
    ])
    // 4 losses: competitor 3, poor fit 1 (flagged a good outcome).
    expect(pick(data.losses, ['group', 'reason', 'count', 'share', 'goodOutcome'])).toEqual([
      { group: null, reason: 'competitor', count: 3, share: 0.75, goodOutcome: false },
      { group: null, reason: 'poor_fit_walked_away', count: 1, share: 0.25, goodOutcome: true },
    ])
    expect(
      pick(data.marketingCouldHelp, ['group', 'losses', 'yes', 'no', 'unsure', 'unanswered']),
    ).toEqual([{ group: null, losses: 4, yes: 1, no: 2, unsure: 1, unanswered: 0 }])
    // Ratings 2, 4, 5 of H1-H5; H2 and H5 unrated.
    expect(data.quality).toHaveLength(1)
    expect(data.quality[0]).toMatchObject({
      group: null,
      rated: 3,
      unrated: 2,
      distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 },
    })
    expect(data.quality[0].average).toBeCloseTo(11 / 3)
    // Paris months: H2 is February's. Feb ties no_budget/bad_timing at 1: alphabetical first.
    expect(
      pick(data.trends, ['month', 'decided', 'rejected', 'rejectionRate', 'losses', 'topReason']),
    ).toEqual([
      {
        month: '2026-01',
        decided: 1,
        rejected: 1,
        rejectionRate: 1,
        losses: 1,
        topReason: 'no_budget',
      },
      {
        month: '2026-02',
        decided: 3,
        rejected: 2,
        rejectionRate: 2 / 3,
        losses: 2,
        topReason: 'bad_timing',
      },
      {
        month: '2026-03',
        decided: 0,
        rejected: 0,
        rejectionRate: null,
        losses: 1,
        topReason: null,
      },
    ])
  })

  it('merges competitor names case-insensitively and counts tag mentions in range', async () => {
    const data = await report(range)
    // Losses "Acme CRM" ×2 and "acme crm" ×1 → "Acme CRM" 3; tag "ACME crm" on H1 and X1 (H6 is
    // outside the range) → 2 mentions; "Rival" on D4 → 1 mention, no loss.
    expect(pick(data.competitors, ['name', 'losses', 'mentions'])).toEqual([
      { name: 'Acme CRM', losses: 3, mentions: 2 },
      { name: 'Rival', losses: 0, mentions: 1 },
    ])
    expect(await drillTotal(data.competitors[0].link)).toBe(3)
  })

  it('lists the top ten objections by tagged records of the range', async () => {
    const data = await report(range)
    expect(data.objections).toHaveLength(10)
    expect(data.objections[0]).toMatchObject({
      tag: { id: id['Too expensive'], name: 'Too expensive' },
      count: 4,
      activities: 1,
      handoffs: 2,
      deals: 1,
    })
    expect(data.objections.map((o: { tag: { name: string } }) => o.tag.name)).toEqual([
      'Too expensive',
      'Needs SSO',
      'T01',
      'T02',
      'T03',
      'T04',
      'T05',
      'T06',
      'T07',
      'T08',
    ])
    expect(data.objections[1]).toMatchObject({ count: 1, deals: 1, handoffs: 0 })
    expect(await drillTotal(data.objections[0].links.handoffs)).toBe(2)
    expect(await drillTotal(data.objections[1].link)).toBe(1)
  })

  it('groups by campaign: the handoff’s campaign and the deal’s source campaign', async () => {
    const data = await report(`${range}&groupBy=campaign`)
    const c1 = { key: id.C1, label: 'Webinar Q1 with a rather long name' }
    const c2 = { key: id.C2, label: 'Ebook' }
    const none = { key: 'none', label: 'No campaign' }
    // C1 decided 3 (H1-H3), C2 decided 1 (H4); no campaign: H5 open, no rejection.
    expect(pick(data.rejections, ['group', 'reason', 'count', 'share'])).toEqual([
      { group: c1, reason: 'no_budget', count: 2, share: 2 / 3 },
      { group: c2, reason: 'bad_timing', count: 1, share: 1 },
    ])
    expect(pick(data.losses, ['group', 'reason', 'count', 'share'])).toEqual([
      { group: c1, reason: 'competitor', count: 2, share: 1 },
      { group: c2, reason: 'poor_fit_walked_away', count: 1, share: 1 },
      { group: none, reason: 'competitor', count: 1, share: 1 },
    ])
    expect(pick(data.quality, ['group', 'rated', 'unrated', 'average'])).toEqual([
      { group: c1, rated: 2, unrated: 1, average: 3 },
      { group: c2, rated: 1, unrated: 0, average: 5 },
      { group: none, rated: 0, unrated: 1, average: null },
    ])
    expect(data.rejections[0].link).toBe(
      `/bridge/records?kind=handoffs&${range}&status=rejected&reason=no_budget&campaignId=${id.C1}`,
    )
    // Each link finds exactly the records counted.
    expect(await drillTotal(data.rejections[0].link)).toBe(2)
    expect(await drillTotal(data.losses[0].link)).toBe(2)
    expect(await drillTotal(data.losses[2].link)).toBe(1)
    expect(await drillTotal(data.quality[2].unratedLink)).toBe(1)
  })

  it('groups by channel: trigger touch, else the contact’s lead-creation touch', async () => {
    const data = await report(`${range}&groupBy=channel`)
    const paid = { key: 'paid_search', label: 'paid_search' }
    const none = { key: 'none', label: 'No channel' }
    // paid_search: H1, H2 decided (H5 open); email: H3 accepted; none: H4.
    expect(pick(data.rejections, ['group', 'reason', 'count', 'share'])).toEqual([
      { group: paid, reason: 'no_budget', count: 2, share: 1 },
      { group: none, reason: 'bad_timing', count: 1, share: 1 },
    ])
    // Deals: D1's primary contact came by paid_search; D2-D4 have none.
    expect(pick(data.losses, ['group', 'reason', 'count', 'share'])).toEqual([
      { group: none, reason: 'competitor', count: 2, share: 2 / 3 },
      { group: none, reason: 'poor_fit_walked_away', count: 1, share: 1 / 3 },
      { group: paid, reason: 'competitor', count: 1, share: 1 },
    ])
    expect(pick(data.quality, ['group', 'rated', 'unrated'])).toEqual([
      { group: paid, rated: 1, unrated: 2 },
      { group: { key: 'email', label: 'email' }, rated: 1, unrated: 0 },
      { group: none, rated: 1, unrated: 0 },
    ])
    expect(await drillTotal(data.rejections[0].link)).toBe(2)
    expect(await drillTotal(data.losses[0].link)).toBe(2)
  })

  it('groups by segment: handoffs.segment, and the deal account’s employees', async () => {
    const data = await report(`${range}&groupBy=segment`)
    const smb = { key: 'smb', label: 'SMB' }
    const none = { key: 'none', label: 'No segment' }
    expect(pick(data.rejections, ['group', 'reason', 'count', 'share'])).toEqual([
      { group: smb, reason: 'no_budget', count: 2, share: 1 },
      { group: none, reason: 'bad_timing', count: 1, share: 1 },
    ])
    // smb: D1 (A1, 50) competitor, D4 poor fit; enterprise: D2 (A2, 5,000); none: D3.
    expect(pick(data.losses, ['group', 'reason', 'count', 'share'])).toEqual([
      {
        group: { key: 'enterprise', label: 'Enterprise' },
        reason: 'competitor',
        count: 1,
        share: 1,
      },
      { group: none, reason: 'competitor', count: 1, share: 1 },
      { group: smb, reason: 'competitor', count: 1, share: 0.5 },
      { group: smb, reason: 'poor_fit_walked_away', count: 1, share: 0.5 },
    ])
    const couldHelp = data.marketingCouldHelp.find(
      (g: { group: { key: string } }) => g.group.key === 'smb',
    )
    expect(couldHelp).toMatchObject({ losses: 2, yes: 1, no: 1, unsure: 0 })
    expect(await drillTotal(couldHelp.links.no)).toBe(1)
    expect(await drillTotal(data.losses[3].link)).toBe(1)
  })

  it('drills each trend number down to exactly its records', async () => {
    const data = await report(range)
    const feb = data.trends[1]
    expect(await drillTotal(feb.links.decided)).toBe(3)
    expect(await drillTotal(feb.links.rejected)).toBe(2)
    expect(await drillTotal(feb.links.losses)).toBe(2)
  })

  it('answers a period with no data with empty lists and null rates', async () => {
    const data = await report('from=2025-06-01&to=2025-07-31&groupBy=campaign')
    expect(data).toMatchObject({
      rejections: [],
      losses: [],
      marketingCouldHelp: [],
      competitors: [],
      objections: [],
      quality: [],
    })
    expect(
      pick(data.trends, ['month', 'decided', 'rejected', 'rejectionRate', 'losses', 'topReason']),
    ).toEqual(
      ['2025-06', '2025-07'].map((month) => ({
        month,
        decided: 0,
        rejected: 0,
        rejectionRate: null,
        losses: 0,
        topReason: null,
      })),
    )
  })

  it('counts a single record', async () => {
    // Only H1 (10 January in Paris), with its tags.
    const data = await report('from=2026-01-10&to=2026-01-10')
    expect(pick(data.rejections, ['reason', 'count', 'decided', 'share'])).toEqual([
      { reason: 'no_budget', count: 1, decided: 1, share: 1 },
    ])
    expect(data.losses).toEqual([])
    expect(pick(data.quality, ['rated', 'unrated', 'average'])).toEqual([
      { rated: 1, unrated: 0, average: 2 },
    ])
    expect(pick(data.competitors, ['name', 'losses', 'mentions'])).toEqual([
      { name: 'ACME crm', losses: 0, mentions: 1 },
    ])
    expect(pick(data.objections, ['count', 'handoffs'])).toEqual([{ count: 1, handoffs: 1 }])
    expect(pick(data.trends, ['month', 'decided', 'rejectionRate'])).toEqual([
      { month: '2026-01', decided: 1, rejectionRate: 1 },
    ])
    // A single open handoff: no rejection, nothing rated.
    const open = await report('from=2026-03-05&to=2026-03-05')
    expect(open.rejections).toEqual([])
    expect(pick(open.quality, ['rated', 'unrated', 'average'])).toEqual([
      { rated: 0, unrated: 1, average: null },
    ])
  })

  it('lets a viewer read, and refuses a request without a session', async () => {
    const response = await get(viewer, range)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.rejections).toHaveLength(2)
    const anonymous = await t.app.inject({ method: 'GET', url: url(range) })
    expect(anonymous.statusCode).toBe(401)
  })

  it('refuses bad input naming the field', async () => {
    for (const [query, field] of [
      ['groupBy=team', 'groupBy'],
      ['groupBy=nonsense', 'groupBy'],
      ['from=2026-03-01&to=2026-01-01', 'from'],
      ['from=2020-01-01&to=2026-01-01', 'to'],
      ['from=yesterday', 'from'],
    ] as const) {
      const response = await get(admin, query)
      expect(response.statusCode, `${query}: ${response.body}`).toBe(400)
      expect(response.json().error.message, query).toContain(field)
    }
  })
})
