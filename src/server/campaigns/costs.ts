import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { PageQuery } from '../http/pagination.ts'
import { Currency, IsoDate, MinorUnits } from '../records/fields.ts'
import { parseSort, type Sortable, toPage } from '../records/list.ts'
import { presentCost } from './present.ts'
import { findCampaign, selectCostPage } from './queries.ts'

export const CostInput = z.object({
  incurredOn: IsoDate,
  amount: MinorUnits.describe('minor units of currency'),
  currency: Currency.optional().describe("default: the campaign's currency"),
  note: z.string().trim().max(500).nullable().optional(),
})
export type CostInput = z.infer<typeof CostInput>

export const CostQuery = PageQuery.extend({ sort: z.string().max(60).optional() })
export type CostQuery = z.infer<typeof CostQuery>

const sortable: Record<string, Sortable> = {
  incurredOn: { type: 'date', sql: () => sql.ref('k.incurredOn') },
  createdAt: { type: 'timestamptz', sql: () => sql.ref('k.createdAt') },
}

async function requireCampaign(db: Database, workspaceId: string, id: string) {
  const campaign = await findCampaign(db, workspaceId, id)
  if (!campaign) throw new AppError('not_found', 'Campaign not found')
  return campaign
}

/** A campaign's dated cost entries, latest first. */
export async function listCampaignCosts(
  db: Database,
  principal: Principal,
  campaignId: string,
  query: CostQuery,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  await requireCampaign(db, workspaceId, campaignId)
  const sort = parseSort(query.sort, sortable, '-incurredOn')
  const rows = await selectCostPage(db, workspaceId, campaignId, sort, query.cursor, query.limit)
  return toPage(rows, query.limit, sort, presentCost)
}

/** Adds a dated cost to a campaign (ROI divides attributed revenue by these). */
export async function addCampaignCost(
  db: Database,
  principal: Principal,
  campaignId: string,
  input: CostInput,
) {
  const { workspaceId } = requirePermission(principal, 'campaigns:write')
  return db.transaction().execute(async (trx) => {
    const campaign = await trx
      .selectFrom('campaigns')
      .select(['id', 'currency'])
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', campaignId)
      .where('deletedAt', 'is', null)
      .forShare()
      .executeTakeFirst()
    if (!campaign) throw new AppError('not_found', 'Campaign not found')
    const row = await trx
      .insertInto('campaignCosts')
      .values({
        workspaceId,
        id: uuidv7(),
        campaignId,
        incurredOn: input.incurredOn,
        amount: input.amount,
        currency: input.currency ?? campaign.currency,
        note: input.note ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, principal, workspaceId, {
      action: 'campaign.cost_add',
      targetType: 'campaign',
      targetId: campaignId,
      details: { costId: row.id, amount: row.amount, currency: row.currency },
    })
    return presentCost(row)
  })
}

/** Removes a cost entry of a live campaign (cost entries are not kept in the Trash). */
export async function deleteCampaignCost(
  db: Database,
  principal: Principal,
  campaignId: string,
  costId: string,
) {
  const { workspaceId } = requirePermission(principal, 'campaigns:write')
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('campaignCosts')
      .where('workspaceId', '=', workspaceId)
      .where('campaignId', '=', campaignId)
      .where('id', '=', costId)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('campaigns')
            .select('id')
            .where('workspaceId', '=', workspaceId)
            .where('id', '=', campaignId)
            .where('deletedAt', 'is', null),
        ),
      )
      .returning(['amount', 'currency', 'incurredOn'])
      .executeTakeFirst()
    if (!row) throw new AppError('not_found', 'Cost not found')
    await recordAudit(trx, principal, workspaceId, {
      action: 'campaign.cost_delete',
      targetType: 'campaign',
      targetId: campaignId,
      details: { costId, ...row },
    })
  })
}
