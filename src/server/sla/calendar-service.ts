import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { BusinessCalendarInput, defaultCalendar } from '../../domain/business-hours.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts'
import { changes } from '../records/fields.ts'
import { checkWindowsFit } from './fit.ts'
import { type CalendarRow, presentCalendar, toWeek } from './present.ts'
import {
  clearDefaultCalendar,
  findCalendar,
  findCalendarNamed,
  lockSlaSettings,
  selectCalendarPage,
  selectPoliciesUsingCalendars,
} from './queries.ts'

// Time zone, week and holidays are validated by the domain's own schema (business-hours.ts), so
// the API and the clock agree on what a calendar is.
export const CalendarInput = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: BusinessCalendarInput.shape.timeZone
    .optional()
    .describe('IANA time zone; default: the workspace time zone'),
  week: BusinessCalendarInput.shape.week
    .optional()
    .describe(
      'Opening hours by ISO weekday "1" (Monday) to "7" (Sunday): { start, end } as HH:MM, or null when closed; default Mon-Fri 09:00-17:00',
    ),
  holidays: BusinessCalendarInput.shape.holidays
    .optional()
    .describe('Closed dates YYYY-MM-DD, local to the calendar; at most 366'),
  isDefault: z
    .boolean()
    .optional()
    .describe('The workspace calendar: used by every SLA policy without a calendar of its own'),
})
export type CalendarInput = z.infer<typeof CalendarInput>
export const CalendarPatch = CalendarInput.partial()
export type CalendarPatch = z.infer<typeof CalendarPatch>

/** The canonical spelling of a valid IANA zone ('europe/berlin' → 'Europe/Berlin'). */
function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone
}

/** Holidays once each, in date order. */
function tidyHolidays(holidays: readonly string[]): string[] {
  return [...new Set(holidays)].sort()
}

async function present(db: Kysely<DB>, workspaceId: string, rows: CalendarRow[]) {
  const users = await selectPoliciesUsingCalendars(
    db,
    workspaceId,
    rows.map((row) => row.id),
  )
  return rows.map((row) =>
    presentCalendar(
      row,
      users.filter((p) => p.calendarId === row.id).map((p) => ({ id: p.id, name: p.name })),
    ),
  )
}

async function requireCalendar(db: Kysely<DB>, workspaceId: string, id: string) {
  const row = await findCalendar(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Calendar not found')
  return row
}

async function checkName(db: Kysely<DB>, workspaceId: string, name: string, exceptId?: string) {
  const taken = await findCalendarNamed(db, workspaceId, name, exceptId)
  if (taken) {
    throw new AppError('conflict', `name: a calendar called "${taken.name}" already exists`, {
      field: 'name',
      existingId: taken.id,
    })
  }
}

/** The workspace's business calendars by name, each with the SLA policies that use it. */
export async function listCalendars(db: Kysely<DB>, principal: Principal, page: Page) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  const cursor = decodeCursor(page.cursor, ['name', 'id'])
  const after = cursor ? { name: String(cursor.name), id: String(cursor.id) } : undefined
  const rows = await selectCalendarPage(db, workspaceId, after, page.limit)
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  return {
    data: await present(db, workspaceId, data),
    nextCursor:
      rows.length > page.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
  }
}

export async function getCalendar(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  const row = await requireCalendar(db, workspaceId, id)
  const [calendar] = await present(db, workspaceId, [row])
  return calendar as ReturnType<typeof presentCalendar>
}

/**
 * Creates a business calendar; missing parts default to DEFINITIONS.md's (Mon-Fri 09:00-17:00 in
 * the workspace time zone, no holidays). Made the default, it takes over from the previous one.
 */
export async function createCalendar(db: Kysely<DB>, principal: Principal, input: CalendarInput) {
  const { workspaceId } = requirePermission(principal, 'sla:manage')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    await lockSlaSettings(trx, workspaceId)
    await checkName(trx, workspaceId, input.name)
    const workspace = await trx
      .selectFrom('workspaces')
      .select('timeZone')
      .where('id', '=', workspaceId)
      .executeTakeFirstOrThrow()
    const timeZone = canonicalZone(input.timeZone ?? workspace.timeZone)
    const week = input.week ?? defaultCalendar(timeZone).week
    const holidays = tidyHolidays(input.holidays ?? [])
    const isDefault = input.isDefault ?? false
    if (isDefault) await clearDefaultCalendar(trx, workspaceId)
    await trx
      .insertInto('businessCalendars')
      .values({
        workspaceId,
        id,
        name: input.name,
        timeZone,
        week: JSON.stringify(week),
        holidays: JSON.stringify(holidays),
        isDefault,
      })
      .execute()
    if (isDefault) await checkWindowsFit(trx, workspaceId, 'week')
    await recordAudit(trx, principal, workspaceId, {
      action: 'business_calendar.create',
      targetType: 'business_calendar',
      targetId: id,
      details: { name: input.name, timeZone, week, holidays, isDefault },
    })
  })
  return getCalendar(db, principal, id)
}

/**
 * Changes a calendar (week and holidays are replaced whole). Handoffs already created keep their
 * due times; only new handoffs run on the new hours.
 */
export async function updateCalendar(
  db: Kysely<DB>,
  principal: Principal,
  id: string,
  patch: CalendarPatch,
) {
  const { workspaceId } = requirePermission(principal, 'sla:manage')
  await db.transaction().execute(async (trx) => {
    await lockSlaSettings(trx, workspaceId)
    const before = await requireCalendar(trx, workspaceId, id)
    if (patch.name !== undefined) await checkName(trx, workspaceId, patch.name, id)
    const fields = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.timeZone !== undefined ? { timeZone: canonicalZone(patch.timeZone) } : {}),
      ...(patch.week !== undefined ? { week: patch.week } : {}),
      ...(patch.holidays !== undefined ? { holidays: tidyHolidays(patch.holidays) } : {}),
      ...(patch.isDefault !== undefined ? { isDefault: patch.isDefault } : {}),
    }
    if (fields.isDefault === true && !before.isDefault) {
      await clearDefaultCalendar(trx, workspaceId)
    }
    await trx
      .updateTable('businessCalendars')
      .set({
        ...fields,
        week: fields.week ? JSON.stringify(fields.week) : undefined,
        holidays: fields.holidays ? JSON.stringify(fields.holidays) : undefined,
        updatedAt: new Date(),
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await checkWindowsFit(trx, workspaceId, 'week')
    await recordAudit(trx, principal, workspaceId, {
      action: 'business_calendar.update',
      targetType: 'business_calendar',
      targetId: id,
      // Both weeks in one key order, so an unchanged week is not reported as a change.
      details: changes(
        { ...before, week: toWeek(before.week) },
        { ...fields, ...(fields.week ? { week: toWeek(fields.week) } : {}) },
      ),
    })
  })
  return getCalendar(db, principal, id)
}

/**
 * Deletes a calendar no SLA policy names (409 listing them otherwise). Deleting the default one
 * puts policies without a calendar back on the built-in hours in the workspace time zone.
 */
export async function deleteCalendar(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'sla:manage')
  await db.transaction().execute(async (trx) => {
    await lockSlaSettings(trx, workspaceId)
    const before = await requireCalendar(trx, workspaceId, id)
    const users = await selectPoliciesUsingCalendars(trx, workspaceId, [id])
    if (users.length > 0) {
      const names = users.map((p) => `"${p.name}"`).join(', ')
      throw new AppError(
        'conflict',
        `The calendar "${before.name}" is used by the SLA ${users.length === 1 ? 'policy' : 'policies'} ${names}: give ${users.length === 1 ? 'it' : 'them'} another calendar first`,
        { policies: users.map((p) => ({ id: p.id, name: p.name })) },
      )
    }
    await trx
      .deleteFrom('businessCalendars')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    // Policies on the workspace calendar now run on the built-in hours.
    if (before.isDefault) await checkWindowsFit(trx, workspaceId, 'calendar')
    await recordAudit(trx, principal, workspaceId, {
      action: 'business_calendar.delete',
      targetType: 'business_calendar',
      targetId: id,
      details: {
        name: before.name,
        timeZone: before.timeZone,
        week: before.week,
        holidays: before.holidays,
        isDefault: before.isDefault,
      },
    })
  })
}
