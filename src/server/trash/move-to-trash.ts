import type { Kysely } from 'kysely'
import { recordAudit } from '../audit/service.ts'
import type { Principal } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { type TrashEntity, tableOf } from './queries.ts'

// How errors name each entity, and what its audit entry keeps of the record (in this order).
const trashable = {
  account: { label: 'Account', audited: ['name'] },
  contact: { label: 'Contact', audited: ['email', 'firstName', 'lastName'] },
  deal: { label: 'Deal', audited: ['name'] },
  activity: { label: 'Activity', audited: ['type', 'subject'] },
  campaign: { label: 'Campaign', audited: ['name'] },
  product: { label: 'Product', audited: ['name'] },
} as const satisfies Record<TrashEntity, { label: string; audited: readonly string[] }>

/**
 * Moves a live record to the Trash (restorable for 30 days) and writes its audit entry, in one
 * transaction; `not_found` when there is no such record or it is in the Trash already. What else
 * the move changes (an activity's touchpoint) runs in `alsoChange`, inside the same transaction.
 */
export async function moveToTrash(
  db: Database,
  principal: Principal,
  workspaceId: string,
  target: { entity: TrashEntity; id: string },
  alsoChange?: (trx: Kysely<DB>) => Promise<void>,
): Promise<void> {
  const { entity, id } = target
  const { label, audited } = trashable[entity]
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable(tableOf[entity])
      .set({ deletedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .where('deletedAt', 'is', null)
      .returning(audited)
      .executeTakeFirst()
    if (!row) throw new AppError('not_found', `${label} not found`)
    await alsoChange?.(trx)
    await recordAudit(trx, principal, workspaceId, {
      action: `${entity}.delete`,
      targetType: entity,
      targetId: id,
      details: row,
    })
  })
}
