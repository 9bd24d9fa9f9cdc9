import type { Selectable } from 'kysely'
import { isPoorFit } from '../../domain/product-fit.ts'
import type { DealsTable } from '../db/schema.ts'

export type DealRow = Selectable<DealsTable> & {
  accountName: string | null
  ownerName: string | null
  fitOverrideByName: string | null
  pipelineName: string
  stageName: string
  stagePosition: number
  stageWinProbability: string
  stageIsWon: boolean
  stageIsLost: boolean
  stageIsProposalOrLater: boolean
}

/** A deal as the API answers it; threshold: the workspace's productFitThreshold (poorFit is read-time). */
export function presentDeal(row: DealRow, threshold: number) {
  return {
    id: row.id,
    name: row.name,
    accountId: row.accountId,
    account: row.accountId && row.accountName ? { id: row.accountId, name: row.accountName } : null,
    pipelineId: row.pipelineId,
    pipeline: { id: row.pipelineId, name: row.pipelineName },
    stageId: row.stageId,
    stage: {
      id: row.stageId,
      name: row.stageName,
      position: row.stagePosition,
      winProbability: Number(row.stageWinProbability),
      isWon: row.stageIsWon,
      isLost: row.stageIsLost,
      isProposalOrLater: row.stageIsProposalOrLater,
    },
    amount: row.amount,
    currency: row.currency,
    closeDate: row.closeDate,
    closedAt: row.closedAt?.toISOString() ?? null,
    ownerId: row.ownerId,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? '' } : null,
    forecastCategory: row.forecastCategory,
    lossReason: row.lossReason,
    lossCompetitor: row.lossCompetitor,
    lossNotes: row.lossNotes,
    marketingCouldHelp: row.marketingCouldHelp,
    needs: row.needs,
    sourceCampaignId: row.sourceCampaignId,
    productFit: row.productFit,
    poorFit: isPoorFit(row.productFit, threshold),
    fitDetails: row.fitDetails,
    fitOverride: row.fitOverrideAt
      ? {
          by: row.fitOverrideBy,
          byName: row.fitOverrideByName,
          reason: row.fitOverrideReason ?? '',
          at: row.fitOverrideAt.toISOString(),
        }
      : null,
    churnedOn: row.churnedOn,
    refundedOn: row.refundedOn,
    downgradedOn: row.downgradedOn,
    custom: row.custom,
    externalSource: row.externalSource,
    externalId: row.externalId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  }
}

export function presentStageChange(row: {
  id: string
  fromStageId: string | null
  fromStageName: string | null
  toStageId: string
  toStageName: string
  changedAt: Date
  changedBy: string | null
  changedByName: string | null
}) {
  return {
    id: row.id,
    fromStage: row.fromStageId ? { id: row.fromStageId, name: row.fromStageName ?? '' } : null,
    toStage: { id: row.toStageId, name: row.toStageName },
    changedAt: row.changedAt.toISOString(),
    changedBy: row.changedBy ? { id: row.changedBy, name: row.changedByName ?? '' } : null,
  }
}

export function presentDealContact(row: {
  contactId: string
  firstName: string | null
  lastName: string | null
  email: string | null
  role: string | null
  isPrimary: boolean
}) {
  return {
    contactId: row.contactId,
    name: [row.firstName, row.lastName].filter(Boolean).join(' ') || null,
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    role: row.role,
    isPrimary: row.isPrimary,
  }
}

export function presentLineItem(row: {
  id: string
  productId: string
  productName: string
  quantity: string
  unitPrice: number
}) {
  const quantity = Number(row.quantity)
  return {
    id: row.id,
    productId: row.productId,
    productName: row.productName,
    quantity,
    unitPrice: row.unitPrice,
    amount: Math.round(quantity * row.unitPrice),
  }
}
