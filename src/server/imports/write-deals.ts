import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { DB } from '../db/schema.ts'
import { lossReasons } from '../deals/input.ts'
import { recomputeDealFit } from '../fit/recompute.ts'
import { ensureDefaultPipeline } from '../pipelines/service.ts'
import {
  assignIds,
  type BatchOutcome,
  externalKey,
  externalKeyOf,
  type ImportContext,
  resolveOwner,
  rowError,
} from './context.ts'
import { resolveDealLinks, writeDealLinks } from './deal-links.ts'
import { resolveAccounts } from './related.ts'
import type { PreparedRow } from './rows.ts'
import { routeTrashedKeys } from './trash.ts'
import type { RowError } from './types.ts'
import { upsertRows } from './upsert.ts'
import { checkCustom, columnsOf, recordOf } from './write-common.ts'

interface StageRow {
  id: string
  pipelineId: string
  name: string
  isWon: boolean
  isLost: boolean
}

async function loadPipelines(db: Kysely<DB>, ctx: ImportContext) {
  const defaultId = await ensureDefaultPipeline(db, ctx.actor, ctx.workspaceId)
  const pipelines = await db
    .selectFrom('pipelines')
    .select(['id', 'name'])
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .execute()
  const stages: StageRow[] = await db
    .selectFrom('stages')
    .select(['id', 'pipelineId', 'name', 'isWon', 'isLost'])
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .orderBy('position')
    .execute()
  return { defaultId, pipelines, stages }
}

type Pipelines = Awaited<ReturnType<typeof loadPipelines>>

/** Finds the row's pipeline and stage by name (value-mapped); unknown names are row errors. */
function resolveStage(p: Pipelines, row: PreparedRow): RowError | StageRow | undefined {
  const pipelineName = row.values.pipeline
  const pipeline =
    typeof pipelineName === 'string'
      ? p.pipelines.find((x) => x.name.toLowerCase() === pipelineName.trim().toLowerCase())
      : p.pipelines.find((x) => x.id === p.defaultId)
  if (!pipeline) {
    return rowError(
      row,
      'pipeline',
      `pipeline: no pipeline is named "${String(pipelineName)}" (pipelines: ${p.pipelines.map((x) => x.name).join(', ')})`,
    )
  }
  const own = p.stages.filter((s) => s.pipelineId === pipeline.id)
  const stageName = row.values.stage
  if (typeof stageName !== 'string') return undefined
  const stage = own.find((s) => s.name.toLowerCase() === stageName.trim().toLowerCase())
  if (stage) return stage
  return rowError(
    row,
    'stage',
    `stage: "${stageName}" is not a stage of pipeline "${pipeline.name}" (stages: ${own.map((s) => s.name).join(', ')}); map it with --values stage:"${stageName}"=<stage>`,
  )
}

async function existingDeals(db: Kysely<DB>, ctx: ImportContext, rows: PreparedRow[]) {
  const names = rows.map((r) => String(r.values.name ?? '').toLowerCase()).filter((n) => n !== '')
  const externalIds = rows
    .map((r) => r.values.externalId)
    .filter((e): e is string => typeof e === 'string')
  return db
    .selectFrom('deals')
    .select(['id', 'externalSource', 'externalId', 'accountId', 'stageId', 'closedAt', 'currency'])
    .select(sql<string>`lower(name)`.as('lowerName'))
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        ...(names.length ? [eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names)))] : []),
        ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
      ]),
    )
    .execute()
}

/** "Cancity – GTX Plus Basic", else "Deal 1C1I7A6R". */
function unnamedDealName(v: Record<string, unknown>): string {
  const parts = [v.account, v.product].filter((p): p is string => typeof p === 'string' && p !== '')
  return (parts.length > 0 ? parts.join(' – ') : `Deal ${String(v.externalId)}`).slice(0, 200)
}

// Natural key of a deal: its external id, else its name within its account.
const dealKeys = (row: PreparedRow) => {
  const external = externalKey(row)
  if (external.length > 0) return external
  return [`n:${String(row.values.name ?? '').toLowerCase()}\u0000${row.values.accountId ?? ''}`]
}

/**
 * A free-text loss reason (HubSpot's "Closed Lost Reason"): our reason when the text is one of
 * ours, else kept word for word in the loss notes with no reason recorded (we do not guess).
 */
function readLossReason(v: Record<string, unknown>) {
  const text = v.lossReasonText
  delete v.lossReasonText
  if (typeof text !== 'string' || v.lossReason !== undefined) return
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  if ((lossReasons as readonly string[]).includes(key)) v.lossReason = key
  else v.lossNotes = typeof v.lossNotes === 'string' ? `${text}\n\n${v.lossNotes}` : text
}

/** Finds each row's source campaign by name (case-insensitive); an unknown one is a row error. */
async function resolveCampaigns(
  db: Kysely<DB>,
  ctx: ImportContext,
  rows: PreparedRow[],
  errors: RowError[],
) {
  const names = [
    ...new Set(
      rows
        .map((r) => r.values.sourceCampaign)
        .filter((n): n is string => typeof n === 'string')
        .map((n) => n.toLowerCase()),
    ),
  ]
  if (names.length === 0) return rows
  const found = await db
    .selectFrom('campaigns')
    .select(['id', sql<string>`lower(name)`.as('lowerName')])
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .where((eb) => eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names))))
    .orderBy('createdAt')
    .execute()
  const byName = new Map<string, string>()
  for (const c of found) if (!byName.has(c.lowerName)) byName.set(c.lowerName, c.id)
  return rows.filter((row) => {
    const name = row.values.sourceCampaign
    delete row.values.sourceCampaign
    if (typeof name !== 'string') return true
    const id = byName.get(name.toLowerCase())
    if (id) row.values.sourceCampaignId = id
    else
      errors.push(rowError(row, 'sourceCampaign', `sourceCampaign: no campaign is named "${name}"`))
    return id !== undefined
  })
}

/**
 * Upserts a batch of deals by external id, else name + account; creates accounts named and
 * missing; places each deal in its stage (by name) and keeps its stage history like the API: a
 * new deal's first stage and each later move add a stage change.
 */
export async function writeDeals(
  db: Kysely<DB>,
  ctx: ImportContext,
  input: PreparedRow[],
): Promise<BatchOutcome> {
  const errors: RowError[] = []
  const pipelines = await loadPipelines(db, ctx)
  const stageOf = new Map<PreparedRow, StageRow | undefined>()
  const rows = input.filter((row) => {
    const stage = resolveStage(pipelines, row)
    const error =
      resolveOwner(ctx, row) ??
      checkCustom(ctx, row) ??
      (stage && 'reason' in stage ? stage : undefined)
    if (error) errors.push(error)
    else stageOf.set(row, stage as StageRow | undefined)
    return !error
  })
  await resolveAccounts(db, ctx, rows)
  const campaigns = await resolveCampaigns(db, ctx, rows, errors)
  const found = await existingDeals(db, ctx, campaigns)
  const existing = new Map<string, string>()
  for (const d of found) {
    existing.set(`n:${d.lowerName}\u0000${d.accountId ?? ''}`, d.id)
    for (const k of externalKeyOf(d.externalSource, d.externalId)) existing.set(k, d.id)
  }
  const before = new Map(found.map((d) => [d.id, d]))
  const live = await routeTrashedKeys(db, ctx, 'deals', campaigns, existing, errors)
  const currencyOf = (row: PreparedRow) => {
    const id = dealKeys(row)
      .map((k) => existing.get(k))
      .find((x) => x !== undefined)
    const stored = id ? before.get(id)?.currency : undefined
    return String(row.values.currency ?? stored ?? ctx.baseCurrency)
  }
  const linked = await resolveDealLinks(db, ctx, live, currencyOf, errors)
  const items = assignIds(linked.rows, dealKeys, existing).filter(({ row, isNew }) => {
    if (!isNew || typeof row.values.name === 'string') return true
    // A spreadsheet of deals with ids but no names: each is named after its account and product.
    if (typeof row.values.externalId === 'string') {
      row.values.name = unnamedDealName(row.values)
      return true
    }
    errors.push(rowError(row, null, 'name: required for a new deal without an externalId'))
    return false
  })
  const moves: { dealId: string; from: string | null; to: string }[] = []
  const won = new Set(pipelines.stages.filter((stage) => stage.isWon).map((stage) => stage.id))
  const reopened: string[] = []
  for (const { row, id, isNew } of items) {
    const old = before.get(id)
    const stage =
      stageOf.get(row) ??
      (isNew
        ? pipelines.stages.find(
            (s) => s.pipelineId === pipelines.defaultId && !s.isWon && !s.isLost,
          )
        : undefined)
    const v = row.values
    readLossReason(v)
    // A closed deal keeps the time it closed in the file; the stage decides whether it is closed.
    const closedAt = v.closedAt
    delete v.closedAt
    if (isNew) {
      v.currency ??= ctx.baseCurrency
      // As the API: a deal without an amount yet is worth 0 until someone prices it.
      v.amount ??= 0
      if (v.ownerId === undefined && ctx.defaultOwnerId) v.ownerId = ctx.defaultOwnerId
    }
    if (!stage || stage.id === old?.stageId) continue
    v.stageId = stage.id
    v.pipelineId = stage.pipelineId
    moves.push({ dealId: id, from: old?.stageId ?? null, to: stage.id })
    // A won stage means closed_won, a lost one omitted; reopening goes back to pipeline.
    if (stage.isWon || stage.isLost) {
      v.forecastCategory = stage.isWon ? 'closed_won' : 'omitted'
      if (!old?.closedAt) v.closedAt = closedAt ?? ctx.now.toISOString()
    } else if (old?.closedAt) {
      v.forecastCategory ??= 'pipeline'
      reopened.push(id)
    }
  }
  const columns = columnsOf(
    'deals',
    items.map((i) => i.row),
  ).map((c) => (c.name === 'closed_at' ? { ...c, replace: false } : c))
  const counts = await upsertRows(
    db,
    'deals',
    ctx.workspaceId,
    columns,
    items.map(({ row, id, isNew }) => ({ isNew, record: recordOf('deals', id, row, columns) })),
    { custom: items.some((i) => Object.keys(i.row.custom).length > 0) },
  )
  if (reopened.length > 0) {
    await db
      .updateTable('deals')
      .set({ closedAt: null })
      .where('workspaceId', '=', ctx.workspaceId)
      .where('id', 'in', reopened)
      .execute()
  }
  const changedBy = ctx.actor.kind === 'user' ? ctx.actor.userId : null
  const changes = moves
    .filter((m) => counts.writtenIds.has(m.dealId))
    .map((m) => ({
      workspaceId: ctx.workspaceId,
      id: uuidv7(),
      dealId: m.dealId,
      fromStageId: m.from,
      toStageId: m.to,
      changedAt: ctx.now,
      changedBy,
    }))
  if (changes.length > 0) await db.insertInto('dealStageChanges').values(changes).execute()
  await writeDealLinks(
    db,
    ctx,
    items.map(({ row, id }) => ({ id, links: linked.links.get(row) ?? {} })),
  )
  // Product fit (issue 9) of the deals written, with their new lines, needs and account; a deal
  // the file closes as won keeps the fit it was won with (regret counts wins flagged poor fit).
  const written = [...counts.writtenIds]
  await recomputeDealFit(db, ctx.workspaceId, { dealIds: written })
  const wonIds = moves.filter((m) => won.has(m.to) && counts.writtenIds.has(m.dealId))
  if (wonIds.length > 0) {
    await db
      .updateTable('deals')
      .set((eb) => ({ wonFit: eb.ref('productFit') }))
      .where('workspaceId', '=', ctx.workspaceId)
      .where(
        'id',
        'in',
        wonIds.map((m) => m.dealId),
      )
      .execute()
  }
  return { created: counts.created, updated: counts.updated, unchanged: counts.unchanged, errors }
}
