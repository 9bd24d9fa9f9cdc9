import type { Kysely } from 'kysely'
import { isPoorFit } from '../../domain/product-fit.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { loadScoringSettings } from '../scoring/settings.ts'

/** The stages the guard stands before: proposal or later, won included; lost never. */
export function isGuardedStage(stage: {
  isProposalOrLater: boolean
  isWon: boolean
  isLost: boolean
}): boolean {
  return !stage.isLost && (stage.isProposalOrLater || stage.isWon)
}

/**
 * The poor-fit guard (DEFINITIONS "Product fit"): a deal flagged poor fit (its product fit below the
 * workspace's threshold) may not move into a proposal-or-later stage (won included; lost stages are
 * always allowed) until a sales manager overrides the guard with a reason. Reads the deal as it
 * stands in the caller's transaction (after its lines, needs and account were written and its fit
 * recomputed) and throws 409 conflict with details.reason 'poor_fit'; the caller's transaction then
 * rolls back, so nothing changes.
 */
export async function checkFitGuard(
  trx: Kysely<DB>,
  workspaceId: string,
  dealId: string,
  stage: { name: string; isProposalOrLater: boolean; isWon: boolean; isLost: boolean },
): Promise<void> {
  if (!isGuardedStage(stage)) return
  const deal = await trx
    .selectFrom('deals')
    .select(['name', 'productFit', 'fitOverrideAt'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', dealId)
    .executeTakeFirstOrThrow()
  if (deal.productFit === null || deal.fitOverrideAt !== null) return
  const { productFitThreshold: threshold } = await loadScoringSettings(trx, workspaceId)
  if (!isPoorFit(deal.productFit, threshold)) return
  throw new AppError(
    'conflict',
    `Deal "${deal.name}" fits poorly (fit ${deal.productFit} < ${threshold}): a sales manager must override the fit guard with a reason before it moves to "${stage.name}"`,
    {
      field: 'stageId',
      reason: 'poor_fit',
      productFit: deal.productFit,
      threshold,
      dealId,
    },
  )
}
