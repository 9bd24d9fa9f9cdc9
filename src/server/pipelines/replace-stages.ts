import { uuidv7 } from 'uuidv7'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { countDealsByStage, lockPipeline, selectStages } from './queries.ts'
import { getPipeline } from './service.ts'
import { checkStages, type StageInput, stageValues } from './stages.ts'

/**
 * Replaces a pipeline's stages with the list given, in its order: a stage listed with its `id` keeps
 * it (and its deals and history); one left out is removed, unless deals are still in it; a stage
 * with deals keeps whether it is won or lost, so those deals stay open or closed as they are.
 */
export async function replaceStages(
  db: Database,
  principal: Principal,
  pipelineId: string,
  stages: StageInput[],
) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  checkStages(stages)
  await db.transaction().execute(async (trx) => {
    const pipeline = await lockPipeline(trx, workspaceId, pipelineId)
    if (!pipeline) throw new AppError('not_found', 'Pipeline not found')
    const before = await selectStages(trx, workspaceId, [pipelineId])
    const byId = new Map(before.map((s) => [s.id, s]))
    const deals = new Map(
      (await countDealsByStage(trx, workspaceId, pipelineId)).map((c) => [c.stageId, c.deals]),
    )
    for (const [i, stage] of stages.entries()) {
      if (stage.id === undefined) continue
      const old = byId.get(stage.id)
      if (!old) {
        throw new AppError(
          'invalid_input',
          `stages[${i}].id: no stage of this pipeline has this id`,
          { field: `stages[${i}].id` },
        )
      }
      const count = deals.get(stage.id) ?? 0
      if (
        count > 0 &&
        (old.isWon !== (stage.isWon ?? false) || old.isLost !== (stage.isLost ?? false))
      ) {
        throw new AppError(
          'conflict',
          `stages[${i}]: the stage "${old.name}" has ${count} deal(s), so it cannot change whether it is won or lost`,
          { field: `stages[${i}]`, stageId: old.id, deals: count },
        )
      }
    }
    const kept = new Set(stages.map((s) => s.id).filter((id) => id !== undefined))
    const removed = before.filter((s) => !kept.has(s.id))
    for (const stage of removed) {
      const count = deals.get(stage.id) ?? 0
      if (count > 0) {
        throw new AppError(
          'conflict',
          `stages: the stage "${stage.name}" still has ${count} deal(s); move them to another stage first`,
          { field: 'stages', stageId: stage.id, stage: stage.name, deals: count },
        )
      }
    }
    const now = new Date()
    if (removed.length > 0) {
      await trx
        .updateTable('stages')
        .set({ deletedAt: now })
        .where('workspaceId', '=', workspaceId)
        .where(
          'id',
          'in',
          removed.map((s) => s.id),
        )
        .execute()
    }
    for (const [i, stage] of stages.entries()) {
      if (stage.id === undefined) {
        await trx
          .insertInto('stages')
          .values({ workspaceId, id: uuidv7(), pipelineId, ...stageValues(stage, i) })
          .execute()
      } else {
        await trx
          .updateTable('stages')
          .set(stageValues(stage, i))
          .where('workspaceId', '=', workspaceId)
          .where('id', '=', stage.id)
          .execute()
      }
    }
    await trx
      .updateTable('pipelines')
      .set({ updatedAt: now })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', pipelineId)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'pipeline.stages.update',
      targetType: 'pipeline',
      targetId: pipelineId,
      details: {
        from: before.map((s) => s.name),
        to: stages.map((s) => s.name),
        removed: removed.map((s) => s.name),
      },
    })
  })
  return getPipeline(db, principal, pipelineId)
}
