import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let admin: Session
let rep: Session
let viewer: Session
let outsider: Session
let workspaceId: string
let teamId: string
const campaigns: Record<string, string> = {}
const contacts: Record<string, string> = {}

async function send(by: Session, method: 'GET' | 'POST', url: string, payload?: object) {
  return by.request({
    method,
    url,
    workspaceId,
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  })
}

async function ok(by: Session, method: 'GET' | 'POST', url: string, payload?: object) {
  const response = await send(by, method, url, payload)
  expect(response.statusCode, response.body).toBeLessThan(300)
  return response.json().data
}

type Entry = [stage: string, at: string, isReentry?: boolean]

/**
 * A contact with exactly these lifecycle entries (written to the table: the report reads history,
 * and tests cannot wait 90 days), its lead-creation touch in `campaign` and its account of
 * `employees`.
 */
async function contact(
  name: string,
  entries: Entry[],
  options: { campaign?: string; channel?: string; employees?: number; owner?: Session } = {},
) {
  const accountId =
    options.employees === undefined
      ? null
      : (await ok(admin, 'POST', '/api/v1/accounts', { name, employees: options.employees })).id
  const created = await ok(admin, 'POST', '/api/v1/contacts', {
    firstName: name,
    email: `${name.toLowerCase()}@example.com`,
    ...(accountId ? { accountId } : {}),
    ...(options.owner ? { ownerId: options.owner.userId } : {}),
  })
  const id: string = created.id
  contacts[name] = id
  const db = t.ctx.db
  await db.deleteFrom('lifecycleEntries').where('recordId', '=', id).execute()
  await db
    .insertInto('lifecycleEntries')
    .values(
      entries.map(([stage, at, isReentry]) => ({
        workspaceId,
        id: randomUUID(),
        entity: 'contact' as const,
        recordId: id,
        stage,
        enteredAt: new Date(at),
        isReentry: isReentry ?? false,
      })),
    )
    .execute()
  if (options.campaign || options.channel) {
    const touchId = randomUUID()
    const at = new Date(entries[0]?.[1] ?? '2025-01-01T00:00:00Z')
    await db
      .insertInto('touchpoints')
      .values({
        workspaceId,
        occurredAt: at,
        id: touchId,
        contactId: id,
        type: 'form_submit',
        channel: options.channel ?? 'other',
        campaignId: options.campaign ? (campaigns[options.campaign] ?? null) : null,
      })
      .execute()
    await db
      .updateTable('contacts')
      .set({ leadCreationTouchpointId: touchId, leadCreationAt: at, leadCreationType: 'form' })
      .where('id', '=', id)
      .execute()
  }
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t))
  ;({ owner: outsider } = await makeWorkspace(t, 'Elsewhere'))
  rep = await addMember(t, admin, workspaceId, 'sales')
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  teamId = (await ok(admin, 'POST', '/api/v1/teams', { name: 'Inbound', memberIds: [rep.userId] }))
    .id
  for (const name of ['Webinar', 'Ads']) {
    campaigns[name] = (
      await ok(admin, 'POST', '/api/v1/campaigns', { name, channel: 'events', type: 'webinar' })
    ).id
  }
  // C1: subscriber → lead in 22 days → mql in 28 more. Webinar, an smb account, owned by the rep.
  await contact(
    'C1',
    [
      ['subscriber', '2025-01-10T12:00:00Z'],
      ['lead', '2025-02-01T12:00:00Z'],
      ['mql', '2025-03-01T12:00:00Z'],
    ],
    { campaign: 'Webinar', channel: 'events', employees: 50, owner: rep },
  )
  // C2: lead 91 days after subscriber: not converted. Webinar, an enterprise account.
  await contact(
    'C2',
    [
      ['subscriber', '2025-01-15T00:00:00Z'],
      ['lead', '2025-04-16T00:00:00Z'],
    ],
    { campaign: 'Webinar', channel: 'events', employees: 5000 },
  )
  // C3: jumps from subscriber to mql 10 days later (lead stamped with the same time).
  await contact('C3', [
    ['subscriber', '2025-01-20T00:00:00Z'],
    ['lead', '2025-01-30T00:00:00Z'],
    ['mql', '2025-01-30T00:00:00Z'],
  ])
  // C4: lead 60 days after subscriber. Ads, a mid-market account.
  await contact(
    'C4',
    [
      ['subscriber', '2025-02-05T09:00:00Z'],
      ['lead', '2025-04-06T09:00:00Z'],
    ],
    { campaign: 'Ads', channel: 'paid_search', employees: 500 },
  )
  // C5: mql in 2024, recycled, re-MQL in January (a re-entry: no new mql cohort), sal a day later.
  await contact('C5', [
    ['subscriber', '2024-10-01T00:00:00Z'],
    ['lead', '2024-10-01T00:00:00Z'],
    ['mql', '2024-12-01T00:00:00Z'],
    ['recycled', '2024-12-15T00:00:00Z'],
    ['mql', '2025-01-05T00:00:00Z', true],
    ['sal', '2025-01-06T00:00:00Z'],
  ])
  // A deleted contact counts nowhere.
  await contact('Gone', [
    ['subscriber', '2025-01-11T00:00:00Z'],
    ['lead', '2025-01-12T00:00:00Z'],
  ])
  await t.ctx.db
    .updateTable('contacts')
    .set({ deletedAt: new Date() })
    .where('id', '=', contacts.Gone as string)
    .execute()
})

afterAll(async () => {
  await t?.close()
})

interface Row {
  group: { key: string; label: string } | null
  fromStage: string
  toStage: string
  entered: number
  converted: number
  rate: number | null
  medianDays: number | null
  p90Days: number | null
  enteredLink: string
  convertedLink: string
}

async function report(query: string, by: Session = admin) {
  return ok(by, 'GET', `/api/v1/reports/funnel?${query}`)
}

const pick = (rows: Row[], fromStage: string, key?: string) =>
  rows.find((r) => r.fromStage === fromStage && (key === undefined || r.group?.key === key)) as Row

const counts = (row: Row) => [row.entered, row.converted, row.rate]

const jan = 'from=2025-01-01&to=2025-02-28'

describe('the funnel report', () => {
  it('counts conversions within 90 days, a jump at every stage, and times them', async () => {
    const data = await report(jan)
    expect(data.groupBy).toBeNull()
    expect(data.overall.map((r: Row) => `${r.fromStage}>${r.toStage}`)).toEqual([
      'subscriber>lead',
      'lead>mql',
      'mql>sal',
      'sal>sql',
      'sql>opportunity',
      'opportunity>customer',
    ])
    expect(data.rows).toEqual(data.overall)
    // subscriber: C1 (22 days), C2 (91 days: not converted), C3 (10), C4 (60).
    const sub = pick(data.overall, 'subscriber')
    expect(sub.group).toBeNull()
    expect(counts(sub)).toEqual([4, 3, 0.75])
    // Days 10, 22, 60: median 22; p90 at rank 1.8 = 22 + 0.8 × 38.
    expect(sub.medianDays).toBeCloseTo(22, 6)
    expect(sub.p90Days).toBeCloseTo(52.4, 6)
    // lead: C1 (mql 28 days later), C3 (the jump: 0 days). C2 and C4 entered lead in April.
    const lead = pick(data.overall, 'lead')
    expect(counts(lead)).toEqual([2, 2, 1])
    expect(lead.medianDays).toBeCloseTo(14, 6)
    expect(lead.p90Days).toBeCloseTo(25.2, 6)
    // mql: only C3 (C5's January mql is a re-entry), not yet sal.
    const mql = pick(data.overall, 'mql')
    expect(counts(mql)).toEqual([1, 0, 0])
    expect([mql.medianDays, mql.p90Days]).toEqual([null, null])
    // sal: C5's first sal, in January.
    expect(counts(pick(data.overall, 'sal'))).toEqual([1, 0, 0])
    expect(counts(pick(data.overall, 'sql'))).toEqual([0, 0, null])
    expect(sub.enteredLink).toBe(
      '/bridge/records?kind=contacts&from=2025-01-01&to=2025-02-28&stage=subscriber',
    )
    expect(sub.convertedLink).toBe(`${sub.enteredLink}&reached=lead`)
  })

  it('gives cohorts by entry month, complete once their 90 days have passed', async () => {
    const data = await report(jan)
    expect(data.cohorts).toHaveLength(12)
    const cohort = (month: string, fromStage: string) =>
      data.cohorts.find(
        (c: { month: string; fromStage: string }) => c.month === month && c.fromStage === fromStage,
      )
    expect(cohort('2025-01', 'subscriber')).toMatchObject({ entered: 3, converted: 2 })
    expect(cohort('2025-01', 'subscriber').rate).toBeCloseTo(2 / 3, 9)
    expect(cohort('2025-02', 'subscriber')).toMatchObject({ entered: 1, converted: 1, rate: 1 })
    expect(cohort('2025-01', 'lead')).toMatchObject({ entered: 1, converted: 1, rate: 1 })
    expect(cohort('2025-02', 'lead')).toMatchObject({ entered: 1, converted: 1, rate: 1 })
    expect(cohort('2025-02', 'mql')).toMatchObject({ entered: 0, converted: 0, rate: null })
    expect(cohort('2025-01', 'subscriber').complete).toBe(true)
    expect(cohort('2025-01', 'subscriber').convertedLink).toBe(
      '/bridge/records?kind=contacts&from=2025-01-01&to=2025-02-28&stage=subscriber&month=2025-01&reached=lead',
    )
    // This month's entrants still have time: incomplete.
    const today = new Date().toISOString().slice(0, 10)
    const now = await report(`from=${today.slice(0, 7)}-01&to=${today}`)
    expect(now.cohorts.every((c: { complete: boolean }) => !c.complete)).toBe(true)
  })

  it('groups by campaign: by volume, contacts without one last', async () => {
    const data = await report(`${jan}&groupBy=campaign`)
    expect(data.groupBy).toBe('campaign')
    const keys = [...new Set(data.rows.map((r: Row) => r.group?.key))]
    expect(keys).toEqual([campaigns.Webinar, campaigns.Ads, 'none'])
    expect(data.rows).toHaveLength(18)
    const webinar = pick(data.rows, 'subscriber', campaigns.Webinar)
    expect(webinar.group?.label).toBe('Webinar')
    expect(counts(webinar)).toEqual([2, 1, 0.5])
    expect([webinar.medianDays, webinar.p90Days]).toEqual([22, 22])
    expect(webinar.convertedLink).toBe(
      `/bridge/records?kind=contacts&from=2025-01-01&to=2025-02-28&stage=subscriber&campaignId=${campaigns.Webinar}&reached=lead`,
    )
    expect(counts(pick(data.rows, 'lead', campaigns.Webinar))).toEqual([1, 1, 1])
    expect(counts(pick(data.rows, 'subscriber', campaigns.Ads))).toEqual([1, 1, 1])
    expect(pick(data.rows, 'subscriber', campaigns.Ads).medianDays).toBeCloseTo(60, 6)
    const none = pick(data.rows, 'subscriber', 'none')
    expect(none.group).toEqual({ key: 'none', label: 'No campaign' })
    expect(counts(none)).toEqual([1, 1, 1])
    expect(none.enteredLink).toContain('campaignId=none')
    expect(counts(pick(data.rows, 'sal', 'none'))).toEqual([1, 0, 0])
    // The overall funnel is unchanged by grouping.
    expect(data.overall).toEqual((await report(jan)).overall)
  })

  it('groups by segment, channel and team', async () => {
    const segment = await report(`${jan}&groupBy=segment`)
    expect([...new Set(segment.rows.map((r: Row) => r.group?.label))]).toEqual([
      'SMB',
      'Enterprise',
      'Mid-market',
      'No segment',
    ])
    expect(counts(pick(segment.rows, 'subscriber', 'smb'))).toEqual([1, 1, 1])
    expect(counts(pick(segment.rows, 'subscriber', 'enterprise'))).toEqual([1, 0, 0])
    expect(counts(pick(segment.rows, 'subscriber', 'mid_market'))).toEqual([1, 1, 1])
    expect(counts(pick(segment.rows, 'subscriber', 'none'))).toEqual([1, 1, 1])
    expect(pick(segment.rows, 'subscriber', 'smb').enteredLink).toContain('segment=smb')

    const channel = await report(`${jan}&groupBy=channel`)
    expect(counts(pick(channel.rows, 'subscriber', 'events'))).toEqual([2, 1, 0.5])
    expect(counts(pick(channel.rows, 'subscriber', 'paid_search'))).toEqual([1, 1, 1])
    expect(pick(channel.rows, 'subscriber', 'none').group?.label).toBe('No channel')

    const team = await report(`${jan}&groupBy=team`)
    expect(pick(team.rows, 'subscriber', teamId).group?.label).toBe('Inbound')
    expect(counts(pick(team.rows, 'subscriber', teamId))).toEqual([1, 1, 1])
    expect(counts(pick(team.rows, 'subscriber', 'none'))).toEqual([3, 2, 2 / 3])
    expect(pick(team.rows, 'subscriber', teamId).enteredLink).toContain(`teamId=${teamId}`)
  })

  it('answers a single record and an empty range', async () => {
    const single = await report('from=2025-02-05&to=2025-02-05')
    const sub = pick(single.overall, 'subscriber')
    expect(counts(sub)).toEqual([1, 1, 1])
    expect([sub.medianDays, sub.p90Days]).toEqual([60, 60])
    expect(single.cohorts).toHaveLength(6)

    const empty = await report('from=2023-01-01&to=2023-03-31&groupBy=campaign')
    expect(empty.rows).toEqual([])
    expect(empty.overall).toHaveLength(6)
    for (const row of empty.overall as Row[]) {
      expect(counts(row)).toEqual([0, 0, null])
      expect([row.medianDays, row.p90Days]).toEqual([null, null])
    }
    expect(empty.cohorts.map((c: { month: string }) => c.month)).toEqual([
      ...Array(6).fill('2023-01'),
      ...Array(6).fill('2023-02'),
      ...Array(6).fill('2023-03'),
    ])
    expect(empty.cohorts.every((c: { entered: number }) => c.entered === 0)).toBe(true)
  })

  it('defaults to the last 12 months and lets any member read it', async () => {
    const data = await report('', viewer)
    expect(data.to).toBe(new Date().toISOString().slice(0, 10))
    expect(data.from.endsWith('-01')).toBe(true)
    expect(new Set(data.cohorts.map((c: { month: string }) => c.month)).size).toBe(12)
  })

  it('refuses strangers and bad input with clear answers', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/reports/funnel' })
    expect(anonymous.statusCode).toBe(401)
    const stranger = await send(outsider, 'GET', `/api/v1/reports/funnel?${jan}`)
    expect(stranger.statusCode).toBe(404)

    const unknown = await send(admin, 'GET', `/api/v1/reports/funnel?${jan}&groupBy=owner`)
    expect(unknown.statusCode).toBe(400)
    expect(unknown.body).toContain('groupBy')
    expect(unknown.body).toContain('campaign, channel, segment, team')
    const backwards = await send(
      admin,
      'GET',
      '/api/v1/reports/funnel?from=2025-03-01&to=2025-01-01',
    )
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json().error.details.field).toBe('to')
    const huge = await send(admin, 'GET', '/api/v1/reports/funnel?from=2015-01-01&to=2025-01-01')
    expect(huge.statusCode).toBe(400)
    expect(huge.body).toContain('to')
    const notADate = await send(admin, 'GET', '/api/v1/reports/funnel?from=2025-02-30')
    expect(notADate.statusCode).toBe(400)
    expect(notADate.body).toContain('from')
  })
})
