import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { changes } from '../records/fields.ts'
import { defaultPipeline } from './default-pipeline.ts'
import { presentPipeline } from './present.ts'
import {
  clearDefault,
  countDealsByStage,
  findPipelineNamed,
  findStage,
  lockPipeline,
  lockPipelinesOf,
  nextPipelinePosition,
  selectPipelines,
  selectStages,
} from './queries.ts'
import { checkStages, StageList, stageValues } from './stages.ts'

const Name = z.string().trim().min(1).max(100)
export const PipelineInput = z.object({
  name: Name,
  isDefault: z.boolean().optional().describe('the pipeline new deals go to; one per workspace'),
  stages: StageList.describe('in order; ids are not taken here'),
})
export type PipelineInput = z.infer<typeof PipelineInput>
export const PipelinePatch = z.object({ name: Name.optional(), isDefault: z.boolean().optional() })
export type PipelinePatch = z.infer<typeof PipelinePatch>

function inTransaction<T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work)
}

/**
 * The id of the workspace's default pipeline. A workspace without any pipeline gets the default
 * "Sales" pipeline here, on its first read (audited as the reader's action).
 */
export async function ensureDefaultPipeline(
  db: Kysely<DB>,
  principal: Principal,
  workspaceId: string,
): Promise<string> {
  const found = await selectPipelines(db, workspaceId)
  const existing = found.find((p) => p.isDefault) ?? found[0]
  if (existing) return existing.id
  return inTransaction(db, async (trx) => {
    await lockPipelinesOf(trx, workspaceId)
    const [raced] = await selectPipelines(trx, workspaceId)
    if (raced) return raced.id
    const spec = defaultPipeline()
    const id = await insertPipeline(trx, workspaceId, { ...spec, isDefault: true }, 0)
    await recordAudit(trx, principal, workspaceId, {
      action: 'pipeline.create',
      targetType: 'pipeline',
      targetId: id,
      details: { name: spec.name, isDefault: true, automatic: true },
    })
    return id
  })
}

async function insertPipeline(
  trx: Kysely<DB>,
  workspaceId: string,
  input: PipelineInput,
  position: number,
) {
  const id = uuidv7()
  await trx
    .insertInto('pipelines')
    .values({ workspaceId, id, name: input.name, isDefault: input.isDefault ?? false, position })
    .execute()
  await trx
    .insertInto('stages')
    .values(
      input.stages.map((s, i) => ({
        workspaceId,
        id: uuidv7(),
        pipelineId: id,
        ...stageValues(s, i),
      })),
    )
    .execute()
  return id
}

/** Every pipeline of the workspace with its stages in order; the first read creates "Sales". */
export async function listPipelines(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  await ensureDefaultPipeline(db, principal, workspaceId)
  const [pipelines, stages] = await Promise.all([
    selectPipelines(db, workspaceId),
    selectStages(db, workspaceId),
  ])
  return { data: pipelines.map((p) => presentPipeline(p, stages)), nextCursor: null }
}

/** One live pipeline with its stages in order (not_found otherwise). */
export async function getPipeline(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const [row] = await selectPipelines(db, workspaceId, [id])
  if (!row) throw new AppError('not_found', 'Pipeline not found')
  return presentPipeline(row, await selectStages(db, workspaceId, [id]))
}

async function checkName(trx: Kysely<DB>, workspaceId: string, name: string, exceptId?: string) {
  const taken = await findPipelineNamed(trx, workspaceId, name, exceptId)
  if (taken) {
    throw new AppError('conflict', `name: a pipeline called "${taken.name}" already exists`, {
      field: 'name',
      existingId: taken.id,
    })
  }
}

/** Adds a pipeline with its stages; the first pipeline, or one marked isDefault, is the default. */
export async function createPipeline(db: Database, principal: Principal, input: PipelineInput) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  checkStages(input.stages)
  const id = await db.transaction().execute(async (trx) => {
    await lockPipelinesOf(trx, workspaceId)
    await checkName(trx, workspaceId, input.name)
    const others = await selectPipelines(trx, workspaceId)
    const isDefault = input.isDefault === true || !others.some((p) => p.isDefault)
    const position = await nextPipelinePosition(trx, workspaceId)
    if (isDefault) await clearDefault(trx, workspaceId)
    const created = await insertPipeline(trx, workspaceId, { ...input, isDefault }, position)
    await recordAudit(trx, principal, workspaceId, {
      action: 'pipeline.create',
      targetType: 'pipeline',
      targetId: created,
      details: { name: input.name, isDefault, stages: input.stages.map((s) => s.name) },
    })
    return created
  })
  return getPipeline(db, principal, id)
}

/** Renames a pipeline or makes it the default (the others stop being it, in one transaction). */
export async function updatePipeline(
  db: Database,
  principal: Principal,
  id: string,
  patch: PipelinePatch,
) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await db.transaction().execute(async (trx) => {
    await lockPipelinesOf(trx, workspaceId)
    const before = await lockPipeline(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Pipeline not found')
    if (patch.isDefault === false && before.isDefault) {
      throw new AppError(
        'invalid_input',
        'isDefault: a workspace always has a default pipeline; make another one the default instead',
        { field: 'isDefault' },
      )
    }
    if (patch.name !== undefined) await checkName(trx, workspaceId, patch.name, id)
    if (patch.isDefault) await clearDefault(trx, workspaceId, id)
    await trx
      .updateTable('pipelines')
      .set({ ...patch, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'pipeline.update',
      targetType: 'pipeline',
      targetId: id,
      details: changes(before, patch),
    })
  })
  return getPipeline(db, principal, id)
}

/** Moves a pipeline to the Trash, unless it is the default or still has open deals. */
export async function deletePipeline(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await db.transaction().execute(async (trx) => {
    await lockPipelinesOf(trx, workspaceId)
    const row = await lockPipeline(trx, workspaceId, id)
    if (!row) throw new AppError('not_found', 'Pipeline not found')
    if (row.isDefault) {
      throw new AppError(
        'conflict',
        `"${row.name}" is the default pipeline; make another pipeline the default first`,
        { field: 'isDefault' },
      )
    }
    const open = (await countDealsByStage(trx, workspaceId, id, { openOnly: true })).reduce(
      (sum, s) => sum + s.deals,
      0,
    )
    if (open > 0) {
      throw new AppError(
        'conflict',
        `"${row.name}" still has ${open} open deal(s); move or close them first`,
        { openDeals: open },
      )
    }
    await trx
      .updateTable('pipelines')
      .set({ deletedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'pipeline.delete',
      targetType: 'pipeline',
      targetId: id,
      details: { name: row.name },
    })
  })
}

/** A live stage of a live pipeline of the workspace (for placing a deal), or undefined. */
export function findLiveStage(db: Kysely<DB>, workspaceId: string, stageId: string) {
  return findStage(db, workspaceId, stageId)
}

/** The stages, in order, of a live pipeline of the workspace; undefined when there is none. */
export async function findPipelineStages(db: Kysely<DB>, workspaceId: string, pipelineId: string) {
  const [pipeline] = await selectPipelines(db, workspaceId, [pipelineId])
  if (!pipeline) return undefined
  return selectStages(db, workspaceId, [pipelineId])
}
