import type { Selectable } from 'kysely'
import type { AccountsTable } from '../db/schema.ts'

export type AccountRow = Selectable<AccountsTable> & { ownerName: string | null }

export function presentAccount(row: AccountRow) {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    employees: row.employees,
    annualRevenue: row.annualRevenue,
    annualRevenueCurrency: row.annualRevenueCurrency,
    country: row.country,
    region: row.region,
    tier: row.tier,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? '' } : null,
    ownerId: row.ownerId,
    lifecycleStage: row.lifecycleStage,
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
