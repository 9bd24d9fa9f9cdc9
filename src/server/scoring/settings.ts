import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** A workspace's scoring settings (DEFINITIONS.md "Scores", "Product fit"). */
export interface ScoringSettings {
  /** Engagement points halve every halfLifeDays days. */
  halfLifeDays: number
  /** A deal whose product fit is below this is flagged poor fit. */
  productFitThreshold: number
  /** null until someone changes the defaults. */
  updatedAt: Date | null
}

// The defaults of the scoring_settings table (migration 2026-11-29T0900), used while a workspace
// has no row.
export const defaultScoringSettings: ScoringSettings = {
  halfLifeDays: 30,
  productFitThreshold: 40,
  updatedAt: null,
}

/** The workspace's scoring settings, or the defaults when it never changed them. */
export async function loadScoringSettings(
  db: Kysely<DB>,
  workspaceId: string,
): Promise<ScoringSettings> {
  const row = await db
    .selectFrom('scoringSettings')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirst()
  if (!row) return { ...defaultScoringSettings }
  return {
    // numeric(7,2) comes back from pg as text.
    halfLifeDays: Number(row.halfLifeDays),
    productFitThreshold: row.productFitThreshold,
    updatedAt: row.updatedAt,
  }
}
