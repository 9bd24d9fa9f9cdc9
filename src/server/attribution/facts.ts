import { type Kysely, sql } from 'kysely'
import type { ContactFact, DealFact, TouchFact } from '../../domain/attribution/journeys.ts'
import { lifecycleStages } from '../../domain/lifecycle.ts'
import { sumInBase } from '../../domain/money.ts'
import type { DB } from '../db/schema.ts'
import { loadRates } from '../exchange-rates/service.ts'

/**
 * What attribution reads of a workspace (issue 12): its contacts (account, lead-creation touch, first
 * entry into lead, MQL and SQL), its deals (primary contact, created, closed, won or lost, amount in
 * the base currency) and its non-bot touches of known people and accounts.
 */

export interface ContactRecord extends ContactFact {
  accountId: string | null
}

export interface DealRecord extends DealFact {
  accountId: string | null
}

export interface AttributionFacts {
  contacts: ContactRecord[]
  deals: DealRecord[]
  /** Touches of contacts, by contact id, in time order. */
  touchesByContact: Map<string, TouchFact[]>
  /** Touches of an account with no contact (e.g. from an account-level import), by account id. */
  touchesByAccount: Map<string, TouchFact[]>
  baseCurrency: string
  /** Currencies of deals with no exchange rate to the base currency: their value counts 0. */
  missingRates: string[]
}

/** The stages at or after `stage` in the lifecycle (reaching them counts as reaching it). */
function atOrAfter(stage: 'lead' | 'mql' | 'sql'): string[] {
  return lifecycleStages.slice(lifecycleStages.indexOf(stage))
}

const ms = (value: Date | string | null) => (value === null ? null : new Date(value).getTime())

/** Records an incremental run reads: these contacts and deals, and these accounts' touches. */
export interface FactsScope {
  contactIds: readonly string[]
  accountIds: readonly string[]
  dealIds: readonly string[]
}

export async function loadAttributionFacts(
  db: Kysely<DB>,
  workspaceId: string,
  scope?: FactsScope,
): Promise<AttributionFacts> {
  const contactScope = scope
    ? sql`and (c.id = any(${scope.contactIds}::uuid[]) or c.account_id = any(${scope.accountIds}::uuid[]))`
    : sql``
  const touchScope = scope
    ? sql`and (t.contact_id in (select c.id from contacts c
          where c.workspace_id = ${workspaceId} ${contactScope})
        or (t.contact_id is null and t.account_id = any(${scope.accountIds}::uuid[])))`
    : sql``
  const contactRows = await sql<{
    id: string
    accountId: string | null
    leadCreationTouchpointId: string | null
    leadAt: Date | null
    mqlAt: Date | null
    sqlAt: Date | null
  }>`
    select c.id, c.account_id, c.lead_creation_touchpoint_id,
      min(e.entered_at) filter (where e.stage = any(${atOrAfter('lead')}::text[])) as lead_at,
      min(e.entered_at) filter (where e.stage = any(${atOrAfter('mql')}::text[])) as mql_at,
      min(e.entered_at) filter (where e.stage = any(${atOrAfter('sql')}::text[])) as sql_at
    from contacts c
    left join lifecycle_entries e
      on e.workspace_id = c.workspace_id and e.entity = 'contact' and e.record_id = c.id
    where c.workspace_id = ${workspaceId} and c.deleted_at is null and c.merged_into is null
      ${contactScope}
    group by c.workspace_id, c.id
    order by c.id
  `.execute(db)

  const touchRows = await sql<{
    id: string
    contactId: string | null
    accountId: string | null
    occurredAt: Date
    channel: string
    campaignId: string | null
  }>`
    select t.id, t.contact_id, t.account_id, t.occurred_at, t.channel, t.campaign_id
    from touchpoints t
    where t.workspace_id = ${workspaceId} and not t.is_bot
      and (t.contact_id is not null or t.account_id is not null) ${touchScope}
    order by t.occurred_at, t.id
  `.execute(db)

  const { deals, baseCurrency, missingRates } = await loadDeals(db, workspaceId, scope?.dealIds)
  const touchesByContact = new Map<string, TouchFact[]>()
  const touchesByAccount = new Map<string, TouchFact[]>()
  for (const row of touchRows.rows) {
    const fact: TouchFact = {
      id: row.id,
      contactId: row.contactId,
      at: row.occurredAt.getTime(),
      channel: row.channel,
      campaignId: row.campaignId,
      isBot: false,
    }
    const [map, key] = row.contactId
      ? [touchesByContact, row.contactId]
      : [touchesByAccount, row.accountId as string]
    const list = map.get(key)
    if (list) list.push(fact)
    else map.set(key, [fact])
  }
  return {
    contacts: contactRows.rows.map((row) => ({
      id: row.id,
      accountId: row.accountId,
      leadCreationTouchId: row.leadCreationTouchpointId,
      leadAt: ms(row.leadAt),
      mqlAt: ms(row.mqlAt),
      sqlAt: ms(row.sqlAt),
    })),
    deals,
    touchesByContact,
    touchesByAccount,
    baseCurrency,
    missingRates,
  }
}

/**
 * The workspace's live deals in id order, amounts in the base currency (a deal whose currency has
 * no rate counts 0 and its currency is listed as missing); only `dealIds` when given.
 */
export async function loadDeals(
  db: Kysely<DB>,
  workspaceId: string,
  dealIds?: readonly string[],
): Promise<{ deals: DealRecord[]; baseCurrency: string; missingRates: string[] }> {
  const dealScope = dealIds ? sql`and d.id = any(${dealIds}::uuid[])` : sql``
  const dealRows = await sql<{
    id: string
    accountId: string | null
    primaryContactId: string | null
    createdAt: Date
    closedAt: Date | null
    isWon: boolean
    isLost: boolean
    amount: number
    currency: string
  }>`
    select d.id, d.account_id, d.created_at, d.closed_at, s.is_won, s.is_lost, d.amount, d.currency,
      (select dc.contact_id from deal_contacts dc
        where dc.workspace_id = d.workspace_id and dc.deal_id = d.id
        order by dc.is_primary desc, dc.contact_id limit 1) as primary_contact_id
    from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null ${dealScope}
    order by d.id
  `.execute(db)

  const { baseCurrency, rates } = await loadRates(db, workspaceId)
  const missing = new Set<string>()
  const deals: DealRecord[] = dealRows.rows.map((row) => {
    const amount = Number(row.amount)
    const sum = sumInBase([{ currency: row.currency, amount }], baseCurrency, rates)
    for (const currency of sum.missing) missing.add(currency)
    return {
      id: row.id,
      accountId: row.accountId,
      primaryContactId: row.primaryContactId,
      createdAt: row.createdAt.getTime(),
      closedAt: ms(row.closedAt),
      status: row.isWon ? 'won' : row.isLost ? 'lost' : 'open',
      amount: sum.amountInBase ?? 0,
    }
  })
  return { deals, baseCurrency, missingRates: [...missing].sort() }
}
