import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB, WorkspacesTable } from '../db/schema.ts'

export type WorkspaceRow = Selectable<WorkspacesTable>
export const workspaceChangedChannel = 'tandem_workspace_changed'

export function selectMemberships(db: Database, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspaceId')
    .select(['w.id', 'w.name', 'm.role'])
    .where('m.userId', '=', userId)
    .orderBy('m.createdAt')
    .orderBy('w.id')
    .execute()
}

export function findWorkspace(db: Kysely<DB>, id: string) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findWorkspaceByName(db: Kysely<DB>, name: string) {
  return db
    .selectFrom('workspaces')
    .selectAll()
    .where('name', '=', name)
    .orderBy('createdAt')
    .executeTakeFirst()
}
