import type { Selectable } from 'kysely'
import type { RoutingCondition } from '../../domain/routing.ts'
import type { RoutingRulesTable } from '../db/schema.ts'

export type RuleRow = Selectable<RoutingRulesTable> & { teamName: string }

export function presentRule(row: RuleRow) {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    teamId: row.teamId,
    team: { id: row.teamId, name: row.teamName },
    // Checked by RoutingCondition when written.
    conditions: row.conditions as RoutingCondition[],
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export interface RepView {
  userId: string
  name: string
  email: string
  role: string
  teams: { id: string; name: string }[]
  acceptsLeads: boolean | null
  capacity: number | null
  dailyCap: number | null
  absentFrom: Date | null
  absentUntil: Date | null
  isAbsent: boolean
  isEligible: boolean
  openCount: number
  todayCount: number
}

/** A rep's settings as the API shows them; no routing_reps row reads as the defaults. */
export function presentRep(rep: RepView) {
  return {
    userId: rep.userId,
    name: rep.name,
    email: rep.email,
    role: rep.role,
    teams: rep.teams,
    acceptsLeads: rep.acceptsLeads ?? true,
    capacity: rep.capacity,
    dailyCap: rep.dailyCap,
    absentFrom: rep.absentFrom?.toISOString() ?? null,
    absentUntil: rep.absentUntil?.toISOString() ?? null,
    isAbsent: rep.isAbsent,
    isEligible: rep.isEligible,
    openCount: rep.openCount,
    todayCount: rep.todayCount,
  }
}
