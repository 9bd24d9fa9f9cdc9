import countries from 'i18n-iso-countries'
import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import {
  type LifecycleStage,
  type LifecycleState,
  lifecycleStages,
  transition,
} from '../../domain/lifecycle.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'

const currencies = new Set(Intl.supportedValuesOf('currency'))

/** ISO 4217 currency code, upper-cased. */
export const Currency = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => currencies.has(c), 'must be an ISO 4217 currency code such as USD')

/** ISO 3166-1 alpha-2 country code, upper-cased. */
export const Country = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => countries.isValid(c), 'must be an ISO 3166 country code such as DE')

/** Money in minor units (cents): a non-negative integer. */
export const MinorUnits = z.number().int('must be whole minor units (e.g. cents)').min(0).max(1e15)

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isRealDate, 'not a real date')

/** True for a YYYY-MM-DD that exists (2030-02-30 does not: Date.parse would roll it over). */
export function isRealDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value
}

export const ExternalRef = {
  externalSource: z.string().trim().min(1).max(100).nullable().optional(),
  externalId: z.string().trim().min(1).max(200).nullable().optional(),
}

/**
 * Moves a contact or account to a lifecycle stage, stamping each stage entered (skipped ones with
 * the same time) in lifecycle_entries; a backward move is invalid_input on `lifecycleStage`.
 */
export async function enterLifecycleStage(
  db: Kysely<DB>,
  ref: { workspaceId: string; entity: 'account' | 'contact'; id: string },
  current: string | null,
  target: LifecycleState,
  at: Date,
  source = 'manual',
): Promise<void> {
  const history = await db
    .selectFrom('lifecycleEntries')
    .select('stage')
    .where('workspaceId', '=', ref.workspaceId)
    .where('entity', '=', ref.entity)
    .where('recordId', '=', ref.id)
    .execute()
  const reached = history
    .map((h) => h.stage)
    .filter((s): s is LifecycleStage => (lifecycleStages as readonly string[]).includes(s))
  const result = transition(current as LifecycleState | null, target, reached)
  if (!result.ok)
    throw new AppError('invalid_input', `lifecycleStage: ${result.reason}`, {
      field: 'lifecycleStage',
    })
  if (result.entries.length === 0) return
  await db
    .insertInto('lifecycleEntries')
    .values(
      result.entries.map((e) => ({
        workspaceId: ref.workspaceId,
        id: uuidv7(),
        entity: ref.entity,
        recordId: ref.id,
        stage: e.stage,
        enteredAt: at,
        isReentry: e.isReentry,
        source,
      })),
    )
    .execute()
}

/** Old and new values of the fields a patch changed, for the audit log. */
export function changes(before: Record<string, unknown>, patch: Record<string, unknown>) {
  const out: Record<string, { from: unknown; to: unknown }> = {}
  for (const [key, to] of Object.entries(patch)) {
    const from = before[key]
    if (JSON.stringify(from ?? null) !== JSON.stringify(to ?? null))
      out[key] = { from: from ?? null, to: to ?? null }
  }
  return out
}

export const now = () => sql<Date>`now()`
