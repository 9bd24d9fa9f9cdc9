import type { Selectable } from 'kysely'
import type { CampaignCostsTable, CampaignsTable } from '../db/schema.ts'

export type CampaignRow = Selectable<CampaignsTable> & { ownerName: string | null }

export function presentCampaign(row: CampaignRow) {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    type: row.type,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    budget: row.budget,
    currency: row.currency,
    utmCampaigns: row.utmCampaigns,
    goalLeads: row.goalLeads,
    goalMqls: row.goalMqls,
    goalPipeline: row.goalPipeline,
    ownerId: row.ownerId,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? '' } : null,
    externalSource: row.externalSource,
    externalId: row.externalId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function presentCost(row: Selectable<CampaignCostsTable>) {
  return {
    id: row.id,
    campaignId: row.campaignId,
    incurredOn: row.incurredOn,
    amount: row.amount,
    currency: row.currency,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  }
}
