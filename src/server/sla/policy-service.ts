import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { isOpen, nextOpening } from '../../domain/business-hours.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB, SegmentKey } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { Id } from '../http/schemas.ts'
import { changes } from '../records/fields.ts'
import { checkWindowsFit } from './fit.ts'
import { hoursOf, type PolicyRow, presentPolicy } from './present.ts'
import {
  findCalendar,
  findPolicy,
  findPolicyNamed,
  findPolicyOfSegment,
  lockSlaSettings,
  selectPolicies,
} from './queries.ts'
import { defaultSlaWindows, resolveSla, type SlaSegment, slaDueTimes } from './resolve.ts'

export const segmentKeys = ['smb', 'mid_market', 'enterprise'] as const satisfies SegmentKey[]
export const Segment = z.enum(segmentKeys)

const Window = z
  .number()
  .int({ error: 'must be a whole number of business minutes' })
  .min(1, { error: 'must be between 1 and 100000 business minutes' })
  .max(100_000, { error: 'must be between 1 and 100000 business minutes' })

export const PolicyInput = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Default: the segment\'s name ("SMB", "Mid-market", "Enterprise", "Every other lead")',
    ),
  segment: Segment.nullable()
    .optional()
    .describe('smb, mid_market or enterprise; null (the default) = every other lead'),
  calendarId: Id.nullable()
    .optional()
    .describe('The calendar the clocks run on; null (the default) = the workspace calendar'),
  firstTouchMinutes: Window.optional().describe('Business minutes to first touch; default 240'),
  acceptanceMinutes: Window.optional().describe(
    'Business minutes to accept or reject; default 960',
  ),
  escalationMinutes: Window.optional().describe(
    'Business minutes after a first-touch breach before the team manager is told; default 240',
  ),
  reassignOnEscalation: z
    .boolean()
    .optional()
    .describe('On escalation, also route the handoff to another rep; default false'),
})
export type PolicyInput = z.infer<typeof PolicyInput>
export const PolicyPatch = PolicyInput
export type PolicyPatch = z.infer<typeof PolicyPatch>

export const PreviewQuery = z.object({
  segment: Segment.optional().describe("The lead's segment; omit for a lead with none"),
  at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-27T10:00:00Z' })
    .optional()
    .describe('When the handoff would be created; default now'),
})
export type PreviewQuery = z.infer<typeof PreviewQuery>

const segmentNames: Record<SegmentKey | 'none', string> = {
  smb: 'SMB',
  mid_market: 'Mid-market',
  enterprise: 'Enterprise',
  none: 'Every other lead',
}

function segmentName(segment: SlaSegment) {
  return segmentNames[segment ?? 'none']
}

async function requirePolicy(db: Kysely<DB>, workspaceId: string, id: string) {
  const row = await findPolicy(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'SLA policy not found')
  return row
}

/** One policy per segment (and one catch-all), a unique name, and a calendar of this workspace. */
async function check(
  db: Kysely<DB>,
  workspaceId: string,
  fields: { name?: string; segment?: SlaSegment; calendarId?: string | null },
  policyId?: string,
) {
  if (fields.segment !== undefined) {
    const clash = await findPolicyOfSegment(db, workspaceId, fields.segment, policyId)
    if (clash) {
      const whose =
        fields.segment === null ? 'every other lead' : `${segmentName(fields.segment)} leads`
      throw new AppError(
        'conflict',
        `segment: the policy "${clash.name}" already covers ${whose}; change that one instead`,
        { field: 'segment', existingId: clash.id },
      )
    }
  }
  if (fields.name !== undefined) {
    const taken = await findPolicyNamed(db, workspaceId, fields.name, policyId)
    if (taken) {
      throw new AppError('conflict', `name: a policy called "${taken.name}" already exists`, {
        field: 'name',
        existingId: taken.id,
      })
    }
  }
  if (fields.calendarId) {
    const calendar = await findCalendar(db, workspaceId, fields.calendarId)
    if (!calendar) {
      throw new AppError(
        'invalid_input',
        `calendarId: no calendar of this workspace has the id ${fields.calendarId}`,
        { field: 'calendarId' },
      )
    }
  }
}

/** The workspace's SLA policies: smb, mid_market, enterprise, then the catch-all. */
export async function listPolicies(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  const rows = await selectPolicies(db, workspaceId)
  return { data: rows.map(presentPolicy), nextCursor: null }
}

export async function getPolicy(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  return presentPolicy(await requirePolicy(db, workspaceId, id))
}

/** Creates the SLA policy of a segment (or the catch-all); missing windows get DEFINITIONS' defaults. */
export async function createPolicy(db: Kysely<DB>, principal: Principal, input: PolicyInput) {
  const { workspaceId } = requirePermission(principal, 'sla:manage')
  const id = uuidv7()
  const segment = input.segment ?? null
  const values = { ...input, segment, name: input.name ?? segmentName(segment) }
  await db.transaction().execute(async (trx) => {
    await lockSlaSettings(trx, workspaceId)
    await check(trx, workspaceId, values)
    await trx
      .insertInto('slaPolicies')
      .values({ ...values, workspaceId, id, calendarId: values.calendarId ?? null })
      .execute()
    await checkWindowsFit(trx, workspaceId, longestWindow(values))
    const row = await requirePolicy(trx, workspaceId, id)
    await recordAudit(trx, principal, workspaceId, {
      action: 'sla_policy.create',
      targetType: 'sla_policy',
      targetId: id,
      details: auditFields(row),
    })
  })
  return getPolicy(db, principal, id)
}

/**
 * Changes a policy. Handoffs already created keep the due times they were given; new handoffs of
 * the segment get the new windows.
 */
export async function updatePolicy(
  db: Kysely<DB>,
  principal: Principal,
  id: string,
  patch: PolicyPatch,
) {
  const { workspaceId } = requirePermission(principal, 'sla:manage')
  await db.transaction().execute(async (trx) => {
    await lockSlaSettings(trx, workspaceId)
    const before = await requirePolicy(trx, workspaceId, id)
    await check(trx, workspaceId, patch, id)
    await trx
      .updateTable('slaPolicies')
      .set({ ...patch, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await checkWindowsFit(trx, workspaceId, longestWindow({ ...before, ...patch }))
    await recordAudit(trx, principal, workspaceId, {
      action: 'sla_policy.update',
      targetType: 'sla_policy',
      targetId: id,
      details: changes(auditFields(before), patch),
    })
  })
  return getPolicy(db, principal, id)
}

/** Deletes a policy; its segment falls back to the catch-all policy, else the built-in defaults. */
export async function deletePolicy(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'sla:manage')
  await db.transaction().execute(async (trx) => {
    await lockSlaSettings(trx, workspaceId)
    const before = await requirePolicy(trx, workspaceId, id)
    await trx
      .deleteFrom('slaPolicies')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'sla_policy.delete',
      targetType: 'sla_policy',
      targetId: id,
      details: auditFields(before),
    })
  })
}

/** The field to name when a policy's clocks do not fit its calendar: its longest window. */
function longestWindow(policy: {
  firstTouchMinutes?: number
  acceptanceMinutes?: number
  escalationMinutes?: number
}) {
  const windows: [string, number][] = [
    ['firstTouchMinutes', policy.firstTouchMinutes ?? defaultSlaWindows.firstTouchMinutes],
    ['acceptanceMinutes', policy.acceptanceMinutes ?? defaultSlaWindows.acceptanceMinutes],
    ['escalationMinutes', policy.escalationMinutes ?? defaultSlaWindows.escalationMinutes],
  ]
  const [field] = windows.sort(([, a], [, b]) => b - a)[0] ?? ['acceptanceMinutes']
  return field
}

function auditFields(row: PolicyRow) {
  return {
    name: row.name,
    segment: row.segment,
    calendarId: row.calendarId,
    firstTouchMinutes: row.firstTouchMinutes,
    acceptanceMinutes: row.acceptanceMinutes,
    escalationMinutes: row.escalationMinutes,
    reassignOnEscalation: row.reassignOnEscalation,
  }
}

/**
 * What a handoff of `segment` created at `at` (default now) would get: the policy and calendar
 * that apply, and its due times. For the settings page and for checking a set-up.
 */
export async function previewSla(
  db: Kysely<DB>,
  principal: Principal,
  query: PreviewQuery,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  const at = query.at ? new Date(query.at) : now
  const sla = await resolveSla(db, workspaceId, query.segment ?? null)
  const due = slaDueTimes(sla, at)
  return {
    segment: query.segment ?? null,
    at: at.toISOString(),
    policy: {
      id: sla.policyId,
      name: sla.policyName,
      firstTouchMinutes: sla.firstTouchMinutes,
      acceptanceMinutes: sla.acceptanceMinutes,
      escalationMinutes: sla.escalationMinutes,
      firstTouchHours: hoursOf(sla.firstTouchMinutes),
      acceptanceHours: hoursOf(sla.acceptanceMinutes),
      escalationHours: hoursOf(sla.escalationMinutes),
      reassignOnEscalation: sla.reassignOnEscalation,
    },
    calendar: {
      id: sla.calendarId,
      name: sla.calendarName,
      source: sla.calendarSource,
      timeZone: sla.calendar.timeZone,
      week: sla.calendar.week,
      holidays: [...sla.calendar.holidays],
    },
    isOpen: isOpen(sla.calendar, at),
    clockStartsAt: nextOpening(sla.calendar, at).toISOString(),
    firstTouchDueAt: due.firstTouchDueAt.toISOString(),
    decisionDueAt: due.decisionDueAt.toISOString(),
    escalateAt: due.escalateAt.toISOString(),
  }
}
