import type { Selectable } from 'kysely'
import type { PipelinesTable, StagesTable } from '../db/schema.ts'

export type PipelineRow = Selectable<PipelinesTable>
export type StageRow = Selectable<StagesTable>

export function presentStage(row: StageRow) {
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    name: row.name,
    position: row.position,
    winProbability: Number(row.winProbability),
    isWon: row.isWon,
    isLost: row.isLost,
    isProposalOrLater: row.isProposalOrLater,
  }
}

export function presentPipeline(row: PipelineRow, stages: StageRow[]) {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    position: row.position,
    stages: stages.filter((s) => s.pipelineId === row.id).map(presentStage),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
