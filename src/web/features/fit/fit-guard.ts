import { useState } from 'react'
import type { Deal, Stage } from '../records/types.ts'
import { useMe } from '../shell/me-context.tsx'
import { type PoorFitRefusal, poorFitRefusal } from './fit-rules.ts'

/** Whether the signed-in person may override the poor-fit guard (admins and sales managers). */
export function useCanOverrideFit(): boolean {
  return useMe().permissions.includes('fit:override')
}

/** A move the guard refused, kept so it can be retried once a sales manager overrides. */
export interface BlockedMove<L> {
  deal: Deal
  stage: Stage
  extra?: L
  refusal: PoorFitRefusal
}

/**
 * Remembers a stage move that the poor-fit guard refused. `catchRefusal` returns true when the
 * error was the guard's (the caller then shows FitGuardModal instead of its generic error).
 */
export function useFitGuard<L = undefined>() {
  const [blocked, setBlocked] = useState<BlockedMove<L> | null>(null)
  const catchRefusal = (error: unknown, deal: Deal, stage: Stage, extra?: L): boolean => {
    const refusal = poorFitRefusal(error)
    if (!refusal) return false
    setBlocked({ deal, stage, extra, refusal })
    return true
  }
  return { blocked, catchRefusal, close: () => setBlocked(null) }
}
