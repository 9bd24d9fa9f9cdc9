/**
 * Which SLA a handoff gets (DEFINITIONS.md "Handoff and the two-way SLA"): the policy of its
 * segment, else the workspace's catch-all policy (segment null), else the built-in defaults; its
 * clock runs on the policy's calendar, else the workspace's default calendar, else Mon-Fri
 * 09:00-17:00 in the workspace time zone. The handoff core calls resolveSla and slaDueTimes when it
 * creates a handoff, so its due times are fixed then (a later policy change does not move them).
 */
import type { Kysely } from 'kysely'
import {
  addBusinessMinutes,
  type BusinessCalendar,
  defaultCalendar,
} from '../../domain/business-hours.ts'
import type { DB, SegmentKey } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { toBusinessCalendar } from './present.ts'
import { selectSlaSources } from './queries.ts'

export type SlaSegment = SegmentKey | null

/** Where a resolved SLA's calendar came from. */
export type CalendarSource = 'policy' | 'workspace_default' | 'built_in'

export interface ResolvedSla {
  /** null when no policy applies and the built-in defaults do. */
  policyId: string | null
  policyName: string
  calendar: BusinessCalendar
  firstTouchMinutes: number
  acceptanceMinutes: number
  escalationMinutes: number
  reassignOnEscalation: boolean
  /** The calendar row the clock runs on; null for the built-in calendar. */
  calendarId: string | null
  calendarName: string
  calendarSource: CalendarSource
}

/** The windows of DEFINITIONS.md, in business minutes: 4 h to first touch, 16 h to decide. */
export const defaultSlaWindows = {
  firstTouchMinutes: 240,
  acceptanceMinutes: 960,
  // The second window after a first-touch breach before the team manager is told.
  escalationMinutes: 240,
} as const

export const builtInPolicyName = 'Default'
export const builtInCalendarName = 'Mon-Fri 09:00-17:00'

export interface SlaDueTimes {
  firstTouchDueAt: Date
  decisionDueAt: Date
  escalateAt: Date
}

/**
 * The SLA of a lead of `segment` (null = no segment) in the workspace, in one query. Pass the
 * transaction that creates the handoff, so the policy read is the one the handoff records.
 */
export async function resolveSla(
  db: Kysely<DB>,
  workspaceId: string,
  segment: SlaSegment,
): Promise<ResolvedSla> {
  const row = await selectSlaSources(db, workspaceId, segment)
  if (!row) throw new AppError('not_found', 'Workspace not found')
  const clock = pickCalendar(row)
  if (row.policyId === null) {
    return {
      policyId: null,
      policyName: builtInPolicyName,
      ...defaultSlaWindows,
      reassignOnEscalation: false,
      ...clock,
    }
  }
  return {
    policyId: row.policyId,
    policyName: row.policyName ?? builtInPolicyName,
    firstTouchMinutes: row.firstTouchMinutes ?? defaultSlaWindows.firstTouchMinutes,
    acceptanceMinutes: row.acceptanceMinutes ?? defaultSlaWindows.acceptanceMinutes,
    escalationMinutes: row.escalationMinutes ?? defaultSlaWindows.escalationMinutes,
    reassignOnEscalation: row.reassignOnEscalation ?? false,
    ...clock,
  }
}

type SlaSources = NonNullable<Awaited<ReturnType<typeof selectSlaSources>>>

function pickCalendar(
  row: SlaSources,
): Pick<ResolvedSla, 'calendar' | 'calendarId' | 'calendarName' | 'calendarSource'> {
  if (row.policyCalendarId !== null) {
    return {
      calendar: toBusinessCalendar({
        timeZone: row.policyCalendarTimeZone ?? row.workspaceTimeZone,
        week: row.policyCalendarWeek ?? {},
        holidays: row.policyCalendarHolidays ?? [],
      }),
      calendarId: row.policyCalendarId,
      calendarName: row.policyCalendarName ?? '',
      calendarSource: 'policy',
    }
  }
  if (row.defaultCalendarId !== null) {
    return {
      calendar: toBusinessCalendar({
        timeZone: row.defaultCalendarTimeZone ?? row.workspaceTimeZone,
        week: row.defaultCalendarWeek ?? {},
        holidays: row.defaultCalendarHolidays ?? [],
      }),
      calendarId: row.defaultCalendarId,
      calendarName: row.defaultCalendarName ?? '',
      calendarSource: 'workspace_default',
    }
  }
  return {
    calendar: defaultCalendar(row.workspaceTimeZone),
    calendarId: null,
    calendarName: builtInCalendarName,
    calendarSource: 'built_in',
  }
}

/**
 * The due times of a handoff created at `createdAt` under `sla`: first touch and decision count
 * business minutes from creation; escalation counts the escalation window from the first-touch due
 * time (the "second window" after a breach before the team manager is told).
 */
export function slaDueTimes(
  sla: Pick<
    ResolvedSla,
    'calendar' | 'firstTouchMinutes' | 'acceptanceMinutes' | 'escalationMinutes'
  >,
  createdAt: Date,
): SlaDueTimes {
  const firstTouchDueAt = addBusinessMinutes(sla.calendar, createdAt, sla.firstTouchMinutes)
  return {
    firstTouchDueAt,
    decisionDueAt: addBusinessMinutes(sla.calendar, createdAt, sla.acceptanceMinutes),
    escalateAt: addBusinessMinutes(sla.calendar, firstTouchDueAt, sla.escalationMinutes),
  }
}

/**
 * A calendar of the workspace by id; null, or an id that no longer exists, means the workspace
 * default calendar, else the built-in one in the workspace time zone.
 */
export async function loadCalendar(
  db: Kysely<DB>,
  workspaceId: string,
  calendarId: string | null,
): Promise<BusinessCalendar> {
  const rows = await db
    .selectFrom('workspaces as w')
    .leftJoin('businessCalendars as c', (join) =>
      join
        .onRef('c.workspaceId', '=', 'w.id')
        .on((eb) =>
          calendarId === null
            ? eb('c.isDefault', '=', true)
            : eb.or([eb('c.id', '=', calendarId), eb('c.isDefault', '=', true)]),
        ),
    )
    .select(['w.timeZone as workspaceTimeZone', 'c.id', 'c.timeZone', 'c.week', 'c.holidays'])
    .where('w.id', '=', workspaceId)
    .execute()
  const first = rows[0]
  if (!first) throw new AppError('not_found', 'Workspace not found')
  const chosen = rows.find((r) => r.id !== null && r.id === calendarId) ?? rows.find((r) => r.id)
  if (!chosen?.timeZone || !chosen.week) return defaultCalendar(first.workspaceTimeZone)
  return toBusinessCalendar({
    timeZone: chosen.timeZone,
    week: chosen.week,
    holidays: chosen.holidays ?? [],
  })
}

/**
 * The calendars of every SLA policy of the workspace at once, for presenting many handoffs (time
 * to first touch of a list): policyId → its calendar. A null or unknown policy id (a handoff made
 * under the built-in defaults, or whose policy was deleted since) gets the workspace's calendar.
 */
export async function loadPolicyCalendars(
  db: Kysely<DB>,
  workspaceId: string,
): Promise<(policyId: string | null) => BusinessCalendar> {
  const workspaceCalendar = await loadCalendar(db, workspaceId, null)
  const rows = await db
    .selectFrom('slaPolicies as p')
    .innerJoin('businessCalendars as c', (join) =>
      join.onRef('c.workspaceId', '=', 'p.workspaceId').onRef('c.id', '=', 'p.calendarId'),
    )
    .select(['p.id as policyId', 'c.timeZone', 'c.week', 'c.holidays'])
    .where('p.workspaceId', '=', workspaceId)
    .execute()
  const byPolicy = new Map(rows.map((row) => [row.policyId, toBusinessCalendar(row)]))
  return (policyId) => (policyId ? byPolicy.get(policyId) : undefined) ?? workspaceCalendar
}
