import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { getBaseCurrency } from '../exchange-rates/service.ts'
import { setFeedbackTags } from '../feedback/service.ts'
import { checkFitGuard } from '../fit/guard.ts'
import { recomputeDealFit } from '../fit/recompute.ts'
import { changes } from '../records/fields.ts'
import { emitWebhookEvent } from '../webhooks/events.ts'
import type { DealInput, DealPatch } from './input.ts'
import { checkLinks } from './links.ts'
import {
  findStageFlags,
  insertStageChange,
  lockDeals,
  replaceDealContacts,
  replaceLineItems,
} from './queries.ts'
import { getDeal } from './service.ts'
import { stageOutcome, targetStage } from './stage-rules.ts'

const changedBy = (principal: Principal) => (principal.kind === 'user' ? principal.userId : null)

/**
 * Creates a deal in the stage given (default: the default pipeline's first open stage), with its
 * buying group and line items; its first stage change (from nothing) starts its stage history.
 */
export async function createDeal(db: Database, principal: Principal, given: DealInput) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const { tagIds, ...input } = given
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    const { values, contacts, lineItems } = await checkLinks(trx, workspaceId, input)
    const stage = await targetStage(trx, principal, workspaceId, input)
    if (!stage) throw new AppError('invalid_input', 'stageId: no stage to place the deal in')
    const now = new Date()
    const outcome = stageOutcome(stage, true, input, {}, now)
    const currency = input.currency ?? (await getBaseCurrency(trx, workspaceId))
    await trx
      .insertInto('deals')
      .values({
        workspaceId,
        id,
        ...values,
        ...outcome,
        name: input.name,
        currency,
        pipelineId: stage.pipelineId,
        stageId: stage.id,
      })
      .execute()
    await insertStageChange(trx, {
      workspaceId,
      dealId: id,
      fromStageId: null,
      toStageId: stage.id,
      changedAt: now,
      changedBy: changedBy(principal),
    })
    if (contacts) await replaceDealContacts(trx, workspaceId, id, contacts)
    if (lineItems) await replaceLineItems(trx, workspaceId, id, lineItems)
    await recomputeDealFit(trx, workspaceId, { dealIds: [id] })
    await checkFitGuard(trx, workspaceId, id, stage)
    if (stage.isWon) await setWonFit(trx, workspaceId, id, true)
    const tags = tagIds?.length
      ? await setFeedbackTags(trx, principal, workspaceId, 'deal', id, tagIds)
      : []
    if (stage.isWon || stage.isLost) await emitDealClosed(trx, workspaceId, id, stage.isWon)
    await recordAudit(trx, principal, workspaceId, {
      action: 'deal.create',
      targetType: 'deal',
      targetId: id,
      details: {
        name: input.name,
        stageId: stage.id,
        amount: values.amount ?? 0,
        currency,
        ...(tags.length > 0 ? { tags: tags.map((tag) => tag.name) } : {}),
      },
    })
  })
  return getDeal(db, principal, id)
}

/** Changes a deal; a new stage adds a stage change to its history (never rewritten). */
export async function updateDeal(db: Database, principal: Principal, id: string, patch: DealPatch) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  await db.transaction().execute(async (trx) => {
    const [before] = await lockDeals(trx, workspaceId, [id])
    if (!before) throw new AppError('not_found', 'Deal not found')
    await applyPatch(trx, principal, workspaceId, before, patch)
  })
  return getDeal(db, principal, id)
}

type LockedDeal = Awaited<ReturnType<typeof lockDeals>>[number]

async function applyPatch(
  trx: Kysely<DB>,
  principal: Principal,
  workspaceId: string,
  before: LockedDeal,
  given: DealPatch,
) {
  const { tagIds, ...patch } = given
  const { values, contacts, lineItems } = await checkLinks(trx, workspaceId, patch, before.custom)
  const target = await targetStage(trx, principal, workspaceId, patch, before)
  const current = await findStageFlags(trx, workspaceId, before.stageId)
  const stage = target ?? current
  const now = new Date()
  const outcome = stage
    ? stageOutcome(
        stage,
        target !== undefined,
        patch,
        {
          ...before,
          stageIsClosed: current ? current.isWon || current.isLost : false,
        },
        now,
      )
    : {}
  await trx
    .updateTable('deals')
    .set({
      ...values,
      ...outcome,
      ...(target ? { pipelineId: target.pipelineId, stageId: target.id } : {}),
      updatedAt: now,
    })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', before.id)
    .execute()
  if (target) {
    await insertStageChange(trx, {
      workspaceId,
      dealId: before.id,
      fromStageId: before.stageId,
      toStageId: target.id,
      changedAt: now,
      changedBy: changedBy(principal),
    })
    const wasClosed = current ? (current.isWon ? 'won' : current.isLost ? 'lost' : null) : null
    const isClosed = target.isWon ? 'won' : target.isLost ? 'lost' : null
    if (isClosed && isClosed !== wasClosed) {
      await emitDealClosed(trx, workspaceId, before.id, target.isWon)
    }
  }
  if (contacts) await replaceDealContacts(trx, workspaceId, before.id, contacts)
  if (lineItems) await replaceLineItems(trx, workspaceId, before.id, lineItems)
  if (lineItems || patch.needs !== undefined || patch.accountId !== undefined) {
    await recomputeDealFit(trx, workspaceId, { dealIds: [before.id] })
  }
  if (target) {
    await checkFitGuard(trx, workspaceId, before.id, target)
    if (target.isWon !== (current?.isWon ?? false)) {
      await setWonFit(trx, workspaceId, before.id, target.isWon)
    }
  }
  const tags =
    tagIds !== undefined
      ? await setFeedbackTags(trx, principal, workspaceId, 'deal', before.id, tagIds)
      : undefined
  const { contacts: _c, lineItems: _l, custom: _custom, ...fields } = patch
  await recordAudit(trx, principal, workspaceId, {
    action: 'deal.update',
    targetType: 'deal',
    targetId: before.id,
    details: {
      ...changes(before, {
        ...fields,
        ...outcome,
        ...(target ? { pipelineId: target.pipelineId, stageId: target.id } : {}),
      }),
      ...(patch.custom !== undefined ? { custom: { to: patch.custom } } : {}),
      ...(contacts ? { contacts: { to: contacts.map((c) => c.contactId) } } : {}),
      ...(lineItems ? { lineItems: { to: lineItems.length } } : {}),
      ...(tags ? { tags: { to: tags.map((tag) => tag.name) } } : {}),
    },
  })
}

/** Applies one patch to up to 200 deals in one transaction: all change or none. */
export async function bulkUpdateDeals(
  db: Database,
  principal: Principal,
  ids: string[],
  patch: DealPatch,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  if (patch.externalId) {
    throw new AppError('invalid_input', 'externalId: cannot be set on many deals at once', {
      field: 'externalId',
    })
  }
  const unique = [...new Set(ids)]
  await db.transaction().execute(async (trx) => {
    const found = await lockDeals(trx, workspaceId, unique)
    const missing = unique.filter((id) => !found.some((f) => f.id === id))
    if (missing.length > 0)
      throw new AppError('not_found', `Deals not found: ${missing.join(', ')}`, { ids: missing })
    for (const before of found) await applyPatch(trx, principal, workspaceId, before, patch)
  })
  return { updated: unique.length }
}

/** Keeps the deal's fit at the moment it is won (regret: won while flagged poor fit); clears it on reopening. */
async function setWonFit(trx: Kysely<DB>, workspaceId: string, dealId: string, won: boolean) {
  await trx
    .updateTable('deals')
    .set((eb) => ({ wonFit: won ? eb.ref('productFit') : null }))
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', dealId)
    .execute()
}

/** Queues `deal.won` / `deal.lost` for the outbound webhooks, with the deal as it now stands. */
async function emitDealClosed(
  trx: Kysely<DB>,
  workspaceId: string,
  dealId: string,
  isWon: boolean,
) {
  const deal = await trx
    .selectFrom('deals')
    .select([
      'name',
      'amount',
      'currency',
      'ownerId',
      'accountId',
      'closedAt',
      'lossReason',
      'lossCompetitor',
    ])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', dealId)
    .executeTakeFirstOrThrow()
  await emitWebhookEvent(
    trx,
    workspaceId,
    isWon ? 'deal.won' : 'deal.lost',
    {
      dealId,
      name: deal.name,
      amount: deal.amount,
      currency: deal.currency,
      ownerId: deal.ownerId,
      accountId: deal.accountId,
      closedAt: deal.closedAt?.toISOString() ?? null,
      ...(isWon ? {} : { lossReason: deal.lossReason, lossCompetitor: deal.lossCompetitor }),
    },
    { text: `Deal ${isWon ? 'won' : 'lost'}: ${deal.name}` },
  )
}
