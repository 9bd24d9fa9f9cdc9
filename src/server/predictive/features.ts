import { type Kysely, sql } from 'kysely'
import { minorUnitDigits } from '../../domain/money.ts'
import type { RawColumn, RawValue } from '../../domain/predictive/frame.ts'
import type { TouchCondition } from '../../domain/scoring.ts'
import { channels, touchpointTypes } from '../../domain/touchpoints.ts'
import type { DB } from '../db/schema.ts'
import { touchMatchSql } from '../scoring/engine.ts'
import { loadRules } from '../scoring/rules.ts'
import { loadScoringSettings } from '../scoring/settings.ts'

// Features of a lead as they were at lead creation (DEFINITIONS.md "Predictive score"): the
// contact's and its account's attributes and custom fields, and aggregates of the contact's
// non-bot touches up to that moment. Nothing that happens later (stage, status, owner, scores,
// deals, later touches) is a feature, so the model cannot learn from the outcome it predicts.
// Attributes are read as they are now: Tandem keeps no history of them, and the ones used (persona,
// title, source, firmographics) rarely change after lead creation.

/** Stages at or after lead: the first entry into any of them is the lead's creation. */
const leadOrLater = ['lead', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'evangelist']
const customerStages = ['customer', 'evangelist']

/** Days after lead creation within which becoming a customer counts as converting. */
export const labelWindowDays = 90

export interface LeadSet {
  contactIds: string[]
  /** Lead creation, or `now` for a contact that is not a lead yet. */
  leadAt: Date[]
  isLead: boolean[]
  customerAt: (Date | null)[]
  columns: RawColumn[]
  /** Feature name → words a person reads ("Account industry"). */
  labels: Record<string, string>
  /** The rule-based score at lead creation (fit + engagement then), when asked for. */
  baseline: number[] | null
}

const fixedLabels: Record<string, string> = {
  'contact.persona': 'Persona',
  'contact.title': 'Job title',
  'contact.source': 'Source',
  'contact.emailOptIn': 'Email opt-in',
  'contact.hasPhone': 'Has a phone number',
  'account.industry': 'Account industry',
  'account.employees': 'Account employees',
  'account.annualRevenue': 'Account annual revenue',
  'account.region': 'Account region',
  'account.country': 'Account country',
  'account.tier': 'Account tier',
  'touches.total': 'Touches before lead creation',
  'touches.campaigns': 'Campaigns touched before lead creation',
  'touches.daysEngaged': 'Days from first touch to lead creation',
}

function words(slug: string): string {
  const text = slug.replaceAll('_', ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The label of any feature name this module makes (custom fields need their definitions). */
export function featureLabel(name: string, customLabels: Record<string, string> = {}): string {
  const fixed = fixedLabels[name] ?? customLabels[name]
  if (fixed) return fixed
  const [group, kind, slug] = name.split('.')
  if (group === 'touches' && kind === 'type' && slug)
    return `${words(slug)} touches before lead creation`
  if (group === 'touches' && kind === 'channel' && slug)
    return `${words(slug)} channel touches before lead creation`
  return name
}

interface LeadRow {
  id: string
  persona: string | null
  title: string | null
  source: string | null
  emailOptIn: boolean
  hasPhone: boolean
  industry: string | null
  employees: number | null
  annualRevenue: number | null
  annualRevenueCurrency: string | null
  region: string | null
  country: string | null
  tier: string | null
  /** Epoch milliseconds (numbers parse far faster than timestamps on 100,000 rows). */
  leadMs: number | null
  customerMs: number | null
  fit: number | null
  total: number
  campaigns: number
  daysEngaged: number
  /** Touches per type (touchpointTypes order), then per channel (channels order). */
  counts: number[]
  /** Custom field values (definitions order). */
  customs: (string | null)[]
}

/**
 * The leads of a workspace (`'all'` live contacts, or the given ids) with their features at lead
 * creation, in one statement: lead times from the lifecycle entries, the contact's and account's
 * attributes, and the touches up to lead creation pivoted per type and channel. A contact that is
 * not a lead yet gets its features as of `now`. Rows come oldest lead first.
 */
export async function extractLeads(
  db: Kysely<DB>,
  workspaceId: string,
  target: string[] | 'all',
  now: Date,
  options: { baseline?: boolean } = {},
): Promise<LeadSet> {
  // Custom fields of contacts and accounts: numbers stay numbers, selects and texts are categories;
  // dates and multi-selects are left out (a date is often set when something happened later).
  const definitions = await db
    .selectFrom('customFieldDefinitions')
    .select(['entity', 'key', 'label', 'type'])
    .where('workspaceId', '=', workspaceId)
    .where('entity', 'in', ['contact', 'account'])
    .where('type', 'in', ['number', 'select', 'text'])
    .orderBy('entity')
    .orderBy('position')
    .execute()
  const idFilter = target === 'all' ? sql`` : sql`and c.id = any(${target}::uuid[])`
  const entryFilter = target === 'all' ? sql`` : sql`and e.record_id = any(${target}::uuid[])`
  const customs =
    definitions.length === 0
      ? sql`'[]'::json`
      : sql`json_build_array(${sql.join(
          definitions.map((d) =>
            d.entity === 'account' ? sql`a.custom ->> ${d.key}` : sql`c.custom ->> ${d.key}`,
          ),
        )})`
  const counts = sql.join([
    ...touchpointTypes.map((type) => sql`count(*) filter (where t.type = ${type})::int`),
    ...channels.map((channel) => sql`count(*) filter (where t.channel = ${channel})::int`),
  ])
  const result = await sql<LeadRow>`
    with lt as (
      select e.record_id as id,
        min(e.entered_at) filter (where e.stage = any(${leadOrLater}::text[])) as lead_at,
        min(e.entered_at) filter (where e.stage = any(${customerStages}::text[])) as customer_at
      from lifecycle_entries e
      where e.workspace_id = ${workspaceId} and e.entity = 'contact' ${entryFilter}
      group by e.record_id
    ),
    leads as (
      select c.id, least(coalesce(lt.lead_at, ${now}::timestamptz), ${now}::timestamptz) as t0
      from contacts c left join lt on lt.id = c.id
      where c.workspace_id = ${workspaceId} and c.deleted_at is null and c.merged_into is null ${idFilter}
    ),
    touched as (
      select t.contact_id, count(*)::int as total, count(distinct t.campaign_id)::int as campaigns,
        (extract(epoch from (min(l.t0) - min(t.occurred_at))) / 86400)::float8 as days_engaged,
        to_json(array[${counts}]) as counts
      from touchpoints t join leads l on l.id = t.contact_id
      where t.workspace_id = ${workspaceId} and not t.is_bot and t.occurred_at <= l.t0
      group by t.contact_id
    )
    select c.id, c.persona, c.title, c.source, c.email_opt_in, c.phone is not null as has_phone,
      a.industry, a.employees, a.annual_revenue::float8 as annual_revenue,
      a.annual_revenue_currency, a.region, a.country, a.tier,
      (extract(epoch from lt.lead_at) * 1000)::float8 as lead_ms,
      (extract(epoch from lt.customer_at) * 1000)::float8 as customer_ms, s.fit,
      coalesce(tc.total, 0) as total, coalesce(tc.campaigns, 0) as campaigns,
      coalesce(tc.days_engaged, 0) as days_engaged, tc.counts, ${customs} as customs
      -- counts and customs travel as JSON: JSON.parse is far quicker than pg's array parser.
    from contacts c
    left join accounts a on a.workspace_id = c.workspace_id and a.id = c.account_id
    left join lt on lt.id = c.id
    left join touched tc on tc.contact_id = c.id
    left join contact_scores s on s.workspace_id = c.workspace_id and s.contact_id = c.id
    where c.workspace_id = ${workspaceId} and c.deleted_at is null and c.merged_into is null ${idFilter}
    order by coalesce(lt.lead_at, ${now}::timestamptz), c.id
  `.execute(db)
  const rows = result.rows
  const nowMs = now.getTime()
  const leadAt = rows.map((row) =>
    row.leadMs !== null && row.leadMs <= nowMs ? new Date(row.leadMs) : now,
  )

  const column = (name: string, pick: (row: LeadRow) => RawValue): RawColumn => ({
    name,
    values: rows.map(pick),
  })
  const columns: RawColumn[] = [
    column('contact.persona', (r) => r.persona),
    column('contact.title', (r) => r.title),
    column('contact.source', (r) => r.source),
    column('contact.emailOptIn', (r) => (r.emailOptIn ? 'yes' : 'no')),
    column('contact.hasPhone', (r) => (r.hasPhone ? 'yes' : 'no')),
    column('account.industry', (r) => r.industry),
    column('account.employees', (r) => r.employees),
    // Stored in minor units: factors show it in whole units of its currency.
    column('account.annualRevenue', (r) =>
      r.annualRevenue === null
        ? null
        : r.annualRevenue / 10 ** minorUnitDigits(r.annualRevenueCurrency ?? 'USD'),
    ),
    column('account.region', (r) => r.region),
    column('account.country', (r) => r.country),
    column('account.tier', (r) => r.tier),
    column('touches.total', (r) => r.total),
    column('touches.campaigns', (r) => r.campaigns),
    column('touches.daysEngaged', (r) => Math.max(0, r.daysEngaged)),
  ]
  // One column per touch type and channel the workspace's leads have.
  const pivots = [
    ...touchpointTypes.map((type) => `touches.type.${type}`),
    ...channels.map((channel) => `touches.channel.${channel}`),
  ]
  pivots.forEach((name, k) => {
    const values = rows.map((r) => r.counts?.[k] ?? 0)
    if (values.some((v) => v > 0)) columns.push({ name, values })
  })
  const labels: Record<string, string> = {}
  definitions.forEach((definition, k) => {
    const name = `${definition.entity}.custom.${definition.key}`
    labels[name] = `${definition.entity === 'account' ? 'Account' : 'Contact'} ${definition.label}`
    columns.push(column(name, (r) => r.customs[k] ?? null))
  })
  for (const c of columns) labels[c.name] = featureLabel(c.name, labels)

  const index = new Map(rows.map((row, i) => [row.id, i]))
  const baseline = options.baseline
    ? await ruleScoreAtLeadCreation(db, workspaceId, rows, leadAt, index)
    : null
  return {
    contactIds: rows.map((row) => row.id),
    leadAt,
    isLead: rows.map((row) => row.leadMs !== null && row.leadMs <= nowMs),
    customerAt: rows.map((row) => (row.customerMs === null ? null : new Date(row.customerMs))),
    columns,
    labels,
    baseline,
  }
}

/**
 * The rule-based score a lead had at its creation, for the comparison on the holdout: its fit (fit
 * rules read the same attributes as the model) plus the engagement its touches up to lead creation
 * earned, decayed to that moment with the workspace's half-life.
 */
async function ruleScoreAtLeadCreation(
  db: Kysely<DB>,
  workspaceId: string,
  rows: LeadRow[],
  leadAt: Date[],
  index: Map<string, number>,
): Promise<number[]> {
  const scores = rows.map((row) => row.fit ?? 0)
  const [rules, settings] = await Promise.all([
    loadRules(db, workspaceId),
    loadScoringSettings(db, workspaceId),
  ])
  const engagement = rules.filter((rule) => rule.isActive && rule.kind === 'engagement')
  if (engagement.length === 0 || rows.length === 0) return scores
  const result = await sql<{ contactId: string; points: number }>`
    with leads as (
      select * from unnest(${rows.map((r) => r.id)}::uuid[], ${leadAt}::timestamptz[]) as l(id, t0)
    )
    select t.contact_id, sum(r.pts * power(2::float8,
        -(extract(epoch from (l.t0 - t.occurred_at))::float8 / 86400) / ${settings.halfLifeDays}::float8))::float8 as points
    from touchpoints t
    join leads l on l.id = t.contact_id
    cross join lateral (values ${sql.join(
      engagement.map(
        (rule) => sql`(${rule.points}::float8, ${touchMatchSql(rule.condition as TouchCondition)})`,
      ),
    )}) as r(pts, hit)
    where t.workspace_id = ${workspaceId} and not t.is_bot and t.occurred_at <= l.t0 and r.hit
    group by t.contact_id
  `.execute(db)
  for (const row of result.rows) {
    const i = index.get(row.contactId)
    if (i === undefined) continue
    scores[i] = (scores[i] ?? 0) + Math.min(100, Math.max(0, row.points))
  }
  return scores
}
