/**
 * Drill-down of the attribution report (issue 12): the deals or contacts behind a number, and one
 * conversion's journey. Under the model whose per-touch credits are stored (the default when
 * attribution last ran) they are read from those credits; under any other model from the subjects'
 * contributions, which hold each model's credit per channel and campaign but not per touch.
 */
import { type Kysely, sql } from 'kysely'
import type { AttributionModel, ConversionKind } from '../../domain/attribution/types.ts'
import { loadAttributionSettings } from '../attribution/settings.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { bridgeRange, workspaceTimeZone } from './bridge-common.ts'

export interface AttributionCreditsQuery {
  model?: AttributionModel | undefined
  conversion?: ConversionKind | undefined
  campaign?: string | undefined
  channel?: string | undefined
  month?: string | undefined
  kind?: 'touch' | 'pending' | 'no_touch' | undefined
  from?: string | undefined
  to?: string | undefined
  limit?: number | undefined
  offset?: number | undefined
}

const isDealConversion = (conversion: ConversionKind) =>
  conversion === 'opportunity_created' || conversion === 'won'

/** A contact's name, or its email when it has none. */
const contactName = sql<string>`coalesce(nullif(trim(coalesce(contacts.first_name, '') || ' ' || coalesce(contacts.last_name, '')), ''), contacts.email, '(no name)')`

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Month bounds (UTC, like the rollups) of the range, or of one month when `month` is given. */
function conversionWindow(from: string, to: string, month: string | undefined) {
  if (month !== undefined) {
    if (month < from.slice(0, 7) || month > to.slice(0, 7)) {
      throw new AppError('invalid_input', `month: ${month} is outside ${from} – ${to}`, {
        field: 'month',
      })
    }
    const start = new Date(`${month}-01T00:00:00Z`)
    const end = new Date(start)
    end.setUTCMonth(end.getUTCMonth() + 1)
    return { start, end }
  }
  const start = new Date(`${from.slice(0, 7)}-01T00:00:00Z`)
  const end = new Date(`${to.slice(0, 7)}-01T00:00:00Z`)
  end.setUTCMonth(end.getUTCMonth() + 1)
  return { start, end }
}

/** The model whose per-touch credits are stored: the default when attribution last ran. */
async function storedModel(db: Kysely<DB>, workspaceId: string) {
  const run = await db
    .selectFrom('attributionRuns')
    .select('model')
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirst()
  return (run?.model ?? null) as AttributionModel | null
}

/** The subjects credited for one group of the report, most credited revenue first. */
export async function listAttributionCredits(
  db: Kysely<DB>,
  principal: Principal,
  query: AttributionCreditsQuery,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const range = bridgeRange(query, await workspaceTimeZone(db, workspaceId), now)
  const conversion = query.conversion ?? 'won'
  const limit = query.limit ?? 50
  const offset = query.offset ?? 0
  const { start, end } = conversionWindow(range.from, range.to, query.month)
  if (
    query.campaign !== undefined &&
    query.campaign !== 'none' &&
    !uuidPattern.test(query.campaign)
  ) {
    throw new AppError('invalid_input', 'campaign: must be a campaign id or none', {
      field: 'campaign',
    })
  }
  const deals = isDealConversion(conversion)
  const stored = await storedModel(db, workspaceId)
  const model = query.model ?? stored
  const perTouch = model === stored
  // Every credited share of the conversion, per touch (stored model) or per group (others).
  const shares = perTouch
    ? sql`
        select ac.subject_id, ac.converted_at, ac.kind, ac.channel, ac.campaign_id,
          ac.credit, ac.revenue::numeric as revenue
        from attribution_credits ac
        where ac.workspace_id = ${workspaceId} and ac.conversion = ${conversion}`
    : sql`
        select c.subject_id, c.converted_at, e ->> 2 as kind, e ->> 3 as channel,
          (e ->> 4)::uuid as campaign_id, (e ->> 5)::float8 as credit, (e ->> 6)::numeric as revenue
        from attribution_contributions c cross join jsonb_array_elements(c.rows) e
        where c.workspace_id = ${workspaceId} and c.conversion = ${conversion}
          and e ->> 0 = ${model}`
  const filters = [
    query.campaign === 'none'
      ? sql`s.campaign_id is null and s.kind = 'touch'`
      : query.campaign !== undefined
        ? sql`s.campaign_id = ${query.campaign}::uuid`
        : sql`true`,
    query.channel !== undefined ? sql`s.channel = ${query.channel}` : sql`true`,
    query.kind !== undefined ? sql`s.kind = ${query.kind}` : sql`true`,
  ]
  // One pass: a subject converts once per kind, so all its shares fall in the window or none do;
  // the group's shares are the filtered sums, the conversion's whole value the unfiltered one.
  const ofGroup = sql.join(filters, sql` and `)
  const rows = await sql<{
    subjectId: string
    name: string | null
    convertedAt: Date
    credit: number
    revenue: string
    amount: string
    touches: number | null
    total: number
  }>`
    with mine as (
      select s.subject_id, min(s.converted_at) as converted_at,
        (sum(s.credit) filter (where ${ofGroup}))::float8 as credit,
        sum(s.revenue) filter (where ${ofGroup}) as revenue, sum(s.revenue) as amount,
        ${perTouch ? sql`count(*) filter (where s.kind = 'touch' and ${ofGroup})::int` : sql`null::int`} as touches
      from (${shares}) s
      where s.converted_at >= ${start} and s.converted_at < ${end}
      group by s.subject_id
      having bool_or(${ofGroup})
    )
    select mine.subject_id, mine.converted_at, mine.credit, round(mine.revenue)::text as revenue,
      round(mine.amount)::text as amount, mine.touches, count(*) over ()::int as total,
      ${
        deals
          ? sql`(select d.name from deals d where d.workspace_id = ${workspaceId} and d.id = mine.subject_id)`
          : sql`(select ${contactName} from contacts
                 where contacts.workspace_id = ${workspaceId} and contacts.id = mine.subject_id)`
      } as name
    from mine
    order by mine.revenue desc, mine.credit desc, mine.converted_at desc, mine.subject_id
    limit ${limit} offset ${offset}
  `.execute(db)
  return {
    data: rows.rows.map((row) => ({
      subjectType: deals ? ('deal' as const) : ('contact' as const),
      id: row.subjectId,
      name: row.name ?? (deals ? '(deleted deal)' : '(deleted contact)'),
      convertedAt: row.convertedAt.toISOString(),
      credit: Math.round(row.credit * 1e6) / 1e6,
      revenue: Number(row.revenue),
      amount: Number(row.amount),
      touches: row.touches,
      link: `/microscope/${deals ? 'deals' : 'contacts'}/${row.subjectId}`,
    })),
    meta: {
      model,
      perTouch,
      conversion,
      from: range.from,
      to: range.to,
      total: rows.rows[0]?.total ?? 0,
      limit,
      offset,
    },
  }
}

/**
 * The people whose touches make a subject's journey (compute.ts): a deal's account's contacts (and
 * the account's own touches), or its primary contact without an account; a contact alone.
 */
async function journeyPeople(
  db: Kysely<DB>,
  workspaceId: string,
  subjectId: string,
  deals: boolean,
): Promise<{ contactIds: string[]; accountId: string | null } | null> {
  if (!deals) return { contactIds: [subjectId], accountId: null }
  const deal = await sql<{ accountId: string | null; primaryContactId: string | null }>`
    select d.account_id,
      (select dc.contact_id from deal_contacts dc
        where dc.workspace_id = d.workspace_id and dc.deal_id = d.id
        order by dc.is_primary desc, dc.contact_id limit 1) as primary_contact_id
    from deals d where d.workspace_id = ${workspaceId} and d.id = ${subjectId}
  `.execute(db)
  const row = deal.rows[0]
  if (!row) return null
  if (!row.accountId) {
    return { contactIds: row.primaryContactId ? [row.primaryContactId] : [], accountId: null }
  }
  const contacts = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('accountId', '=', row.accountId)
    .where('deletedAt', 'is', null)
    .where('mergedInto', 'is', null)
    .execute()
  return { contactIds: contacts.map((c) => c.id), accountId: row.accountId }
}

/**
 * One conversion's journey: every creditable touch in the lookback window up to the conversion, in
 * time order. Under the stored model each touch has the credit it earned (0 for touches the model
 * passes over, e.g. W-shaped's touches after the last milestone); under another model touches carry
 * no credit (null) and `shares` gives the model's credit per channel and campaign instead.
 */
export async function getAttributionJourney(
  db: Kysely<DB>,
  principal: Principal,
  subjectId: string,
  conversion: ConversionKind = 'won',
  requestedModel?: AttributionModel,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const deals = isDealConversion(conversion)
  const what = deals ? 'deal' : 'contact'
  const stored = await storedModel(db, workspaceId)
  const model = requestedModel ?? stored
  const perTouch = model === stored
  const credited = perTouch
    ? await storedCredits(db, workspaceId, subjectId, conversion)
    : await modelShares(db, workspaceId, subjectId, conversion, model)
  const people = credited ? await journeyPeople(db, workspaceId, subjectId, deals) : null
  if (!credited || !people) {
    throw new AppError(
      'not_found',
      `No ${conversion} credits for this ${what}${model && !perTouch ? ` under ${model}` : ''}`,
    )
  }
  const settings = await loadAttributionSettings(db, workspaceId)
  const { convertedAt } = credited
  const windowStart = new Date(convertedAt.getTime() - settings.lookbackDays * 86_400_000)
  const touches = await sql<{
    touchpointId: string
    touchAt: Date
    channel: string
    campaignId: string | null
    campaignName: string | null
    credit: number | null
    revenue: string | null
  }>`
    select t.id as touchpoint_id, t.occurred_at as touch_at, t.channel, t.campaign_id,
      c.name as campaign_name, ${perTouch ? sql`ac.credit, ac.revenue::text` : sql`null::float8 as credit, null as revenue`}
    from touchpoints t
    left join campaigns c on c.workspace_id = t.workspace_id and c.id = t.campaign_id
    left join attribution_credits ac on ${perTouch} and ac.workspace_id = t.workspace_id
      and ac.subject_id = ${subjectId} and ac.conversion = ${conversion}
      and ac.touchpoint_id = t.id
    where t.workspace_id = ${workspaceId} and not t.is_bot
      and t.occurred_at >= ${windowStart} and t.occurred_at <= ${convertedAt}
      and (${settings.includeSalesTouches} or t.channel <> 'sales')
      and (t.contact_id = any(${people.contactIds}::uuid[])
        or (t.contact_id is null and t.account_id = ${people.accountId}::uuid))
    order by t.occurred_at, t.id
  `.execute(db)
  const subject = deals
    ? await db
        .selectFrom('deals')
        .select('name')
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', subjectId)
        .executeTakeFirst()
    : await db
        .selectFrom('contacts')
        .select(contactName.as('name'))
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', subjectId)
        .executeTakeFirst()
  const { kinds } = credited
  return {
    subjectType: deals ? ('deal' as const) : ('contact' as const),
    id: subjectId,
    name: subject?.name ?? '(deleted)',
    conversion,
    convertedAt: convertedAt.toISOString(),
    model,
    perTouch,
    lookbackDays: settings.lookbackDays,
    kind: kinds.has('no_touch')
      ? ('no_touch' as const)
      : kinds.has('pending')
        ? ('pending' as const)
        : ('touch' as const),
    touches: touches.rows.map((row) => ({
      touchpointId: row.touchpointId,
      at: row.touchAt.toISOString(),
      channel: row.channel,
      campaign: row.campaignId ? { id: row.campaignId, name: row.campaignName ?? '' } : null,
      credit: perTouch ? Math.round((row.credit ?? 0) * 1e6) / 1e6 : null,
      revenue: perTouch ? Number(row.revenue ?? 0) : null,
    })),
    shares: credited.shares,
    pending: credited.pending,
  }
}

/** The stored model's credits of one conversion: when, of which kinds, the pending share. */
async function storedCredits(
  db: Kysely<DB>,
  workspaceId: string,
  subjectId: string,
  conversion: ConversionKind,
) {
  const credits = await db
    .selectFrom('attributionCredits')
    .select(['kind', 'credit', 'convertedAt'])
    .where('workspaceId', '=', workspaceId)
    .where('subjectId', '=', subjectId)
    .where('conversion', '=', conversion)
    .execute()
  const first = credits[0]
  if (!first) return null
  return {
    convertedAt: first.convertedAt,
    kinds: new Set(credits.map((row) => row.kind)),
    pending: credits
      .filter((row) => row.kind === 'pending')
      .reduce((sum, row) => sum + row.credit, 0),
    shares: null,
  }
}

/** Another model's credit of one conversion per channel and campaign (its contribution rows). */
async function modelShares(
  db: Kysely<DB>,
  workspaceId: string,
  subjectId: string,
  conversion: ConversionKind,
  model: AttributionModel | null,
) {
  const rows = await sql<{
    convertedAt: Date
    kind: 'touch' | 'pending' | 'no_touch'
    channel: string | null
    campaignId: string | null
    campaignName: string | null
    credit: number
    revenue: string
  }>`
    select c.converted_at, e ->> 2 as kind, e ->> 3 as channel, e ->> 4 as campaign_id,
      campaigns.name as campaign_name, (e ->> 5)::float8 as credit,
      round((e ->> 6)::numeric)::text as revenue
    from attribution_contributions c cross join jsonb_array_elements(c.rows) e
    left join campaigns on campaigns.workspace_id = c.workspace_id
      and campaigns.id = (e ->> 4)::uuid
    where c.workspace_id = ${workspaceId} and c.subject_id = ${subjectId}
      and c.conversion = ${conversion} and e ->> 0 = ${model}
    order by (e ->> 5)::float8 desc, e ->> 3, e ->> 4
  `.execute(db)
  const first = rows.rows[0]
  if (!first) return null
  const touched = rows.rows.filter((row) => row.kind === 'touch')
  return {
    convertedAt: first.convertedAt,
    kinds: new Set(rows.rows.map((row) => row.kind)),
    pending: rows.rows
      .filter((row) => row.kind === 'pending')
      .reduce((sum, row) => sum + row.credit, 0),
    shares: touched.map((row) => ({
      channel: row.channel ?? '',
      campaign: row.campaignId ? { id: row.campaignId, name: row.campaignName ?? '' } : null,
      credit: Math.round(row.credit * 1e6) / 1e6,
      revenue: Number(row.revenue),
    })),
  }
}
