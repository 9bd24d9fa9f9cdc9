import { type Insertable, type Kysely, sql } from 'kysely'
import { DateTime } from 'luxon'
import { addBusinessMinutes, type BusinessCalendar } from '../domain/business-hours.ts'
import { defaultOutcome, type RejectionOutcome, type RejectionReason } from '../domain/handoff.ts'
import {
  chooseRep,
  chooseRule,
  type RoutingCondition,
  type RoutingRep,
  type RoutingRule,
  type SegmentKey,
  segmentOf,
} from '../domain/routing.ts'
import type { DB, MqlSource } from '../server/db/schema.ts'
import { handoffLink } from '../server/handoffs/events.ts'
import { slaDueTimes } from '../server/sla/resolve.ts'
import { ensureTouchpointPartitions } from '../server/touchpoints/partitions.ts'
import { insertInChunks } from './crm.ts'
import type { SeededRandom } from './random.ts'

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour

interface HandoffsOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
  start: Date
}

/** The programme whose leads sales mostly turns down for lack of budget (issue 7's story). */
export const noBudgetProgramme = 'LinkedIn: operations leaders'
/** Open MQLs younger than this are still being worked when the demo opens. */
const openAge = 3 * day
/** The slow rep's MQLs younger than this are still open: unworked, past the SLA. */
const slowOpenAge = 21 * day

interface Person {
  id: string
  email: string
  name: string
  role: string
}

interface Team {
  id: string
  name: string
  managerId: string | null
  memberIds: string[]
}

/** A rule as routing reads it, plus when it was added (history routes by the rules of its day). */
type DatedRule = RoutingRule & { createdAt: Date }

interface Sla {
  policyId: string
  name: string
  firstTouchMinutes: number
  acceptanceMinutes: number
  escalationMinutes: number
}

interface Setup {
  calendar: BusinessCalendar
  timeZone: string
  rules: DatedRule[]
  teams: Map<string, Team>
  people: Map<string, Person>
  slowRepId: string
  /** Reps who take no leads (managers), and daily caps. */
  excluded: Set<string>
  dailyCaps: Map<string, number>
  slaOf: (segment: SegmentKey | null) => Sla
  marketingUserId: string | null
  adminIds: string[]
}

/**
 * The whole history's handoffs of the demo (issue 7), written in bulk: a workspace calendar and
 * SLA policies, routing rules and rep settings, then for every contact that reached MQL a handoff
 * created at its mql entry, routed by round robin in memory with the domain's own rules, its due
 * times computed on the workspace calendar, and its history: the owner's first call (also a
 * `sales` touch), acceptance (contacts that reached SAL) or rejection with a reason (the others,
 * now recycled or disqualified), breaches and escalations where a window passed untouched, and
 * some quality ratings. Planted: the leads of one LinkedIn campaign are mostly rejected as
 * `no_budget`; one Enterprise rep leaves MQLs unworked past the SLA, several still open, breached
 * and escalated; the MQLs of the last days are open with running clocks, some in the unassigned
 * queue of a team that has no reps yet. Also monthly MQL targets and unread notifications.
 */
export async function plantHandoffs(db: Kysely<DB>, options: HandoffsOptions) {
  const setup = await setUpHandoffs(db, options)
  const leads = await loadMqls(db, options.workspaceId)
  const campaigns = await loadCampaigns(db, options.workspaceId)
  const story = campaigns
    .filter((c) => c.name.startsWith(noBudgetProgramme) && c.startsOn <= isoDate(options.asOf))
    .at(-1)
  const world = buildHistory(options, setup, leads, campaigns, story?.id ?? null)
  await writeHistory(db, options, setup, world)
  return {
    handoffs: world.handoffs.length,
    openHandoffs: world.handoffs.filter((h) => h.status === 'open').length,
    noBudgetCampaign: story?.name ?? null,
  }
}

// ---------------------------------------------------------------------------------------------
// Settings: calendar, SLA policies, routing rules, rep settings

/** New Year, Independence Day, Thanksgiving and Christmas of each year the demo spans. */
function usHolidays(from: number, to: number): string[] {
  const dates: string[] = []
  for (let year = from; year <= to; year++) {
    const november = new Date(Date.UTC(year, 10, 1)).getUTCDay()
    const thanksgiving = 1 + ((4 - november + 7) % 7) + 21
    dates.push(
      `${year}-01-01`,
      `${year}-07-04`,
      `${year}-11-${String(thanksgiving).padStart(2, '0')}`,
      `${year}-12-25`,
    )
  }
  return dates
}

async function setUpHandoffs(db: Kysely<DB>, options: HandoffsOptions): Promise<Setup> {
  const { workspaceId, rng, asOf, start } = options
  const workspace = await db
    .selectFrom('workspaces')
    .select('timeZone')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  const hours = { start: '09:00', end: '17:00' }
  const calendar: BusinessCalendar = {
    timeZone: workspace.timeZone,
    week: { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: null, 7: null },
    holidays: usHolidays(start.getUTCFullYear(), asOf.getUTCFullYear() + 1),
  }
  await db
    .insertInto('businessCalendars')
    .values({
      workspaceId,
      id: rng.uuidv7(start),
      name: 'Chicago office hours',
      timeZone: calendar.timeZone,
      week: JSON.stringify(calendar.week),
      holidays: JSON.stringify(calendar.holidays),
      isDefault: true,
      createdAt: start,
      updatedAt: start,
    })
    .execute()
  // Enterprise buyers are called within two business hours; everyone else gets the defaults.
  const enterprise: Sla = {
    policyId: rng.uuidv7(start),
    name: 'Enterprise',
    firstTouchMinutes: 120,
    acceptanceMinutes: 480,
    escalationMinutes: 120,
  }
  const standard: Sla = {
    policyId: rng.uuidv7(start),
    name: 'Standard',
    firstTouchMinutes: 240,
    acceptanceMinutes: 960,
    escalationMinutes: 240,
  }
  await db
    .insertInto('slaPolicies')
    .values(
      [[enterprise, 'enterprise'] as const, [standard, null] as const].map(([p, segment]) => ({
        workspaceId,
        id: p.policyId,
        name: p.name,
        segment,
        calendarId: null,
        firstTouchMinutes: p.firstTouchMinutes,
        acceptanceMinutes: p.acceptanceMinutes,
        escalationMinutes: p.escalationMinutes,
        createdAt: start,
        updatedAt: start,
      })),
    )
    .execute()

  const members = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['u.id', 'u.email', 'u.name', 'm.role'])
    .where('m.workspaceId', '=', workspaceId)
    .orderBy('u.id')
    .execute()
  const people = new Map(members.map((p) => [p.id, p]))
  const byEmail = (email: string) => members.find((p) => p.email.startsWith(email))
  const teamRows = await db
    .selectFrom('teams')
    .select(['id', 'name', 'managerId'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('name')
    .execute()
  const memberRows = await db
    .selectFrom('teamMembers')
    .select(['teamId', 'userId'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('userId')
    .execute()
  const teams = new Map<string, Team>(
    teamRows.map((t) => [
      t.name,
      {
        ...t,
        memberIds: memberRows.filter((m) => m.teamId === t.id).map((m) => m.userId),
      },
    ]),
  )
  // A desk for APAC and LATAM partners, set up yesterday and not staffed yet: its leads
  // wait in the unassigned queue (and the admins are told).
  const deskCreated = new Date(asOf.getTime() - day)
  const desk: Team = {
    id: rng.uuidv7(deskCreated),
    name: 'Partner desk',
    managerId: null,
    memberIds: [],
  }
  await db
    .insertInto('teams')
    .values({
      workspaceId,
      id: desk.id,
      name: desk.name,
      createdAt: deskCreated,
      updatedAt: deskCreated,
    })
    .execute()
  teams.set(desk.name, desk)

  const teamId = (name: string) => teams.get(name)?.id ?? ''
  const rule = (
    name: string,
    team: string,
    conditions: RoutingCondition[],
    createdAt: Date,
  ): DatedRule & { name: string } => ({
    id: rng.uuidv7(createdAt),
    name,
    teamId: teamId(team),
    conditions,
    createdAt,
  })
  const rules = [
    rule(
      'APAC and LATAM partners',
      'Partner desk',
      [{ field: 'region', op: 'in', value: ['apac', 'latam'] }],
      deskCreated,
    ),
    rule(
      'Enterprise accounts',
      'Enterprise',
      [{ field: 'segment', op: 'eq', value: 'enterprise' }],
      start,
    ),
    rule(
      'Mid-market accounts',
      'Mid-Market',
      [{ field: 'segment', op: 'eq', value: 'mid_market' }],
      start,
    ),
    rule('Everyone else', 'SMB', [], start),
  ]
  await db
    .insertInto('routingRules')
    .values(
      rules.map((r, position) => ({
        workspaceId,
        id: r.id,
        name: r.name,
        position,
        conditions: JSON.stringify(r.conditions),
        teamId: r.teamId,
        createdAt: r.createdAt,
        updatedAt: r.createdAt,
      })),
    )
    .execute()

  // Managers coach rather than take leads; one SMB rep takes at most three a day; one Mid-Market
  // rep is away next week (Monday to Friday, local time).
  const managers = [...teams.values()].flatMap((t) => (t.managerId ? [t.managerId] : []))
  const smbRep = teams.get('SMB')?.memberIds.find((id) => people.get(id)?.role === 'sales')
  const awayRep = teams.get('Mid-Market')?.memberIds.find((id) => people.get(id)?.role === 'sales')
  const nextMonday = DateTime.fromJSDate(asOf, { zone: calendar.timeZone })
    .startOf('week')
    .plus({ weeks: 1 })
  const settings: Insertable<DB['routingReps']>[] = [
    ...managers.map((userId) => ({ workspaceId, userId, acceptsLeads: false, updatedAt: start })),
    ...(smbRep ? [{ workspaceId, userId: smbRep, dailyCap: 3, updatedAt: start }] : []),
    ...(awayRep
      ? [
          {
            workspaceId,
            userId: awayRep,
            absentFrom: nextMonday.toJSDate(),
            absentUntil: nextMonday.plus({ days: 5 }).toJSDate(),
            updatedAt: asOf,
          },
        ]
      : []),
  ]
  await db.insertInto('routingReps').values(settings).execute()

  const sales = byEmail('sales@')
  const slowRepId =
    teams
      .get('Enterprise')
      ?.memberIds.find((id) => id !== sales?.id && people.get(id)?.role === 'sales') ?? ''
  return {
    calendar,
    timeZone: calendar.timeZone,
    rules,
    teams,
    people,
    slowRepId,
    excluded: new Set(managers),
    dailyCaps: new Map(smbRep ? [[smbRep, 3]] : []),
    slaOf: (segment) => (segment === 'enterprise' ? enterprise : standard),
    marketingUserId: byEmail('marketing@')?.id ?? null,
    adminIds: members.filter((p) => p.role === 'admin').map((p) => p.id),
  }
}

// ---------------------------------------------------------------------------------------------
// What the demo already holds: the MQLs and the campaigns

interface Mql {
  id: string
  accountId: string | null
  name: string
  employees: number | null
  country: string | null
  region: string | null
  industry: string | null
  leadCampaignId: string | null
  mqlAt: Date
  salAt: Date | null
  salEntryId: string | null
  contactCreatedAt: Date
}

async function loadMqls(db: Kysely<DB>, workspaceId: string): Promise<Mql[]> {
  // Three plain reads joined here: inside the seeding transaction the fresh tables have no
  // statistics yet, and the planner's guesses make the same join in SQL take a minute.
  const entries = await db
    .selectFrom('lifecycleEntries')
    .select(['id', 'recordId', 'stage', 'enteredAt'])
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', 'contact')
    .where('stage', 'in', ['mql', 'sal'])
    .orderBy('enteredAt')
    .orderBy('id')
    .execute()
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'accountId', 'firstName', 'lastName', 'email', 'createdAt'])
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .where('mergedInto', 'is', null)
    .execute()
  const accounts = await db
    .selectFrom('accounts')
    .select(['id', 'employees', 'country', 'region', 'industry'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  const accountOf = new Map(accounts.map((a) => [a.id, a]))
  const contactOf = new Map(contacts.map((c) => [c.id, c]))
  const mqls = new Map<string, Mql>()
  // Entries come oldest first: the first mql and sal entries of each contact are the ones kept.
  for (const entry of entries) {
    const contact = contactOf.get(entry.recordId)
    if (!contact) continue
    let mql = mqls.get(contact.id)
    if (entry.stage === 'mql' && !mql) {
      const account = contact.accountId ? accountOf.get(contact.accountId) : undefined
      mql = {
        id: contact.id,
        accountId: contact.accountId,
        name:
          [contact.firstName, contact.lastName].filter(Boolean).join(' ') ||
          contact.email ||
          'a contact',
        employees: account?.employees ?? null,
        country: account?.country ?? null,
        region: account?.region ?? null,
        industry: account?.industry ?? null,
        leadCampaignId: null,
        mqlAt: entry.enteredAt,
        salAt: null,
        salEntryId: null,
        contactCreatedAt: contact.createdAt,
      }
      mqls.set(contact.id, mql)
    }
    if (entry.stage === 'sal' && mql && !mql.salAt) {
      mql.salAt = entry.enteredAt
      mql.salEntryId = entry.id
    }
  }
  // A sal entry stamped together with its mql entry may sort before it: look again for those.
  for (const entry of entries) {
    const mql = mqls.get(entry.recordId)
    if (entry.stage === 'sal' && mql && !mql.salAt) {
      mql.salAt = entry.enteredAt
      mql.salEntryId = entry.id
    }
  }
  const rows = [...mqls.values()].sort(
    (a, b) => a.mqlAt.getTime() - b.mqlAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
  // Apart, and only for the few with one: touchpoints are partitioned by time and found by the
  // time and id of the touch (joining them to every MQL walks every partition per row).
  const touches = await sql<{ id: string; campaignId: string | null }>`
    select c.id, tp.campaign_id as "campaignId"
    from contacts c
    join touchpoints tp on tp.workspace_id = c.workspace_id
      and tp.occurred_at = c.lead_creation_at and tp.id = c.lead_creation_touchpoint_id
    where c.workspace_id = ${workspaceId} and c.lead_creation_touchpoint_id is not null
  `.execute(db)
  const campaignOf = new Map(touches.rows.map((t) => [t.id, t.campaignId]))
  return rows.map((row) => ({ ...row, leadCampaignId: campaignOf.get(row.id) ?? null }))
}

interface Campaign {
  id: string
  name: string
  startsOn: string
  endsOn: string
}

async function loadCampaigns(db: Kysely<DB>, workspaceId: string): Promise<Campaign[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select(['id', 'name', 'startsOn', 'endsOn'])
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .orderBy('startsOn')
    .orderBy('id')
    .execute()
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    startsOn: dateText(c.startsOn ?? '9999-12-31'),
    endsOn: dateText(c.endsOn ?? '9999-12-31'),
  }))
}

// ---------------------------------------------------------------------------------------------
// The history, built in memory

type HandoffRow = Insertable<DB['handoffs']> & {
  status: 'open' | 'accepted' | 'rejected'
  createdAt: Date
}

interface World {
  handoffs: HandoffRow[]
  events: (Omit<Insertable<DB['handoffEvents']>, 'details'> & {
    details: Record<string, unknown>
  })[]
  activities: Insertable<DB['activities']>[]
  touchpoints: Insertable<DB['touchpoints']>[]
  contactUpdates: {
    id: string
    stage: string | null
    leadStatus: string | null
    recycleUntil: string | null
  }[]
  lifecycle: Insertable<DB['lifecycleEntries']>[]
  salMoves: { id: string; at: string }[]
  /** Contacts whose stages up to mql were stamped at --as-of, moved to their handoff's time. */
  retimed: { contactId: string; at: string }[]
  notifications: Insertable<DB['notifications']>[]
  names: Map<string, string>
}

const otherReasons: readonly (readonly [RejectionReason, number])[] = [
  ['no_budget', 12],
  ['bad_timing', 18],
  ['no_response', 16],
  ['no_need', 10],
  ['not_icp', 12],
  ['wrong_persona', 10],
  ['existing_customer_or_open_deal', 6],
  ['duplicate', 4],
  ['competitor_partner_or_student', 4],
  ['invalid_contact_data', 5],
  ['spam_or_test', 3],
]
const notes: Partial<Record<RejectionReason, string[]>> = {
  no_budget: [
    'No budget for automation this year',
    'Budget frozen until next fiscal year',
    'Liked the webinar content, nothing funded',
  ],
  bad_timing: ['Mid-migration to a new WMS, call back next quarter'],
  no_response: ['Three calls and two emails, no answer'],
  wrong_persona: ['Intern researching for a project; asked for the plant manager'],
}
const mqlReasons: Record<MqlSource, string> = {
  form: 'Submitted the high-intent form "Request a demo"',
  score: 'Fit and engagement scores above the MQL thresholds',
  manual: 'Marked MQL by marketing after a conversation at an event',
  predictive: 'Predictive score above the threshold',
  import: 'Imported as an MQL from the event list',
}

function weighted<T>(rng: SeededRandom, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let r = rng.next() * total
  for (const [item, w] of items) {
    r -= w
    if (r <= 0) return item
  }
  return (items.at(-1) as readonly [T, number])[0]
}

function buildHistory(
  options: HandoffsOptions,
  setup: Setup,
  leads: Mql[],
  campaigns: Campaign[],
  storyId: string | null,
): World {
  const { rng, workspaceId, asOf } = options
  const now = asOf.getTime()
  const world: World = {
    handoffs: [],
    events: [],
    activities: [],
    touchpoints: [],
    contactUpdates: [],
    lifecycle: [],
    salMoves: [],
    retimed: [],
    notifications: [],
    names: new Map(),
  }
  // The rotation's turn order: a counter rather than the time, as many MQLs share one instant.
  const lastAssigned = new Map<string, Date>() // `${teamId}:${userId}` → turn
  let turn = 0
  const perDay = new Map<string, number>() // `${userId}:${local date}`
  const teamsById = new Map([...setup.teams.values()].map((t) => [t.id, t]))
  const event = (
    handoffId: string,
    kind: Insertable<DB['handoffEvents']>['kind'],
    at: Date,
    actorId: string | null,
    details: Record<string, unknown> = {},
  ) =>
    world.events.push({
      workspaceId,
      id: rng.uuidv7(at),
      handoffId,
      kind,
      actorId,
      at,
      details,
    })
  const business = (from: Date, minutes: number) =>
    addBusinessMinutes(setup.calendar, from, minutes)
  // The minute job flags a clock within a minute of its due time.
  const flagAt = (due: Date) => new Date(Math.min(due.getTime() + rng.int(5, 55) * 1000, now))

  for (const lead of spreadCapped(rng, world, leads, now)) {
    const created = lead.mqlAt
    const at = created.getTime()
    const segment = segmentOf(lead.employees)
    const rule = chooseRule(
      setup.rules.filter((r) => r.createdAt.getTime() <= at),
      { ...lead, segment },
    )
    const team = rule ? teamsById.get(rule.teamId) : undefined
    const localDate = localDateOf(created, setup.timeZone)
    const reps: RoutingRep[] = (team?.memberIds ?? []).map((id) => ({
      id,
      isActive: !setup.excluded.has(id),
      isAbsent: false,
      capacity: null,
      dailyCap: setup.dailyCaps.get(id) ?? null,
      openCount: 0,
      todayCount: perDay.get(`${id}:${localDate}`) ?? 0,
      lastAssignedAt: lastAssigned.get(`${team?.id}:${id}`) ?? null,
    }))
    const choice = team ? chooseRep(reps) : { repId: null, reason: 'no_rule' as const }
    const accepted = lead.salAt !== null
    // A lead that reached SAL from the unassigned queue was taken by an admin.
    const ownerId = choice.repId ?? (accepted ? (setup.adminIds[0] ?? null) : null)
    if (ownerId && team) {
      lastAssigned.set(`${team.id}:${ownerId}`, new Date(++turn))
      perDay.set(`${ownerId}:${localDate}`, (perDay.get(`${ownerId}:${localDate}`) ?? 0) + 1)
    }
    const slow = ownerId !== null && ownerId === setup.slowRepId
    const sla = setup.slaOf(segment)
    const due = slaDueTimes({ calendar: setup.calendar, ...sla }, created)
    const open =
      !accepted && (ownerId === null || now - at < openAge || (slow && now - at < slowOpenAge))
    const campaignId =
      lead.leadCampaignId ?? pickCampaign(rng, campaigns, created, storyId, accepted)
    const isStory = campaignId !== null && campaignId === storyId

    // First touch: most reps call within the window; the slow rep rarely, often never.
    let firstTouch: Date | null = null
    if (ownerId) {
      const fate = slow
        ? weighted(rng, [
            ['on_time', 2],
            ['late', 5],
            ['never', 3],
          ] as const)
        : weighted(rng, [
            ['on_time', 88],
            ['late', 12],
          ] as const)
      if (fate === 'on_time') firstTouch = business(created, rng.int(3, sla.firstTouchMinutes - 5))
      else if (fate === 'late' || accepted || rng.next() < 0.3)
        firstTouch = business(created, sla.firstTouchMinutes + rng.int(20, slow ? 2400 : 480))
      // The slow rep's open MQLs sit untouched.
      if (slow && open) firstTouch = null
    }
    let decidedAt: Date | null = null
    if (!open) {
      const from = firstTouch ?? created
      decidedAt = business(from, accepted ? rng.int(10, slow ? 900 : 300) : rng.int(30, 1200))
      if (decidedAt.getTime() > now) {
        // Only MQLs of the last hours get here (the contact reached SAL before the demo's day).
        decidedAt = new Date(Math.max(at, now - rng.int(1, 30) * minute))
      }
    }
    if (firstTouch && decidedAt && firstTouch > decidedAt) firstTouch = decidedAt
    if (firstTouch && firstTouch.getTime() > now) firstTouch = null

    const id = rng.uuidv7(created)
    world.names.set(id, lead.name)
    const source = weighted(rng, [
      ['form', 40],
      ['score', 45],
      ['manual', 10],
      ['import', 5],
    ] as const)
    const handoff: HandoffRow = {
      workspaceId,
      id,
      contactId: lead.id,
      accountId: lead.accountId,
      ownerId,
      teamId: team?.id ?? null,
      routingRuleId: rule?.id ?? null,
      unassignedReason: ownerId === null && choice.repId === null ? choice.reason : null,
      assignedAt: ownerId ? created : null,
      campaignId,
      mqlSource: source,
      mqlReason: mqlReasons[source],
      segment,
      status: open ? 'open' : accepted ? 'accepted' : 'rejected',
      slaPolicyId: sla.policyId,
      createdAt: created,
      ...due,
      firstTouchAt: firstTouch,
      decidedAt,
      decidedBy: decidedAt ? ownerId : null,
      updatedAt: decidedAt ?? firstTouch ?? created,
    }
    event(id, 'created', created, source === 'manual' ? setup.marketingUserId : null, {
      source,
      reason: handoff.mqlReason,
      isReMql: false,
      ownerId,
      teamId: handoff.teamId,
      ruleId: handoff.routingRuleId,
      unassignedReason: handoff.unassignedReason,
      slaPolicy: sla.name,
    })
    if (firstTouch && ownerId) {
      const activityId = rng.uuidv7(firstTouch)
      handoff.firstTouchActivityId = activityId
      world.activities.push({
        workspaceId,
        id: activityId,
        type: 'call',
        subject: 'Call: first touch on a new MQL',
        contactId: lead.id,
        accountId: lead.accountId,
        ownerId,
        occurredAt: firstTouch,
        doneAt: firstTouch,
        outcome: rng.pick(['connected', 'left_voicemail', 'no_answer']),
        createdAt: firstTouch,
        updatedAt: firstTouch,
      })
      world.touchpoints.push({
        workspaceId,
        occurredAt: firstTouch,
        id: rng.uuidv7(firstTouch),
        contactId: lead.id,
        accountId: lead.accountId,
        type: 'call',
        channel: 'sales',
        activityId,
        createdAt: firstTouch,
      })
      event(id, 'first_touch', firstTouch, null, { activityId, type: 'call' })
    }
    if (decidedAt && accepted) {
      event(id, 'accepted', decidedAt, ownerId)
      // The SAL stage is entered when sales accepts.
      if (lead.salEntryId && lead.salAt && lead.salAt > decidedAt) {
        world.salMoves.push({ id: lead.salEntryId, at: decidedAt.toISOString() })
      }
    } else if (decidedAt) {
      reject(rng, world, handoff, decidedAt, firstTouch !== null, isStory, setup.timeZone, now)
    } else {
      world.contactUpdates.push({
        id: lead.id,
        stage: null,
        leadStatus: firstTouch ? 'attempting' : 'new',
        recycleUntil: null,
      })
    }
    flagClocks(handoff, flagAt, now, teamsById, event)
    if (decidedAt && rng.next() < 0.3) {
      const ratedAt = new Date(Math.min(decidedAt.getTime() + rng.int(5, 600) * minute, now))
      handoff.quality = isStory ? rng.int(1, 2) : accepted ? rng.int(3, 5) : rng.int(1, 3)
      handoff.ratedBy = ownerId
      handoff.ratedAt = ratedAt
      event(id, 'rated', ratedAt, ownerId, { quality: handoff.quality, previous: null })
    }
    world.handoffs.push(handoff)
  }
  notifyRecent(options, setup, world, teamsById)
  return world
}

/**
 * The generator stamps a contact's later stages no later than --as-of, so several hundred MQLs
 * share that very instant; their handoffs (and the stages up to mql) are spread instead: one in
 * ten over the 60 hours before it, so the inbox fills as it would have, the rest over the year
 * before (never before the contact existed), so no month shows a spike of MQLs. Returns the MQLs
 * in time order again.
 */
function spreadCapped(rng: SeededRandom, world: World, leads: Mql[], now: number): Mql[] {
  const spread = leads.map((lead) => {
    if (lead.mqlAt.getTime() < now) return lead
    const back = rng.next() < 0.1 ? rng.int(20, 60 * 60) : rng.int(60 * 60, 365 * 24 * 60)
    const at = new Date(Math.max(lead.contactCreatedAt.getTime(), now - back * minute))
    world.retimed.push({ contactId: lead.id, at: at.toISOString() })
    return { ...lead, mqlAt: at }
  })
  return spread.sort(
    (a, b) => a.mqlAt.getTime() - b.mqlAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}

/**
 * A campaign for an MQL without a lead-creation touch (most of the demo's people were created
 * before tracking): one running at the MQL's date, or none. The story campaign draws the MQLs that
 * sales will turn down, and few of those that it accepts.
 */
function pickCampaign(
  rng: SeededRandom,
  campaigns: Campaign[],
  at: Date,
  storyId: string | null,
  accepted: boolean,
): string | null {
  const date = at.toISOString().slice(0, 10)
  const running = campaigns.filter((c) => c.startsOn <= date && date <= c.endsOn)
  if (running.some((c) => c.id === storyId) && rng.next() < (accepted ? 0.04 : 0.6)) return storyId
  const others = running.filter((c) => c.id !== storyId)
  return others.length > 0 && rng.next() < 0.6 ? rng.pick(others).id : null
}

/** Rejection with a reason; the contact is recycled (maybe re-engaged since) or disqualified. */
function reject(
  rng: SeededRandom,
  world: World,
  handoff: HandoffRow,
  decidedAt: Date,
  touched: boolean,
  isStory: boolean,
  timeZone: string,
  now: number,
) {
  const reason: RejectionReason = isStory
    ? rng.next() < 0.88
      ? 'no_budget'
      : 'bad_timing'
    : weighted(
        rng,
        otherReasons.filter(([r]) => touched || r !== 'no_response'),
      )
  const outcome: RejectionOutcome = defaultOutcome(reason)
  const recycleOn =
    outcome === 'recycle'
      ? addDays(
          localDateOf(decidedAt, timeZone),
          reason === 'no_budget' ? 180 : rng.pick([60, 90, 90, 120]),
        )
      : null
  const list = notes[reason]
  const note = list && rng.next() < 0.5 ? rng.pick(list) : null
  Object.assign(handoff, {
    rejectionReason: reason,
    rejectionOutcome: outcome,
    recycleOn,
    rejectionNote: note,
  })
  world.events.push({
    workspaceId: handoff.workspaceId,
    id: rng.uuidv7(decidedAt),
    handoffId: handoff.id,
    kind: 'rejected',
    actorId: handoff.ownerId ?? null,
    at: decidedAt,
    details: { reason, outcome, recycleOn, note },
  })
  const side = outcome === 'recycle' ? 'recycled' : 'disqualified'
  world.lifecycle.push({
    workspaceId: handoff.workspaceId,
    id: rng.uuidv7(decidedAt),
    entity: 'contact',
    recordId: handoff.contactId,
    stage: side,
    enteredAt: decidedAt,
    isReentry: false,
    source: 'handoff',
  })
  // The hourly re-engage job has brought back recycled contacts whose date has come.
  const back =
    recycleOn && recycleOn <= localDateOf(new Date(now), timeZone)
      ? hourAfterMidnight(recycleOn, timeZone)
      : null
  if (back && back.getTime() <= now) {
    world.lifecycle.push({
      workspaceId: handoff.workspaceId,
      id: rng.uuidv7(back),
      entity: 'contact',
      recordId: handoff.contactId,
      stage: 'lead',
      enteredAt: back,
      isReentry: true,
      source: 'recycle',
    })
  }
  world.contactUpdates.push({
    id: handoff.contactId,
    stage: back && back.getTime() <= now ? 'lead' : side,
    leadStatus: null,
    recycleUntil: back && back.getTime() <= now ? null : recycleOn,
  })
}

/**
 * The flags the minute job would have set by the demo's date: a window that ended with no first
 * touch (and no rejection before it) is a first-touch breach, an undecided one a decision breach,
 * and still untouched a second window later an escalation to the team's manager.
 */
function flagClocks(
  h: HandoffRow,
  flagAt: (due: Date) => Date,
  now: number,
  teamsById: Map<string, Team>,
  event: (
    handoffId: string,
    kind: Insertable<DB['handoffEvents']>['kind'],
    at: Date,
    actorId: string | null,
    details?: Record<string, unknown>,
  ) => void,
) {
  const t = (d: unknown) => (d instanceof Date ? d.getTime() : Number.POSITIVE_INFINITY)
  const touched = t(h.firstTouchAt)
  const decided = t(h.decidedAt)
  const rejectedBy = h.status === 'rejected' ? decided : Number.POSITIVE_INFINITY
  const ftDue = h.firstTouchDueAt as Date
  const decisionDue = h.decisionDueAt as Date
  const escalateAt = h.escalateAt as Date
  if (ftDue.getTime() <= now && touched > ftDue.getTime() && rejectedBy > ftDue.getTime()) {
    h.firstTouchBreachedAt = flagAt(ftDue)
    event(h.id, 'first_touch_breached', h.firstTouchBreachedAt, null, {
      dueAt: ftDue.toISOString(),
      ownerId: h.ownerId,
    })
  }
  if (decisionDue.getTime() <= now && decided > decisionDue.getTime()) {
    h.decisionBreachedAt = flagAt(decisionDue)
    event(h.id, 'decision_breached', h.decisionBreachedAt, null, {
      dueAt: decisionDue.toISOString(),
      ownerId: h.ownerId,
    })
  }
  if (
    escalateAt.getTime() <= now &&
    touched > escalateAt.getTime() &&
    rejectedBy > escalateAt.getTime()
  ) {
    h.escalatedAt = flagAt(escalateAt)
    const manager = h.teamId ? teamsById.get(h.teamId)?.managerId : null
    event(h.id, 'escalated', h.escalatedAt, null, {
      ownerId: h.ownerId,
      notified: manager ? [manager] : [],
    })
  }
}

/** Unread notifications of the last week, as the core would have sent them. */
function notifyRecent(
  options: HandoffsOptions,
  setup: Setup,
  world: World,
  teamsById: Map<string, Team>,
) {
  const { rng, workspaceId, asOf } = options
  const since = asOf.getTime() - 7 * day
  const send = (
    userIds: (string | null | undefined)[],
    at: Date,
    kind: string,
    title: string,
    h: HandoffRow,
    body: string,
    readAt: Date | null = null,
  ) => {
    for (const userId of new Set(userIds)) {
      if (!userId) continue
      world.notifications.push({
        workspaceId,
        id: rng.uuidv7(at),
        userId,
        kind,
        title,
        body,
        link: handoffLink(h.id),
        createdAt: at,
        readAt,
      })
    }
  }
  for (const h of world.handoffs) {
    const name = world.names.get(h.id) ?? 'a contact'
    const created = h.createdAt
    const ftDue = (h.firstTouchDueAt as Date).toISOString()
    if (created.getTime() >= since) {
      if (h.ownerId) {
        send(
          [h.ownerId],
          created,
          'handoff.assigned',
          `New MQL for you: ${name}`,
          h,
          `${h.mqlReason}. First touch due by ${ftDue}.`,
          // Read by the time the rep called or decided.
          (h.firstTouchAt as Date | null) ?? (h.decidedAt as Date | null) ?? null,
        )
      } else {
        send(
          setup.adminIds,
          created,
          'handoff.unassigned',
          `MQL without an owner: ${name}`,
          h,
          'No rep could take it (no active rep in the team). It waits in the unassigned queue.',
        )
      }
    }
    const breached = h.firstTouchBreachedAt as Date | null | undefined
    if (breached && breached.getTime() >= since) {
      const to = h.ownerId ? [h.ownerId] : setup.adminIds
      send(
        to,
        breached,
        'handoff.first_touch_breached',
        `SLA missed: no first touch in time: ${name}`,
        h,
        `Due ${ftDue}.`,
      )
    }
    const escalated = h.escalatedAt as Date | null | undefined
    if (escalated && escalated.getTime() >= since) {
      const manager = h.teamId ? teamsById.get(h.teamId)?.managerId : null
      send(
        manager ? [manager] : setup.adminIds,
        escalated,
        'handoff.escalated',
        `Escalated: ${name} is still untouched`,
        h,
        'The first-touch window and the escalation window have both passed.',
      )
    }
  }
  // A week of a busy inbox is a long list: each person keeps the newest few of each kind.
  const kept = new Map<string, number>()
  world.notifications = world.notifications
    .sort((a, b) => (b.createdAt as Date).getTime() - (a.createdAt as Date).getTime())
    .filter((n) => {
      const key = `${n.userId}:${n.kind}`
      kept.set(key, (kept.get(key) ?? 0) + 1)
      return (kept.get(key) ?? 0) <= 8
    })
}

// ---------------------------------------------------------------------------------------------
// Writing it

async function writeHistory(db: Kysely<DB>, options: HandoffsOptions, setup: Setup, world: World) {
  const { workspaceId } = options
  await insertJson(db, 'handoffs', world.handoffs)
  await insertJson(db, 'handoffEvents', world.events)
  await insertJson(db, 'activities', world.activities)
  const times = world.touchpoints.map((t) => (t.occurredAt as Date).getTime())
  if (times.length > 0) {
    await ensureTouchpointPartitions(db, new Date(Math.min(...times)), new Date(Math.max(...times)))
    await insertJson(db, 'touchpoints', world.touchpoints)
  }
  await insertJson(db, 'lifecycleEntries', world.lifecycle)
  await sql`
    update contacts c set lifecycle_stage = coalesce(u.stage, c.lifecycle_stage),
      lead_status = u."leadStatus", recycle_until = u."recycleUntil"::date
    from jsonb_to_recordset(${JSON.stringify(world.contactUpdates)}::jsonb)
      as u(id uuid, stage text, "leadStatus" text, "recycleUntil" text)
    where c.workspace_id = ${workspaceId} and c.id = u.id
  `.execute(db)
  if (world.retimed.length > 0) {
    await sql`
      update lifecycle_entries e set entered_at = r.at
      from jsonb_to_recordset(${JSON.stringify(world.retimed)}::jsonb)
        as r("contactId" uuid, at timestamptz)
      where e.workspace_id = ${workspaceId} and e.entity = 'contact' and e.record_id = r."contactId"
        and e.stage in ('subscriber', 'lead', 'mql') and e.entered_at > r.at
    `.execute(db)
  }
  if (world.salMoves.length > 0) {
    await sql`
      update lifecycle_entries e set entered_at = m.at
      from jsonb_to_recordset(${JSON.stringify(world.salMoves)}::jsonb) as m(id uuid, at timestamptz)
      where e.workspace_id = ${workspaceId} and e.id = m.id
    `.execute(db)
  }
  await insertJson(db, 'notifications', world.notifications)
  await insertInChunks(db, 'targets', targets(options, setup, world))
}

/** Marketing's monthly MQL commitment: the last twelve months and the next three, near actuals. */
function targets(
  options: HandoffsOptions,
  setup: Setup,
  world: World,
): Insertable<DB['targets']>[] {
  const { rng, workspaceId, asOf } = options
  const counts = new Map<string, number>()
  for (const h of world.handoffs) {
    const month = `${isoDate(h.createdAt, setup.timeZone).slice(0, 7)}-01`
    counts.set(month, (counts.get(month) ?? 0) + 1)
  }
  const thisMonth = DateTime.fromJSDate(asOf, { zone: setup.timeZone }).startOf('month')
  const monthOf = (offset: number) => thisMonth.plus({ months: offset }).toISODate() ?? ''
  // This month's pace (its MQLs so far, scaled to the whole month) sets this and the next
  // months' targets, growing 5% a month as the business does.
  const today = DateTime.fromJSDate(asOf, { zone: setup.timeZone })
  const pace = ((counts.get(monthOf(0)) ?? 0) * (today.daysInMonth ?? 30)) / Math.max(1, today.day)
  const rows: Insertable<DB['targets']>[] = []
  for (let offset = -11; offset <= 3; offset++) {
    const actual = offset < 0 ? (counts.get(monthOf(offset)) ?? 0) : pace * 1.05 ** offset
    const month = monthOf(offset)
    rows.push({
      workspaceId,
      id: rng.uuidv7(asOf),
      subjectKind: 'company',
      subjectId: '',
      metric: 'mqls',
      periodKind: 'month',
      periodKey: month.slice(0, 7),
      startsOn: month,
      endsOn: monthOf(offset + 1),
      amount: Math.max(1, Math.round((actual * rng.int(88, 115)) / 100)),
      updatedAt: asOf,
    })
  }
  return rows
}

/**
 * Writes rows as one JSON parameter per chunk of 5,000 (jsonb_populate_recordset): far fewer
 * parameters to bind than a multi-row VALUES, which keeps the demo's seeding fast.
 */
async function insertJson(db: Kysely<DB>, table: keyof DB & string, rows: object[]) {
  const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
  const name = snake(table)
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000)
    const columns = [...new Set(chunk.flatMap((row) => Object.keys(row)))]
    const records = chunk.map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [snake(key), value])),
    )
    const list = sql.join(columns.map((c) => sql.id(snake(c))))
    await sql`
      insert into ${sql.id(name)} (${list})
      select ${list} from jsonb_populate_recordset(null::${sql.id(name)}, ${JSON.stringify(records)}::jsonb)
    `.execute(db)
  }
}

// The local date of an instant, memoised by hour: zone offsets change on the hour here.
const localDates = new Map<string, string>()
function localDateOf(at: Date, timeZone: string): string {
  const key = `${timeZone}:${Math.floor(at.getTime() / hour)}`
  let date = localDates.get(key)
  if (date === undefined) {
    date = isoDate(at, timeZone)
    localDates.set(key, date)
  }
  return date
}

// When the hourly re-engage job has run on a local date: an hour after its midnight (memoised).
const reengageTimes = new Map<string, Date>()
function hourAfterMidnight(isoDay: string, timeZone: string): Date {
  const key = `${timeZone}:${isoDay}`
  let at = reengageTimes.get(key)
  if (!at) {
    at = DateTime.fromISO(isoDay, { zone: timeZone }).plus({ hours: 1 }).toJSDate()
    reengageTimes.set(key, at)
  }
  return at
}

function addDays(isoDay: string, days: number): string {
  const date = new Date(`${isoDay}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

function isoDate(at: Date, timeZone = 'UTC'): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate() ?? at.toISOString().slice(0, 10)
}

/** A date column as 'YYYY-MM-DD', whether the driver gives a string or a Date. */
function dateText(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10)
}
