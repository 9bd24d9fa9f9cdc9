import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { loadCalendar, loadPolicyCalendars, resolveSla, slaDueTimes } from './resolve.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'
/** A workspace of its own in `timeZone`, so each test starts with no calendars or policies. */
async function space(timeZone: string) {
  const { owner, workspaceId } = await makeWorkspace(t, 'SLA Co')
  const send = (method: Method, url: string, payload?: unknown) =>
    owner.request({ method, url, workspaceId, ...(payload ? { payload } : {}) })
  /** The response's data, failing the test on an unexpected status. */
  const ok = async (method: Method, url: string, payload?: unknown, status = 200) => {
    const response = await send(method, url, payload)
    expect(response.statusCode, response.body).toBe(status)
    return status === 204 ? undefined : response.json().data
  }
  await ok('PATCH', '/api/v1/workspace', { timeZone })
  return { owner, workspaceId, send, ok }
}

const nineToFive = { start: '09:00', end: '17:00' }
const weekdays = { 1: nineToFive, 2: nineToFive, 3: nineToFive, 4: nineToFive, 5: nineToFive }
const officeWeek = { ...weekdays, 6: null, 7: null }

describe('resolving the SLA of a handoff', () => {
  it('falls back to the built-in windows and Mon-Fri 09:00-17:00 in the workspace time zone', async () => {
    const s = await space('Asia/Tokyo')
    const sla = await resolveSla(t.ctx.db, s.workspaceId, 'enterprise')
    expect(sla).toMatchObject({
      policyId: null,
      policyName: 'Default',
      firstTouchMinutes: 240,
      acceptanceMinutes: 960,
      escalationMinutes: 240,
      reassignOnEscalation: false,
      calendarId: null,
      calendarSource: 'built_in',
      calendar: { timeZone: 'Asia/Tokyo', week: officeWeek, holidays: [] },
    })
    await expect(resolveSla(t.ctx.db, uuidv7(), null)).rejects.toMatchObject({
      code: 'not_found',
    })
  })

  it('takes the segment policy, else the catch-all, and its calendar, else the default calendar', async () => {
    const s = await space('Europe/Paris')
    const catchAll = await s.ok('POST', '/api/v1/sla/policies', { firstTouchMinutes: 120 }, 201)
    expect(catchAll).toMatchObject({ name: 'Every other lead', segment: null, calendar: null })
    let sla = await resolveSla(t.ctx.db, s.workspaceId, 'enterprise')
    expect(sla).toMatchObject({ policyId: catchAll.id, firstTouchMinutes: 120 })
    expect(sla).toMatchObject({ acceptanceMinutes: 960, calendarSource: 'built_in' })
    expect(sla.calendar.timeZone).toBe('Europe/Paris')

    const office = await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      { name: 'Paris office', holidays: ['2026-12-25'], isDefault: true },
      201,
    )
    const nightShift = await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      {
        name: 'Follow the sun',
        timeZone: 'America/New_York',
        week: { ...officeWeek, 6: { start: '10:00', end: '14:00' } },
      },
      201,
    )
    const enterprise = await s.ok(
      'POST',
      '/api/v1/sla/policies',
      { segment: 'enterprise', calendarId: nightShift.id, acceptanceMinutes: 480 },
      201,
    )
    expect(enterprise).toMatchObject({
      name: 'Enterprise',
      calendar: { id: nightShift.id, name: 'Follow the sun' },
      acceptanceHours: 8,
    })

    sla = await resolveSla(t.ctx.db, s.workspaceId, 'enterprise')
    expect(sla).toMatchObject({
      policyId: enterprise.id,
      policyName: 'Enterprise',
      firstTouchMinutes: 240,
      acceptanceMinutes: 480,
      calendarId: nightShift.id,
      calendarSource: 'policy',
      calendar: { timeZone: 'America/New_York', week: { 6: { start: '10:00', end: '14:00' } } },
    })
    for (const segment of ['smb', null] as const) {
      const other = await resolveSla(t.ctx.db, s.workspaceId, segment)
      expect(other).toMatchObject({
        policyId: catchAll.id,
        calendarId: office.id,
        calendarSource: 'workspace_default',
        calendar: { timeZone: 'Europe/Paris', holidays: ['2026-12-25'] },
      })
    }

    // Without its policy the segment falls back to the catch-all; without that, to the defaults.
    await s.ok('DELETE', `/api/v1/sla/policies/${enterprise.id}`, undefined, 204)
    sla = await resolveSla(t.ctx.db, s.workspaceId, 'enterprise')
    expect(sla.policyId).toBe(catchAll.id)
    await s.ok('DELETE', `/api/v1/sla/policies/${catchAll.id}`, undefined, 204)
    sla = await resolveSla(t.ctx.db, s.workspaceId, 'enterprise')
    expect(sla).toMatchObject({ policyId: null, firstTouchMinutes: 240, calendarId: office.id })
  })

  it('loads a calendar by id or the workspace one, and the calendars of all policies at once', async () => {
    const s = await space('Australia/Sydney')
    expect((await loadCalendar(t.ctx.db, s.workspaceId, null)).timeZone).toBe('Australia/Sydney')
    const own = await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      { name: 'Auckland', timeZone: 'Pacific/Auckland' },
      201,
    )
    const policy = await s.ok('POST', '/api/v1/sla/policies', { calendarId: own.id }, 201)
    expect((await loadCalendar(t.ctx.db, s.workspaceId, own.id)).timeZone).toBe('Pacific/Auckland')
    // A calendar gone since falls back to the workspace one.
    expect((await loadCalendar(t.ctx.db, s.workspaceId, uuidv7())).timeZone).toBe(
      'Australia/Sydney',
    )
    const calendarOf = await loadPolicyCalendars(t.ctx.db, s.workspaceId)
    expect(calendarOf(policy.id).timeZone).toBe('Pacific/Auckland')
    expect(calendarOf(null).timeZone).toBe('Australia/Sydney')
    expect(calendarOf(uuidv7()).timeZone).toBe('Australia/Sydney')
  })
})

describe('due times', () => {
  it('pause over a weekend and a holiday in a zone ahead of UTC (Tokyo, UTC+9)', async () => {
    const s = await space('Asia/Tokyo')
    // Monday 23 November 2026 is Labour Thanksgiving Day in Japan.
    await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      { name: 'Tokyo', holidays: ['2026-11-23'], isDefault: true },
      201,
    )
    // Created Friday 20 Nov 16:00 JST (07:00Z). First touch, 4 business hours: 1 h on Friday,
    // nothing Saturday to Monday, 3 h from 09:00 on Tuesday → Tue 12:00 JST = 03:00Z.
    // Decision, 16 h: 1 h Friday + 8 h Tuesday + 7 h Wednesday → Wed 16:00 JST = 07:00Z.
    // Escalation, 4 h after the first-touch due time: Tue 16:00 JST = 07:00Z.
    const preview = await s.ok('GET', '/api/v1/sla/preview?segment=smb&at=2026-11-20T07:00:00Z')
    expect(preview).toMatchObject({
      segment: 'smb',
      at: '2026-11-20T07:00:00.000Z',
      policy: { id: null, name: 'Default', firstTouchHours: 4, acceptanceHours: 16 },
      calendar: { name: 'Tokyo', source: 'workspace_default', timeZone: 'Asia/Tokyo' },
      isOpen: true,
      firstTouchDueAt: '2026-11-24T03:00:00.000Z',
      decisionDueAt: '2026-11-25T07:00:00.000Z',
      escalateAt: '2026-11-24T07:00:00.000Z',
    })
    // Created on Saturday the clock starts at Tuesday's opening, 09:00 JST = 00:00Z.
    const weekend = await s.ok('GET', '/api/v1/sla/preview?at=2026-11-21T12:00:00%2B09:00')
    expect(weekend).toMatchObject({
      isOpen: false,
      clockStartsAt: '2026-11-24T00:00:00.000Z',
      firstTouchDueAt: '2026-11-24T04:00:00.000Z',
    })
  })

  it('follow the change from summer to winter time (Berlin, 25 October 2026)', async () => {
    const s = await space('Europe/Berlin')
    const sla = await resolveSla(t.ctx.db, s.workspaceId, null)
    // Friday 23 Oct 15:00 CEST (UTC+2) = 13:00Z: 2 h on Friday, then 2 h from Monday 09:00 CET
    // (UTC+1) → 11:00 CET = 10:00Z (09:00Z if the offset were not followed).
    const due = slaDueTimes(sla, new Date('2026-10-23T13:00:00Z'))
    expect(due.firstTouchDueAt.toISOString()).toBe('2026-10-26T10:00:00.000Z')
    // Decision: 2 h Friday + 8 h Monday + 6 h Tuesday → Tue 15:00 CET = 14:00Z.
    expect(due.decisionDueAt.toISOString()).toBe('2026-10-27T14:00:00.000Z')
    // Escalation: Monday 11:00 CET + 4 h → 15:00 CET = 14:00Z.
    expect(due.escalateAt.toISOString()).toBe('2026-10-26T14:00:00.000Z')
  })

  it('count the hour lost to summer time inside opening hours (Berlin, 29 March 2026)', async () => {
    const s = await space('Europe/Berlin')
    const sundays = await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      {
        name: 'Sundays round the clock',
        week: {
          1: null,
          2: null,
          3: null,
          4: null,
          5: null,
          6: null,
          7: { start: '00:00', end: '24:00' },
        },
      },
      201,
    )
    await s.ok(
      'POST',
      '/api/v1/sla/policies',
      { segment: 'mid_market', calendarId: sundays.id, firstTouchMinutes: 1440 },
      201,
    )
    // Sunday 29 March has 23 hours (02:00 → 03:00): 24 business hours from its midnight (23:00Z
    // on the 28th) are the whole 23-hour day plus 01:00 CEST on Sunday 5 April = 23:00Z on the 4th.
    const preview = await s.ok(
      'GET',
      '/api/v1/sla/preview?segment=mid_market&at=2026-03-28T23:00:00Z',
    )
    expect(preview.firstTouchDueAt).toBe('2026-04-04T23:00:00.000Z')
    expect(preview.calendar).toMatchObject({ source: 'policy', timeZone: 'Europe/Berlin' })
  })
})

describe('business calendars', () => {
  it('defaults to the workspace time zone and office hours, canonical zone, holidays sorted once', async () => {
    const s = await space('America/Chicago')
    const plain = await s.ok('POST', '/api/v1/sla/calendars', { name: 'Plain' }, 201)
    expect(plain).toMatchObject({
      timeZone: 'America/Chicago',
      week: officeWeek,
      holidays: [],
      isDefault: false,
      usedBy: [],
    })
    const berlin = await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      {
        name: 'Berlin',
        timeZone: 'europe/berlin',
        holidays: ['2026-12-26', '2026-12-25', '2026-12-26'],
      },
      201,
    )
    expect(berlin).toMatchObject({
      timeZone: 'Europe/Berlin',
      holidays: ['2026-12-25', '2026-12-26'],
    })
  })

  it('refuses bad calendars with a 400 naming the field, and writes nothing', async () => {
    const s = await space('UTC')
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'A', timeZone: 'Mars/Olympus_Mons' }, 'body.timeZone: '],
      [
        { name: 'A', week: { ...officeWeek, 1: { start: '09:00', end: '08:00' } } },
        'body.week.1.end: ',
      ],
      [
        { name: 'A', week: { ...officeWeek, 2: { start: '9am', end: '17:00' } } },
        'body.week.2.start: ',
      ],
      [
        { name: 'A', week: { ...officeWeek, 3: { start: '09:00', end: '25:00' } } },
        'body.week.3.end: ',
      ],
      [{ name: 'A', week: { ...officeWeek, 8: null } }, 'body.week: '],
      [
        { name: 'A', week: { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null } },
        'body.week: ',
      ],
      [{ name: 'A', holidays: ['2026-02-30'] }, 'body.holidays.0: '],
      [{ name: 'A', holidays: ['25/12/2026'] }, 'body.holidays.0: '],
      [{ name: 'A', holidays: Array.from({ length: 367 }, () => '2026-12-25') }, 'body.holidays: '],
      [{ name: ' ' }, 'body.name: '],
    ]
    for (const [payload, prefix] of cases) {
      const response = await s.send('POST', '/api/v1/sla/calendars', payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message).toMatch(new RegExp(`^${prefix.replaceAll('.', '\\.')}`))
    }
    const calendar = await s.ok('POST', '/api/v1/sla/calendars', { name: 'Good' }, 201)
    const patch = await s.send('PATCH', `/api/v1/sla/calendars/${calendar.id}`, {
      week: { ...officeWeek, 5: { start: '17:00', end: '17:00' } },
    })
    expect(patch.statusCode).toBe(400)
    expect(patch.json().error.message).toMatch(/^body\.week\.5\.end: end must be after start/)
    const rows = await t.ctx.db
      .selectFrom('businessCalendars')
      .select(['name', 'week'])
      .where('workspaceId', '=', s.workspaceId)
      .execute()
    expect(rows).toEqual([{ name: 'Good', week: expect.objectContaining({ 5: nineToFive }) }])
  })

  it('keeps one default calendar: setting a new one unsets the previous', async () => {
    const s = await space('UTC')
    const first = await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      { name: 'First', isDefault: true },
      201,
    )
    const second = await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      { name: 'Second', isDefault: true },
      201,
    )
    expect((await s.ok('GET', `/api/v1/sla/calendars/${first.id}`)).isDefault).toBe(false)
    await s.ok('PATCH', `/api/v1/sla/calendars/${first.id}`, { isDefault: true })
    const list = await s.send('GET', '/api/v1/sla/calendars')
    expect(
      list.json().data.map((c: { name: string; isDefault: boolean }) => [c.name, c.isDefault]),
    ).toEqual([
      ['First', true],
      ['Second', false],
    ])
    // Two admins making two calendars the default at the same moment: one default remains.
    const racing = await Promise.all(
      ['Third', 'Fourth'].map((name) =>
        s.send('POST', '/api/v1/sla/calendars', { name, isDefault: true }),
      ),
    )
    expect(racing.map((r) => r.statusCode)).toEqual([201, 201])
    const defaults = await t.ctx.db
      .selectFrom('businessCalendars')
      .select('name')
      .where('workspaceId', '=', s.workspaceId)
      .where('isDefault', '=', true)
      .execute()
    expect(defaults).toHaveLength(1)
    expect(second.id).not.toBe(first.id)
    const taken = await s.send('POST', '/api/v1/sla/calendars', { name: 'first' })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().error).toMatchObject({ code: 'conflict', details: { field: 'name' } })
  })

  it('refuses to delete a calendar a policy uses, naming the policies; audits every change', async () => {
    const s = await space('UTC')
    const calendar = await s.ok('POST', '/api/v1/sla/calendars', { name: 'Busy' }, 201)
    const smb = await s.ok(
      'POST',
      '/api/v1/sla/policies',
      { segment: 'smb', calendarId: calendar.id },
      201,
    )
    await s.ok(
      'POST',
      '/api/v1/sla/policies',
      { segment: 'enterprise', calendarId: calendar.id },
      201,
    )
    const inUse = await s.send('DELETE', `/api/v1/sla/calendars/${calendar.id}`)
    expect(inUse.statusCode).toBe(409)
    expect(inUse.json().error.message).toBe(
      'The calendar "Busy" is used by the SLA policies "Enterprise", "SMB": give them another calendar first',
    )
    expect((await s.ok('GET', `/api/v1/sla/calendars/${calendar.id}`)).usedBy).toHaveLength(2)
    await s.ok('PATCH', `/api/v1/sla/calendars/${calendar.id}`, {
      name: 'Renamed',
      holidays: ['2027-01-01'],
    })
    await s.ok('DELETE', `/api/v1/sla/policies/${smb.id}`, undefined, 204)
    await s.ok(
      'PATCH',
      `/api/v1/sla/policies/${(await s.ok('GET', '/api/v1/sla/policies'))[0].id}`,
      {
        calendarId: null,
      },
    )
    await s.ok('DELETE', `/api/v1/sla/calendars/${calendar.id}`, undefined, 204)
    expect((await s.send('GET', `/api/v1/sla/calendars/${calendar.id}`)).statusCode).toBe(404)
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('workspaceId', '=', s.workspaceId)
      .where('targetId', '=', calendar.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual([
      'business_calendar.create',
      'business_calendar.update',
      'business_calendar.delete',
    ])
    expect(audit[1]?.details).toEqual({
      name: { from: 'Busy', to: 'Renamed' },
      holidays: { from: [], to: ['2027-01-01'] },
    })
  })
})

describe('SLA policies', () => {
  it('keeps one policy per segment and one catch-all, with a 409 naming the clash', async () => {
    const s = await space('UTC')
    await s.ok('POST', '/api/v1/sla/policies', { segment: 'smb', name: 'Small deals' }, 201)
    await s.ok('POST', '/api/v1/sla/policies', {}, 201)
    const smb = await s.send('POST', '/api/v1/sla/policies', { segment: 'smb', name: 'Other' })
    expect(smb.statusCode).toBe(409)
    expect(smb.json().error.message).toBe(
      'segment: the policy "Small deals" already covers SMB leads; change that one instead',
    )
    const catchAll = await s.send('POST', '/api/v1/sla/policies', { segment: null, name: 'Rest' })
    expect(catchAll.statusCode).toBe(409)
    expect(catchAll.json().error.message).toMatch(
      /^segment: .*"Every other lead".*every other lead/,
    )
    const name = await s.send('POST', '/api/v1/sla/policies', {
      segment: 'enterprise',
      name: 'small DEALS',
    })
    expect(name.statusCode).toBe(409)
    expect(name.json().error.details).toMatchObject({ field: 'name' })
    const mid = await s.ok('POST', '/api/v1/sla/policies', { segment: 'mid_market' }, 201)
    const moved = await s.send('PATCH', `/api/v1/sla/policies/${mid.id}`, { segment: 'smb' })
    expect(moved.statusCode).toBe(409)
    const list = await s.ok('GET', '/api/v1/sla/policies')
    expect(list.map((p: { segment: string | null }) => p.segment)).toEqual([
      'smb',
      'mid_market',
      null,
    ])
  })

  it('refuses bad windows and calendars with a 400 naming the field', async () => {
    const s = await space('UTC')
    const other = await makeWorkspace(t, 'Other SLA Co')
    const theirs = (
      await other.owner.request({
        method: 'POST',
        url: '/api/v1/sla/calendars',
        workspaceId: other.workspaceId,
        payload: { name: 'Theirs' },
      })
    ).json().data
    const cases: [Record<string, unknown>, string][] = [
      [{ firstTouchMinutes: 0 }, 'body.firstTouchMinutes: must be between 1 and 100000'],
      [{ acceptanceMinutes: 100_001 }, 'body.acceptanceMinutes: must be between 1 and 100000'],
      [{ escalationMinutes: 1.5 }, 'body.escalationMinutes: must be a whole number'],
      [{ segment: 'huge' }, 'body.segment: '],
      [{ calendarId: 'tomorrow' }, 'body.calendarId: '],
      [
        { calendarId: theirs.id },
        `calendarId: no calendar of this workspace has the id ${theirs.id}`,
      ],
      [{ reassignOnEscalation: 'yes' }, 'body.reassignOnEscalation: '],
    ]
    for (const [payload, message] of cases) {
      const response = await s.send('POST', '/api/v1/sla/policies', payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message.startsWith(message), response.body).toBe(true)
    }
    expect(await s.ok('GET', '/api/v1/sla/policies')).toEqual([])
    const bad = await s.send('GET', '/api/v1/sla/preview?at=yesterday')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/^querystring\.at: /)
  })

  it('refuses windows that would last over a year of their calendar, whichever side changes', async () => {
    const s = await space('UTC')
    const closed = { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null }
    // Open 30 minutes a week: a year of it is 52 × 30 = 1,560 business minutes.
    const calendar = await s.ok(
      'POST',
      '/api/v1/sla/calendars',
      { name: 'Monday mornings', week: { ...closed, 1: { start: '09:00', end: '09:30' } } },
      201,
    )
    const tooLong = await s.send('POST', '/api/v1/sla/policies', {
      calendarId: calendar.id,
      firstTouchMinutes: 60,
      acceptanceMinutes: 2000,
    })
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.json().error.message).toBe(
      'acceptanceMinutes: the policy "Every other lead" needs 2000 business minutes, more than a year of its calendar\'s hours (30 a week); shorten its windows or open more hours',
    )
    const fits = await s.ok(
      'POST',
      '/api/v1/sla/policies',
      {
        calendarId: calendar.id,
        firstTouchMinutes: 60,
        acceptanceMinutes: 1500,
        escalationMinutes: 60,
      },
      201,
    )
    // Shortening the calendar's hours under the policy is refused too, naming the week.
    const shorter = await s.send('PATCH', `/api/v1/sla/calendars/${calendar.id}`, {
      week: { ...closed, 1: { start: '09:00', end: '09:10' } },
    })
    expect(shorter.statusCode).toBe(400)
    expect(shorter.json().error.message).toMatch(/^week: the policy "Every other lead" needs 1500/)
    expect((await s.ok('GET', `/api/v1/sla/calendars/${calendar.id}`)).week[1]).toEqual({
      start: '09:00',
      end: '09:30',
    })
    expect(fits.acceptanceMinutes).toBe(1500)
  })

  it('changes a policy, audited, and lets only SLA managers write', async () => {
    const s = await space('UTC')
    const manager = await addMember(t, s.owner, s.workspaceId, 'sales_manager')
    const rep = await addMember(t, s.owner, s.workspaceId, 'sales')
    const as = (who: Session, method: Method, url: string, payload?: unknown) =>
      who.request({ method, url, workspaceId: s.workspaceId, ...(payload ? { payload } : {}) })
    const created = await as(manager, 'POST', '/api/v1/sla/policies', { segment: 'enterprise' })
    expect(created.statusCode).toBe(201)
    const policy = created.json().data
    const changed = await as(manager, 'PATCH', `/api/v1/sla/policies/${policy.id}`, {
      firstTouchMinutes: 90,
      reassignOnEscalation: true,
    })
    expect(changed.json().data).toMatchObject({
      firstTouchMinutes: 90,
      firstTouchHours: 1.5,
      reassignOnEscalation: true,
    })
    for (const url of ['/api/v1/sla/policies', '/api/v1/sla/calendars', '/api/v1/sla/preview'])
      expect((await as(rep, 'GET', url)).statusCode).toBe(200)
    const denied = [
      await as(rep, 'POST', '/api/v1/sla/policies', { segment: 'smb' }),
      await as(rep, 'PATCH', `/api/v1/sla/policies/${policy.id}`, { firstTouchMinutes: 1 }),
      await as(rep, 'DELETE', `/api/v1/sla/policies/${policy.id}`),
      await as(rep, 'POST', '/api/v1/sla/calendars', { name: 'Mine' }),
    ]
    expect(denied.map((r) => r.statusCode)).toEqual([403, 403, 403, 403])
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('targetId', '=', policy.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['sla_policy.create', 'sla_policy.update'])
    expect(audit[1]?.details).toEqual({
      firstTouchMinutes: { from: 240, to: 90 },
      reassignOnEscalation: { from: false, to: true },
    })
  })
})
