import type { Kysely } from 'kysely'
import {
  chooseRep,
  chooseRule,
  isAbsentAt,
  RoutingCondition,
  type RoutingLead,
  type RoutingRep,
  type RoutingRule,
  type SegmentKey,
  segmentOf,
  startOfLocalDay,
  type UnassignedReason,
} from '../../domain/routing.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import {
  findLeadRow,
  findWorkspaceTimeZone,
  lockTeamForRouting,
  selectLastAssigned,
  selectLoads,
  selectRules,
  selectTeamReps,
  sellingRoles,
} from './queries.ts'

export interface RoutingResult {
  ownerId: string | null
  teamId: string | null
  ruleId: string | null
  unassignedReason: UnassignedReason | null
}

const Conditions = RoutingCondition.array()

/** Stored rules as the domain reads them; a rule whose conditions no longer parse never matches. */
export async function loadRules(trx: Kysely<DB>, workspaceId: string): Promise<RoutingRule[]> {
  const rows = await selectRules(trx, workspaceId, true)
  return rows.flatMap((row) => {
    const parsed = Conditions.safeParse(row.conditions)
    return parsed.success ? [{ id: row.id, teamId: row.teamId, conditions: parsed.data }] : []
  })
}

/** The team's people as routing sees them at `now`: eligibility, load and place in the rotation. */
async function loadTeamReps(
  trx: Kysely<DB>,
  workspaceId: string,
  teamId: string,
  now: Date,
): Promise<RoutingRep[]> {
  const rows = await selectTeamReps(trx, workspaceId, teamId)
  const ids = rows.map((r) => r.userId)
  const zone = (await findWorkspaceTimeZone(trx, workspaceId))?.timeZone ?? 'UTC'
  const loads = await selectLoads(trx, workspaceId, ids, startOfLocalDay(now, zone))
  const lasts = await selectLastAssigned(trx, workspaceId, teamId, ids)
  const loadOf = new Map(loads.map((l) => [l.ownerId, l]))
  const lastOf = new Map(lasts.map((l) => [l.ownerId, l.lastAssignedAt]))
  return rows.map((row) => {
    const last = lastOf.get(row.userId)
    return {
      id: row.userId,
      // No routing_reps row: accepts leads, no limits (schema.ts).
      isActive: sellingRoles.includes(row.role) && (row.acceptsLeads ?? true),
      isAbsent: isAbsentAt(row.absentFrom, row.absentUntil, now),
      capacity: row.capacity,
      dailyCap: row.dailyCap,
      openCount: loadOf.get(row.userId)?.openCount ?? 0,
      todayCount: loadOf.get(row.userId)?.todayCount ?? 0,
      lastAssignedAt: last ? new Date(last) : null,
    }
  })
}

/**
 * Routes one lead (issue 7): the first active rule that matches names a team, and round robin
 * picks its rep. Call it in the transaction that creates the handoff: it locks the team row, so
 * concurrent routings of one team see each other's assignments and never pick the same turn.
 * With no owner, `unassignedReason` says why (the handoff goes to the unassigned queue).
 */
export async function routeLead(
  trx: Kysely<DB>,
  workspaceId: string,
  lead: RoutingLead,
  now: Date,
): Promise<RoutingResult> {
  const rule = chooseRule(await loadRules(trx, workspaceId), lead)
  if (!rule) return { ownerId: null, teamId: null, ruleId: null, unassignedReason: 'no_rule' }
  // A team deleted since the rules were read takes its rules with it (on delete cascade).
  const team = await lockTeamForRouting(trx, workspaceId, rule.teamId)
  if (!team) return { ownerId: null, teamId: null, ruleId: null, unassignedReason: 'no_rule' }
  const choice = chooseRep(await loadTeamReps(trx, workspaceId, rule.teamId, now))
  return {
    ownerId: choice.repId,
    teamId: rule.teamId,
    ruleId: rule.id,
    unassignedReason: choice.repId === null ? choice.reason : null,
  }
}

/** A lead as leadOf reads it: the segment is always one of the default segments, or null. */
export type ContactLead = RoutingLead & { segment: SegmentKey | null }

/** What routing knows of a contact: its account's place, industry, size and segment. */
export async function leadOf(
  trx: Kysely<DB>,
  workspaceId: string,
  contactId: string,
): Promise<ContactLead> {
  const row = await findLeadRow(trx, workspaceId, contactId)
  if (!row) throw new AppError('not_found', 'Contact not found')
  return {
    country: row.country,
    region: row.region,
    industry: row.industry,
    employees: row.employees,
    segment: segmentOf(row.employees),
  }
}
