import type { Selectable } from 'kysely'
import type { TeamsTable } from '../db/schema.ts'

export type TeamRow = Selectable<TeamsTable> & { managerName: string | null }
export interface TeamMemberRow {
  teamId: string
  id: string
  name: string
}

export function presentTeam(row: TeamRow, members: TeamMemberRow[]) {
  return {
    id: row.id,
    name: row.name,
    managerId: row.managerId,
    manager: row.managerId ? { id: row.managerId, name: row.managerName ?? '' } : null,
    members: members.filter((m) => m.teamId === row.id).map((m) => ({ id: m.id, name: m.name })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
