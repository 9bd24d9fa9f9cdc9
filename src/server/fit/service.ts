import { isPoorFit } from '../../domain/product-fit.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { lockDeals } from '../deals/queries.ts'
import { getDeal } from '../deals/service.ts'
import { AppError } from '../errors.ts'
import { loadScoringSettings } from '../scoring/settings.ts'

/**
 * A sales manager's override of the poor-fit guard (DEFINITIONS "Product fit"): with a written
 * reason, a deal flagged poor fit may move into a proposal-or-later stage. Audited with the reason.
 * Refused (400) when the deal is not flagged poor fit: there is nothing to override.
 */
export async function overrideFit(db: Database, principal: Principal, id: string, reason: string) {
  const { workspaceId } = requirePermission(principal, 'fit:override')
  await db.transaction().execute(async (trx) => {
    const [deal] = await lockDeals(trx, workspaceId, [id])
    if (!deal) throw new AppError('not_found', 'Deal not found')
    const { productFitThreshold: threshold } = await loadScoringSettings(trx, workspaceId)
    if (!isPoorFit(deal.productFit, threshold)) {
      const why =
        deal.productFit === null
          ? 'it has no line items, so no product fit'
          : `its fit ${deal.productFit} is not below the threshold ${threshold}`
      throw new AppError(
        'invalid_input',
        `productFit: the deal is not flagged poor fit (${why}): there is nothing to override`,
        { field: 'productFit', productFit: deal.productFit, threshold },
      )
    }
    const at = new Date()
    await trx
      .updateTable('deals')
      .set({
        fitOverrideBy: principal.kind === 'user' ? principal.userId : null,
        fitOverrideReason: reason,
        fitOverrideAt: at,
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'deal.fit_override',
      targetType: 'deal',
      targetId: id,
      details: {
        name: deal.name,
        reason,
        productFit: deal.productFit,
        threshold,
        ...(deal.fitOverrideAt ? { replaced: deal.fitOverrideReason } : {}),
      },
    })
  })
  return getDeal(db, principal, id)
}

/** Removes the override: the guard stands before the deal again. Audited. */
export async function removeFitOverride(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'fit:override')
  await db.transaction().execute(async (trx) => {
    const [deal] = await lockDeals(trx, workspaceId, [id])
    if (!deal) throw new AppError('not_found', 'Deal not found')
    if (!deal.fitOverrideAt) return
    await trx
      .updateTable('deals')
      .set({ fitOverrideBy: null, fitOverrideReason: null, fitOverrideAt: null })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'deal.fit_override_remove',
      targetType: 'deal',
      targetId: id,
      details: { name: deal.name, reason: deal.fitOverrideReason },
    })
  })
  return getDeal(db, principal, id)
}
