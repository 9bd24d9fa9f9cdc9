import { type Kysely, type SqlBool, sql } from 'kysely'
import type { DB, SegmentKey } from '../db/schema.ts'
import type { CalendarRow, PolicyRow } from './present.ts'

/**
 * Serializes the SLA settings writes of one workspace (calendars and policies), so that "one
 * default calendar" and "one policy per segment" are checked and written without a race.
 */
export async function lockSlaSettings(db: Kysely<DB>, workspaceId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`sla:${workspaceId}`}, 0))`.execute(db)
}

/** One page of the workspace's calendars by name, after the (name, id) of the last page. */
export function selectCalendarPage(
  db: Kysely<DB>,
  workspaceId: string,
  after: { name: string; id: string } | undefined,
  limit: number,
): Promise<CalendarRow[]> {
  return db
    .selectFrom('businessCalendars')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .$if(after !== undefined, (q) =>
      q.where(sql<SqlBool>`(name, id) > (${after?.name ?? ''}, ${after?.id ?? ''}::uuid)`),
    )
    .orderBy('name')
    .orderBy('id')
    .limit(limit + 1)
    .execute()
}

export function findCalendar(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
): Promise<CalendarRow | undefined> {
  return db
    .selectFrom('businessCalendars')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Another calendar of the workspace with this name, compared case-insensitively. */
export function findCalendarNamed(
  db: Kysely<DB>,
  workspaceId: string,
  name: string,
  exceptId?: string,
) {
  return db
    .selectFrom('businessCalendars')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .where(sql<SqlBool>`lower(name) = lower(${name})`)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst()
}

export async function clearDefaultCalendar(db: Kysely<DB>, workspaceId: string) {
  await db
    .updateTable('businessCalendars')
    .set({ isDefault: false, updatedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('isDefault', '=', true)
    .execute()
}

function policiesQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('slaPolicies as p')
    .leftJoin('businessCalendars as c', (join) =>
      join.onRef('c.workspaceId', '=', 'p.workspaceId').onRef('c.id', '=', 'p.calendarId'),
    )
    .selectAll('p')
    .select('c.name as calendarName')
    .where('p.workspaceId', '=', workspaceId)
}

/** The workspace's policies: smb, mid_market, enterprise, then the catch-all (segment null). */
export function selectPolicies(db: Kysely<DB>, workspaceId: string): Promise<PolicyRow[]> {
  return policiesQuery(db, workspaceId)
    .orderBy(
      sql`case p.segment when 'smb' then 1 when 'mid_market' then 2 when 'enterprise' then 3 else 4 end`,
    )
    .orderBy('p.id')
    .execute()
}

export function findPolicy(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
): Promise<PolicyRow | undefined> {
  return policiesQuery(db, workspaceId).where('p.id', '=', id).executeTakeFirst()
}

/** The policy of a segment (null = the catch-all), other than `exceptId`. */
export function findPolicyOfSegment(
  db: Kysely<DB>,
  workspaceId: string,
  segment: SegmentKey | null,
  exceptId?: string,
) {
  return db
    .selectFrom('slaPolicies')
    .select(['id', 'name', 'segment'])
    .where('workspaceId', '=', workspaceId)
    .where((eb) => (segment === null ? eb('segment', 'is', null) : eb('segment', '=', segment)))
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst()
}

export function findPolicyNamed(
  db: Kysely<DB>,
  workspaceId: string,
  name: string,
  exceptId?: string,
) {
  return db
    .selectFrom('slaPolicies')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .where(sql<SqlBool>`lower(name) = lower(${name})`)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst()
}

/**
 * Everything SLA resolution needs for one segment, in one round trip: the workspace's time zone,
 * its default calendar, and the segment's policy or else the catch-all, with that policy's own
 * calendar. No row when the workspace does not exist.
 */
export function selectSlaSources(db: Kysely<DB>, workspaceId: string, segment: SegmentKey | null) {
  return db
    .selectFrom('workspaces as w')
    .leftJoin('businessCalendars as dc', (join) =>
      join.onRef('dc.workspaceId', '=', 'w.id').on('dc.isDefault', '=', true),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('slaPolicies as sp')
          .selectAll('sp')
          .whereRef('sp.workspaceId', '=', 'w.id')
          .where((e) =>
            segment === null
              ? e('sp.segment', 'is', null)
              : e.or([e('sp.segment', '=', segment), e('sp.segment', 'is', null)]),
          )
          // The segment's own policy first; the catch-all only when there is none.
          .orderBy(sql`sp.segment is null`)
          .limit(1)
          .as('p'),
      (join) => join.onTrue(),
    )
    .leftJoin('businessCalendars as pc', (join) =>
      join.onRef('pc.workspaceId', '=', 'w.id').onRef('pc.id', '=', 'p.calendarId'),
    )
    .select([
      'w.timeZone as workspaceTimeZone',
      'p.id as policyId',
      'p.name as policyName',
      'p.firstTouchMinutes',
      'p.acceptanceMinutes',
      'p.escalationMinutes',
      'p.reassignOnEscalation',
      'pc.id as policyCalendarId',
      'pc.name as policyCalendarName',
      'pc.timeZone as policyCalendarTimeZone',
      'pc.week as policyCalendarWeek',
      'pc.holidays as policyCalendarHolidays',
      'dc.id as defaultCalendarId',
      'dc.name as defaultCalendarName',
      'dc.timeZone as defaultCalendarTimeZone',
      'dc.week as defaultCalendarWeek',
      'dc.holidays as defaultCalendarHolidays',
    ])
    .where('w.id', '=', workspaceId)
    .executeTakeFirst()
}

/** The policies using any of these calendars, by name. */
export function selectPoliciesUsingCalendars(
  db: Kysely<DB>,
  workspaceId: string,
  calendarIds: string[],
) {
  if (calendarIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('slaPolicies')
    .select(['id', 'name', 'calendarId'])
    .where('workspaceId', '=', workspaceId)
    .where('calendarId', 'in', calendarIds)
    .orderBy('name')
    .orderBy('id')
    .execute()
}
