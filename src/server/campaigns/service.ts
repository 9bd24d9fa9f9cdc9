import type { Kysely, Selectable } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { CampaignsTable, DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { requireMember } from '../records/common.ts'
import { Currency, changes, ExternalRef, IsoDate, MinorUnits } from '../records/fields.ts'
import { compileFilter, type FieldMap, parseFilterParam } from '../records/filter.ts'
import { type ListQuery, parseSort, type Sortable, toPage } from '../records/list.ts'
import { channels } from '../touchpoints/kinds.ts'
import { moveToTrash } from '../trash/move-to-trash.ts'
import { presentCampaign } from './present.ts'
import {
  findCampaign,
  findWorkspaceCurrency,
  lockCampaign,
  lockUtmCampaigns,
  selectCampaignPage,
  selectUtmHolders,
  sumCampaignCosts,
} from './queries.ts'

const Count = z.number().int().min(0).max(1_000_000_000)
export const CampaignInput = z.object({
  name: z.string().trim().min(1).max(200),
  channel: z.enum(channels),
  type: z.string().trim().min(1).max(100).describe('free text: webinar, ebook, ppc, conference…'),
  startsOn: IsoDate.nullable().optional(),
  endsOn: IsoDate.nullable().optional(),
  budget: MinorUnits.nullable().optional().describe('minor units of currency'),
  currency: Currency.optional().describe('default: the workspace base currency'),
  utmCampaigns: z
    .array(z.string().trim().min(1).max(200))
    .max(100)
    .optional()
    .describe('utm_campaign values (any case) whose touchpoints belong to this campaign'),
  goalLeads: Count.nullable().optional(),
  goalMqls: Count.nullable().optional(),
  goalPipeline: MinorUnits.nullable().optional(),
  ownerId: z.string().min(1).max(100).nullable().optional(),
  ...ExternalRef,
})
export type CampaignInput = z.infer<typeof CampaignInput>
export const CampaignPatch = CampaignInput.partial()
export type CampaignPatch = z.infer<typeof CampaignPatch>

const c = (column: string) => () => sql.ref(`c.${column}`)
export const campaignFields: FieldMap = {
  id: { type: 'uuid', sql: c('id') },
  name: { type: 'text', sql: c('name') },
  channel: { type: 'text', sql: c('channel'), values: channels },
  type: { type: 'text', sql: c('type') },
  startsOn: { type: 'date', sql: c('startsOn') },
  endsOn: { type: 'date', sql: c('endsOn') },
  budget: { type: 'number', sql: c('budget') },
  currency: { type: 'text', sql: c('currency') },
  utmCampaigns: { type: 'text_array', sql: c('utmCampaigns') },
  goalLeads: { type: 'number', sql: c('goalLeads') },
  goalMqls: { type: 'number', sql: c('goalMqls') },
  goalPipeline: { type: 'number', sql: c('goalPipeline') },
  ownerId: { type: 'text', sql: c('ownerId') },
  externalSource: { type: 'text', sql: c('externalSource') },
  externalId: { type: 'text', sql: c('externalId') },
  createdAt: { type: 'timestamp', sql: c('createdAt') },
  updatedAt: { type: 'timestamp', sql: c('updatedAt') },
}
const sortable: Record<string, Sortable> = {
  updatedAt: { type: 'timestamptz', sql: c('updatedAt') },
  createdAt: { type: 'timestamptz', sql: c('createdAt') },
  name: { type: 'text', sql: c('name') },
  startsOn: {
    type: 'date',
    sql: () => sql`coalesce(${sql.ref('c.startsOn')}, '0001-01-01'::date)`,
  },
  endsOn: { type: 'date', sql: () => sql`coalesce(${sql.ref('c.endsOn')}, '0001-01-01'::date)` },
  budget: { type: 'numeric', sql: () => sql`coalesce(${sql.ref('c.budget')}, -1)` },
}
/** The sortable fields of the list, shared with exports. */
export const campaignSorts = sortable

/** Campaigns of the workspace: `q` over the name, the filter language, any sortable field. */
export async function listCampaigns(db: Database, principal: Principal, query: ListQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const filter = parseFilterParam(query.filter)
  const sort = parseSort(query.sort, sortable, '-updatedAt')
  const q = query.q?.replace(/[\\%_]/g, (ch) => `\\${ch}`)
  const where = [
    q ? sql<boolean>`${sql.ref('c.name')} ilike ${`%${q}%`}` : undefined,
    filter ? compileFilter(filter, campaignFields) : undefined,
  ].filter((w) => w !== undefined)
  const rows = await selectCampaignPage(db, workspaceId, where, sort, query.cursor, query.limit)
  return toPage(rows, query.limit, sort, presentCampaign)
}

/** One campaign with its total cost per currency (never converted). */
export async function getCampaign(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await findCampaign(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Campaign not found')
  const totalCost = await sumCampaignCosts(db, workspaceId, id)
  return { ...presentCampaign(row), totalCost }
}

/**
 * Each utm_campaign value maps touchpoints to one live campaign of the workspace: a value (in any
 * case) already held by another is a conflict naming it. Call inside the writing transaction.
 */
export async function checkUtmCampaigns(
  trx: Kysely<DB>,
  workspaceId: string,
  values: string[],
  exceptId?: string,
) {
  if (values.length === 0) return
  await lockUtmCampaigns(trx, workspaceId)
  const holders = await selectUtmHolders(trx, workspaceId, values, exceptId)
  for (const value of values) {
    const holder = holders.find((h) =>
      h.utmCampaigns.some((u) => u.toLowerCase() === value.toLowerCase()),
    )
    if (holder) {
      throw new AppError(
        'conflict',
        `utmCampaigns: "${value}" already belongs to the campaign "${holder.name}"`,
        { field: 'utmCampaigns', value, existingId: holder.id },
      )
    }
  }
}

async function prepare(
  trx: Kysely<DB>,
  workspaceId: string,
  input: CampaignPatch,
  before?: Selectable<CampaignsTable>,
) {
  const { utmCampaigns, ...values } = input
  const startsOn = input.startsOn !== undefined ? input.startsOn : (before?.startsOn ?? null)
  const endsOn = input.endsOn !== undefined ? input.endsOn : (before?.endsOn ?? null)
  if (startsOn && endsOn && startsOn > endsOn) {
    throw new AppError('invalid_input', `endsOn: ${endsOn} is before startsOn ${startsOn}`, {
      field: 'endsOn',
    })
  }
  if (input.ownerId) await requireMember(trx, workspaceId, input.ownerId, 'ownerId')
  if (utmCampaigns === undefined) return values
  const seen = new Set<string>()
  const unique = utmCampaigns.filter((u) => {
    const key = u.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  await checkUtmCampaigns(trx, workspaceId, unique, before?.id)
  return { ...values, utmCampaigns: unique }
}

/** Creates a campaign; its budget is in the workspace base currency unless another is named. */
export async function createCampaign(db: Database, principal: Principal, input: CampaignInput) {
  const { workspaceId } = requirePermission(principal, 'campaigns:write')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    const values = await prepare(trx, workspaceId, input)
    const currency = input.currency ?? (await findWorkspaceCurrency(trx, workspaceId)).baseCurrency
    await trx
      .insertInto('campaigns')
      .values({
        workspaceId,
        id,
        ...values,
        name: input.name,
        channel: input.channel,
        type: input.type,
        currency,
      })
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'campaign.create',
      targetType: 'campaign',
      targetId: id,
      details: { name: input.name, channel: input.channel },
    })
  })
  return getCampaign(db, principal, id)
}

/** Changes a campaign; new utm values must be free, dates stay in order. */
export async function updateCampaign(
  db: Database,
  principal: Principal,
  id: string,
  patch: CampaignPatch,
) {
  const { workspaceId } = requirePermission(principal, 'campaigns:write')
  await db.transaction().execute(async (trx) => {
    const before = await lockCampaign(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Campaign not found')
    const values = await prepare(trx, workspaceId, patch, before)
    await trx
      .updateTable('campaigns')
      .set({ ...values, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'campaign.update',
      targetType: 'campaign',
      targetId: id,
      details: changes(before, values),
    })
  })
  return getCampaign(db, principal, id)
}

/** Moves a campaign to the Trash (restorable for 30 days); its utm values are free meanwhile. */
export async function deleteCampaign(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'campaigns:write')
  await moveToTrash(db, principal, workspaceId, { entity: 'campaign', id })
}
