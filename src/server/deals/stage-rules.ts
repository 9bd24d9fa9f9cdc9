import type { Kysely, Selectable } from 'kysely'
import type { Principal } from '../auth/principal.ts'
import type { DB, DealsTable, StagesTable } from '../db/schema.ts'
import { ensureDefaultPipeline, findLiveStage, findPipelineStages } from '../pipelines/service.ts'
import type { DealPatch } from './input.ts'
import { invalid } from './links.ts'

type Stage = Selectable<StagesTable>
type Deal = Selectable<DealsTable>

function firstOpenStage(stages: Stage[], field: string) {
  const stage = stages.find((s) => !s.isWon && !s.isLost)
  if (!stage) invalid(field, 'this pipeline has no open stage')
  return stage
}

/**
 * The stage a deal goes to, or undefined when it stays where it is. A new deal without pipelineId
 * and stageId goes to the default pipeline's first open stage; a pipelineId alone means that
 * pipeline's first open stage; a stageId must belong to the pipeline given (or the deal's own).
 */
export async function targetStage(
  db: Kysely<DB>,
  principal: Principal,
  workspaceId: string,
  input: Pick<DealPatch, 'pipelineId' | 'stageId'>,
  current?: Deal,
): Promise<Stage | undefined> {
  let pipelineStages: Stage[] | undefined
  if (input.pipelineId !== undefined && input.pipelineId !== current?.pipelineId) {
    pipelineStages = await findPipelineStages(db, workspaceId, input.pipelineId)
    if (!pipelineStages) invalid('pipelineId', 'no pipeline of this workspace has this id')
  }
  if (input.stageId !== undefined) {
    const stage = await findLiveStage(db, workspaceId, input.stageId)
    if (!stage) invalid('stageId', 'no stage of this workspace has this id')
    const pipelineId = input.pipelineId ?? current?.pipelineId
    if (pipelineId !== undefined && stage.pipelineId !== pipelineId) {
      invalid('stageId', `the stage "${stage.name}" is not a stage of pipeline ${pipelineId}`)
    }
    return stage.id === current?.stageId ? undefined : stage
  }
  if (pipelineStages) return firstOpenStage(pipelineStages, 'pipelineId')
  if (current) return undefined
  const defaultId = await ensureDefaultPipeline(db, principal, workspaceId)
  return firstOpenStage((await findPipelineStages(db, workspaceId, defaultId)) ?? [], 'pipelineId')
}

/**
 * The values a deal's stage decides (DEFINITIONS.md, forecast categories and losses): a won stage
 * means closed_won and a close time; a lost stage means omitted, a close time, and a loss reason
 * with marketingCouldHelp (the competitor named when it is `competitor`); reopening clears the
 * close time and puts the deal back in `pipeline` unless a category is given.
 */
export function stageOutcome(
  stage: Pick<Stage, 'isWon' | 'isLost'>,
  moved: boolean,
  patch: DealPatch,
  before: Partial<Deal> & { stageIsClosed?: boolean },
  now: Date,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const lossReason = patch.lossReason !== undefined ? patch.lossReason : before.lossReason
  const couldHelp =
    patch.marketingCouldHelp !== undefined ? patch.marketingCouldHelp : before.marketingCouldHelp
  const competitor =
    patch.lossCompetitor !== undefined ? patch.lossCompetitor : before.lossCompetitor
  const category = patch.forecastCategory
  if (
    stage.isLost &&
    (moved || patch.lossReason !== undefined || patch.marketingCouldHelp !== undefined)
  ) {
    if (!lossReason) {
      invalid('lossReason', 'a deal in a lost stage needs lossReason and marketingCouldHelp')
    }
    if (!couldHelp) {
      invalid(
        'marketingCouldHelp',
        'a deal in a lost stage needs lossReason and marketingCouldHelp (yes, no or unsure)',
      )
    }
  }
  const lossTouched = moved || patch.lossReason !== undefined || patch.lossCompetitor !== undefined
  if (lossTouched && lossReason === 'competitor' && !competitor) {
    invalid('lossCompetitor', 'name the competitor the deal was lost to')
  }
  if (stage.isWon) {
    if (category !== undefined && category !== 'closed_won') {
      invalid('forecastCategory', 'a deal in a won stage is closed_won')
    }
    out.forecastCategory = 'closed_won'
  } else if (stage.isLost) {
    if (category !== undefined && category !== 'omitted') {
      invalid('forecastCategory', 'a deal in a lost stage is omitted')
    }
    out.forecastCategory = 'omitted'
  } else {
    if (category === 'closed_won') {
      invalid('forecastCategory', 'closed_won comes from moving the deal into a won stage')
    }
    if (moved && before.stageIsClosed) {
      out.forecastCategory = category ?? 'pipeline'
      out.closedAt = null
    }
  }
  if (moved && (stage.isWon || stage.isLost)) out.closedAt = now
  return out
}
