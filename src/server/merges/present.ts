import type { selectAccountSummaries, selectContactSummaries } from './queries.ts'

type ContactSummaryRow = Awaited<ReturnType<typeof selectContactSummaries>>[number]
type AccountSummaryRow = Awaited<ReturnType<typeof selectAccountSummaries>>[number]

export function presentContactSummary(row: ContactSummaryRow) {
  return {
    id: row.id,
    name: [row.firstName, row.lastName].filter(Boolean).join(' '),
    email: row.email,
    phone: row.phone,
    title: row.title,
    account: row.accountId ? { id: row.accountId, name: row.accountName ?? '' } : null,
    lifecycleStage: row.lifecycleStage,
    ownerName: row.ownerName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function presentAccountSummary(row: AccountSummaryRow) {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    employees: row.employees,
    country: row.country,
    lifecycleStage: row.lifecycleStage,
    ownerName: row.ownerName,
    contactCount: row.contactCount ?? 0,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
