/**
 * Lifecycle stages of contacts and accounts (DEFINITIONS.md, Lifecycle): forward-only, every stage
 * entered is stamped and kept; a jump stamps the skipped stages with the same time.
 */
export const lifecycleStages = [
  'subscriber',
  'lead',
  'mql',
  'sal',
  'sql',
  'opportunity',
  'customer',
  'evangelist',
] as const
export type LifecycleStage = (typeof lifecycleStages)[number]
export const sideStates = ['disqualified', 'recycled'] as const
export type SideState = (typeof sideStates)[number]
export type LifecycleState = LifecycleStage | SideState

export const allLifecycleStates: readonly LifecycleState[] = [...lifecycleStages, ...sideStates]

export const leadStatuses = ['new', 'attempting', 'connected', 'qualified', 'disqualified'] as const
export type LeadStatus = (typeof leadStatuses)[number]

export interface StageEntry {
  stage: LifecycleState
  isReentry: boolean
}

export type Transition = { ok: true; entries: StageEntry[] } | { ok: false; reason: string }

function rank(stage: LifecycleStage): number {
  return lifecycleStages.indexOf(stage)
}

/**
 * The stage entries to stamp when a record moves from `current` to `target`.
 * - Forward moves stamp every stage passed (subscriber → mql stamps lead and mql).
 * - Backward moves among the main stages are refused: history is never rewritten.
 * - Any stage may go to a side state; from a side state the record may re-enter any stage, and a
 *   recycled contact that reaches mql again is a re-MQL (isReentry).
 */
export function transition(
  current: LifecycleState | null,
  target: LifecycleState,
  reached: readonly LifecycleStage[] = [],
): Transition {
  if (current === target) return { ok: true, entries: [] }
  if (target === 'disqualified' || target === 'recycled') {
    return { ok: true, entries: [{ stage: target, isReentry: false }] }
  }
  if (current === 'disqualified' || current === 'recycled') {
    const highest = Math.max(-1, ...reached.map(rank))
    const entries: StageEntry[] = lifecycleStages
      .slice(highest + 1, rank(target) + 1)
      .map((stage) => ({ stage, isReentry: false }))
    if (entries.length === 0) entries.push({ stage: target, isReentry: true })
    else if (reached.includes(target))
      entries[entries.length - 1] = { stage: target, isReentry: true }
    return { ok: true, entries }
  }
  const from = current === null ? -1 : rank(current)
  const to = rank(target)
  if (to < from) {
    return {
      ok: false,
      reason: `lifecycle stages only move forward (${current} → ${target}); use disqualified or recycled instead`,
    }
  }
  return {
    ok: true,
    entries: lifecycleStages.slice(from + 1, to + 1).map((stage) => ({ stage, isReentry: false })),
  }
}
