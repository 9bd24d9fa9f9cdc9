import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** A workspace's MQL rules ("MQL by score" and high-intent forms, DEFINITIONS.md). */
export interface MqlRules {
  fitMin: number
  engagementMin: number
  /** When true, the predictive score decides instead of fit and engagement (an admin's opt-in). */
  predictiveInCharge: boolean
  /** Probability 0-1. */
  predictiveMin: number
  /** Whether a submission of a high-intent form ("contact sales", "demo request") makes an MQL. */
  highIntentForms: boolean
  /** null until someone changes the defaults. */
  updatedAt: Date | null
}

export interface ContactScores {
  fit: number | null
  engagement: number | null
  predictive: number | null
}

// The defaults of the mql_rules table (migration 2026-11-27T1500), used while a workspace has no row.
export const defaultMqlRules: MqlRules = {
  fitMin: 50,
  engagementMin: 50,
  predictiveInCharge: false,
  predictiveMin: 0.3,
  highIntentForms: true,
  updatedAt: null,
}

/** The workspace's MQL rules, or the defaults when it never changed them. */
export async function loadMqlRules(db: Kysely<DB>, workspaceId: string): Promise<MqlRules> {
  const row = await db
    .selectFrom('mqlRules')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirst()
  if (!row) return { ...defaultMqlRules }
  return {
    fitMin: row.fitMin,
    engagementMin: row.engagementMin,
    predictiveInCharge: row.predictiveInCharge,
    // numeric(4,3) comes back from pg as text.
    predictiveMin: Number(row.predictiveMin),
    highIntentForms: row.highIntentForms,
    updatedAt: row.updatedAt,
  }
}

/**
 * "MQL by score" (DEFINITIONS.md): fit ≥ F and engagement ≥ E; or, with the predictive model in
 * charge, probability ≥ P. A contact not scored yet (null) does not qualify on that score; with the
 * model in charge but no prediction for this contact, the fit and engagement rule still applies,
 * so a new lead is not left out while the model has not scored it.
 */
export function isMqlByScore(
  rules: Pick<MqlRules, 'fitMin' | 'engagementMin' | 'predictiveInCharge' | 'predictiveMin'>,
  scores: ContactScores,
): boolean {
  if (rules.predictiveInCharge && scores.predictive !== null) {
    return scores.predictive >= rules.predictiveMin
  }
  if (scores.fit === null || scores.engagement === null) return false
  return scores.fit >= rules.fitMin && scores.engagement >= rules.engagementMin
}
