import { sql } from 'kysely'
import { z } from 'zod'
import { syncActivityTouchpoint } from '../activities/sales-touch.ts'
import { recordAudit } from '../audit/service.ts'
import type { Permission } from '../auth/permissions.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { checkUtmCampaigns } from '../campaigns/service.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { PageQuery } from '../http/pagination.ts'
import { trashDays } from '../records/common.ts'
import { parseSort, type Sortable, toPage } from '../records/list.ts'
import {
  findKeyHolder,
  lockTrashed,
  selectTrashPage,
  type TrashEntity,
  type TrashRow,
  trashEntities,
  undelete,
  uniqueKeyOf,
} from './queries.ts'

export const TrashQuery = PageQuery.extend({ entity: z.enum(trashEntities) })
export type TrashQuery = z.infer<typeof TrashQuery>

const sortable: Record<string, Sortable> = {
  deletedAt: { type: 'timestamptz', sql: () => sql.ref('x.deletedAt') },
}
const dayMs = 86_400_000

// Restoring needs records:delete, and campaigns and products also the right to manage them.
const extraPermission: Partial<Record<TrashEntity, Permission>> = {
  campaign: 'campaigns:write',
  product: 'catalog:manage',
}

function present(entity: TrashEntity) {
  return (row: TrashRow) => ({
    entity,
    id: row.id,
    name: row.name,
    deletedAt: row.deletedAt.toISOString(),
    purgeOn: new Date(row.deletedAt.getTime() + trashDays * dayMs).toISOString().slice(0, 10),
  })
}

/** Records of one entity deleted within the last 30 days, newest deletion first. */
export async function listTrash(db: Database, principal: Principal, query: TrashQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const sort = parseSort(undefined, sortable, '-deletedAt')
  const rows = await selectTrashPage(db, workspaceId, query.entity, sort, query.cursor, query.limit)
  return toPage(rows, query.limit, sort, present(query.entity))
}

/**
 * Brings a record back from the Trash. A unique key taken meanwhile (account domain, contact
 * email, product name, campaign utm values) is a conflict naming the field; after 30 days the
 * record is gone (not_found). A restored call, meeting or email gets its touchpoint back.
 */
export async function restoreFromTrash(
  db: Database,
  principal: Principal,
  entity: TrashEntity,
  id: string,
) {
  const { workspaceId } = requirePermission(principal, 'records:delete')
  const extra = extraPermission[entity]
  if (extra) requirePermission(principal, extra)
  return db.transaction().execute(async (trx) => {
    const row = await lockTrashed(trx, workspaceId, entity, id)
    if (!row) throw new AppError('not_found', `No ${entity} with this id is in the Trash`)
    if ((entity === 'account' || entity === 'contact' || entity === 'product') && row.uniqueKey) {
      const holder = await findKeyHolder(trx, workspaceId, entity, row.uniqueKey)
      if (holder) {
        const field = uniqueKeyOf[entity]
        throw new AppError(
          'conflict',
          `${field}: ${row.uniqueKey} now belongs to the ${entity} "${holder.name}"`,
          { field, existingId: holder.id },
        )
      }
    }
    if (entity === 'campaign') await checkUtmCampaigns(trx, workspaceId, row.utmCampaigns, id)
    await undelete(trx, workspaceId, entity, id)
    if (entity === 'activity') await syncActivityTouchpoint(trx, workspaceId, id)
    await recordAudit(trx, principal, workspaceId, {
      action: `${entity}.restore`,
      targetType: entity,
      targetId: id,
      details: { name: row.name },
    })
    return { entity, id, name: row.name }
  })
}
