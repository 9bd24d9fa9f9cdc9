import { useState } from 'react'
import type { Deal, Stage } from '../records/types.ts'
import type { LossDetails } from './loss-reason-modal.tsx'

export interface PendingMove {
  deal: Deal
  stage: Stage
}

/**
 * The rule of moving a deal between stages: open stages move at once; a lost stage first asks the
 * loss reason, a won stage asks for confirmation (DEFINITIONS.md: every loss carries its reason).
 */
export function useStageMove(move: (deal: Deal, stage: Stage, loss?: LossDetails) => void) {
  const [pending, setPending] = useState<PendingMove | null>(null)
  const request = (deal: Deal, stage: Stage) => {
    if (deal.stageId === stage.id) return
    if (stage.isLost || stage.isWon) setPending({ deal, stage })
    else move(deal, stage)
  }
  const confirm = (loss?: LossDetails) => {
    if (pending) move(pending.deal, pending.stage, loss)
  }
  return { pending, request, confirm, cancel: () => setPending(null), done: () => setPending(null) }
}
