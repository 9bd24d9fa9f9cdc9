import { z } from 'zod'
import { AppError } from '../errors.ts'
import { Id } from '../http/schemas.ts'

export const StageInput = z.object({
  id: Id.optional().describe('keep this existing stage (PUT …/stages only); omit for a new stage'),
  name: z.string().trim().min(1).max(100),
  winProbability: z
    .number()
    .min(0)
    .max(1)
    .describe('the default chance of winning from here, 0..1'),
  isWon: z.boolean().optional(),
  isLost: z.boolean().optional(),
  isProposalOrLater: z.boolean().optional(),
})
export type StageInput = z.infer<typeof StageInput>
export const StageList = z.array(StageInput).min(1).max(30)

function invalid(field: string, message: string): never {
  throw new AppError('invalid_input', `${field}: ${message}`, { field })
}

/**
 * Checks a pipeline's stages make a pipeline deals can move through: at least one open stage,
 * exactly one won stage, at least one lost stage, none both won and lost, names and ids unique.
 */
export function checkStages(stages: readonly StageInput[]): void {
  const names = new Map<string, number>()
  const ids = new Set<string>()
  for (const [i, stage] of stages.entries()) {
    if (stage.isWon && stage.isLost) invalid(`stages[${i}]`, 'a stage cannot be both won and lost')
    const name = stage.name.toLowerCase()
    if (names.has(name)) invalid(`stages[${i}].name`, `"${stage.name}" is used by another stage`)
    names.set(name, i)
    if (stage.id !== undefined) {
      if (ids.has(stage.id)) invalid(`stages[${i}].id`, 'this stage is listed twice')
      ids.add(stage.id)
    }
  }
  const won = stages.filter((s) => s.isWon).length
  if (won !== 1) invalid('stages', `a pipeline needs exactly one won stage (isWon), not ${won}`)
  if (!stages.some((s) => s.isLost)) invalid('stages', 'a pipeline needs a lost stage (isLost)')
  if (!stages.some((s) => !s.isWon && !s.isLost)) {
    invalid('stages', 'a pipeline needs an open stage (neither won nor lost)')
  }
}

/** A stage's row values from its input, at its place in the list. */
export function stageValues(stage: StageInput, position: number) {
  return {
    name: stage.name,
    position,
    winProbability: stage.winProbability,
    isWon: stage.isWon ?? false,
    isLost: stage.isLost ?? false,
    isProposalOrLater: stage.isProposalOrLater ?? false,
  }
}
