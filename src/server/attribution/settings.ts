import type { Kysely } from 'kysely'
import { z } from 'zod'
import { type AttributionModel, attributionModels } from '../../domain/attribution/types.ts'
import type { DB } from '../db/schema.ts'

/** A workspace's attribution settings (DEFINITIONS.md, Attribution; docs/attribution.md). */
export interface AttributionSettings {
  /** The model whose per-touch credits are stored and which reports use unless told otherwise. */
  defaultModel: AttributionModel
  /** Touches older than this many days before a conversion earn no credit. */
  lookbackDays: number
  /** Time decay: a touch's weight halves every halfLifeDays days before the conversion. */
  halfLifeDays: number
  /** The custom model's weights per milestone and for the touches between them. */
  customWeights: { FT: number; LC: number; OC: number; CW: number; others: number }
  /** Whether reps' logged activities (channel `sales`) are part of journeys. */
  includeSalesTouches: boolean
  /** Sourced pipeline: the deal's first touch, or its lead-creation touch, belongs to the campaign. */
  sourcedBy: 'first_touch' | 'lead_creation'
  /** null until someone changes the defaults. */
  updatedAt: Date | null
}

// The defaults of the attribution_settings table (migration 2026-12-01T0900), used while a
// workspace has no row.
export const defaultAttributionSettings: AttributionSettings = {
  defaultModel: 'w_shaped',
  lookbackDays: 90,
  halfLifeDays: 7,
  customWeights: { FT: 0.3, LC: 0.3, OC: 0.2, CW: 0.1, others: 0.1 },
  includeSalesTouches: true,
  sourcedBy: 'first_touch',
  updatedAt: null,
}

const weight = z
  .number({ error: 'must be a number from 0 to 1' })
  .min(0, { error: 'must be a number from 0 to 1' })
  .max(1, { error: 'must be a number from 0 to 1' })

export const AttributionSettingsPatch = z
  .object({
    defaultModel: z.enum(attributionModels, {
      error: `must be one of ${attributionModels.join(', ')}`,
    }),
    lookbackDays: z
      .number({ error: 'must be a whole number of days from 1 to 730' })
      .int({ error: 'must be a whole number of days from 1 to 730' })
      .min(1, { error: 'must be a whole number of days from 1 to 730' })
      .max(730, { error: 'must be a whole number of days from 1 to 730' }),
    halfLifeDays: z
      .number({ error: 'must be a number of days above 0, at most 365' })
      .gt(0, { error: 'must be a number of days above 0, at most 365' })
      .max(365, { error: 'must be a number of days above 0, at most 365' })
      .multipleOf(0.01, { error: 'at most two decimals' }),
    customWeights: z
      .object({ FT: weight, LC: weight, OC: weight, CW: weight, others: weight })
      .refine(
        (w) => Math.abs(w.FT + w.LC + w.OC + w.CW + w.others - 1) < 1e-9,
        'the five weights must add up to 1',
      ),
    includeSalesTouches: z.boolean(),
    sourcedBy: z.enum(['first_touch', 'lead_creation'], {
      error: 'must be first_touch or lead_creation',
    }),
  })
  .partial()
export type AttributionSettingsPatch = z.infer<typeof AttributionSettingsPatch>

/** The workspace's attribution settings, or the defaults when it never changed them. */
export async function loadAttributionSettings(
  db: Kysely<DB>,
  workspaceId: string,
): Promise<AttributionSettings> {
  const row = await db
    .selectFrom('attributionSettings')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirst()
  if (!row) return { ...defaultAttributionSettings }
  return {
    defaultModel: row.defaultModel as AttributionModel,
    lookbackDays: row.lookbackDays,
    // numeric(6,2) comes back from pg as text.
    halfLifeDays: Number(row.halfLifeDays),
    customWeights: row.customWeights,
    includeSalesTouches: row.includeSalesTouches,
    sourcedBy: row.sourcedBy,
    updatedAt: row.updatedAt,
  }
}
