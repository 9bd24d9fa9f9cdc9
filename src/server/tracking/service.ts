import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { resolveWriteKey, writeKeyPattern } from '../write-keys/service.ts'
import { defaultTrackingSettings, presentTrackingSettings } from './present.ts'
import {
  findTrackingSettings,
  findTrackingSettingsForUpdate,
  type TrackingSettingsValues,
  upsertTrackingSettings,
} from './queries.ts'

const hostname = /^\.?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/

/** A cookie domain: a host name such as `example.com`, or `.example.com` (the leading dot is old style). */
export const CookieDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'at most 253 characters')
  .regex(
    hostname,
    'must be a domain such as example.com or .example.com (lower-case letters, digits, hyphens and dots), or null',
  )

/** A change of the tracking settings (API body): only the fields sent change. */
export const TrackingSettingsInput = z
  .object({
    consentRequired: z
      .boolean()
      .optional()
      .describe('Send nothing and set no cookie until the page calls tandem.consent(true)'),
    cookieDomain: CookieDomain.nullable()
      .optional()
      .describe(
        'Domain of the anonymous-id cookie, e.g. `.example.com` to share it across subdomains; null: the page host only',
      ),
    captureForms: z
      .boolean()
      .optional()
      .describe('Identify visitors from forms with an email field when they are submitted'),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: 'send at least one of consentRequired, cookieDomain, captureForms',
  })
export type TrackingSettingsInput = z.infer<typeof TrackingSettingsInput>

/** The workspace's tracking settings (defaults when never changed). Every member may read them. */
export async function getTrackingSettings(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  return presentTrackingSettings(await findTrackingSettings(db, workspaceId))
}

/** Changes how the snippet behaves on the workspace's website (admin, marketing); audited. */
export async function updateTrackingSettings(
  db: Database,
  principal: Principal,
  input: TrackingSettingsInput,
) {
  const { workspaceId } = requirePermission(principal, 'tracking:manage')
  const row = await db.transaction().execute(async (trx) => {
    const before = (await findTrackingSettingsForUpdate(trx, workspaceId)) ?? {
      ...defaultTrackingSettings,
    }
    const after: TrackingSettingsValues = {
      consentRequired: input.consentRequired ?? before.consentRequired,
      cookieDomain: input.cookieDomain === undefined ? before.cookieDomain : input.cookieDomain,
      captureForms: input.captureForms ?? before.captureForms,
    }
    const saved = await upsertTrackingSettings(trx, workspaceId, after)
    const changes = Object.fromEntries(
      (Object.keys(after) as (keyof TrackingSettingsValues)[])
        .filter((key) => before[key] !== after[key])
        .map((key) => [key, { from: before[key], to: after[key] }]),
    )
    if (Object.keys(changes).length > 0) {
      await recordAudit(trx, principal, workspaceId, {
        action: 'tracking_settings.update',
        targetType: 'tracking_settings',
        targetId: workspaceId,
        details: { changes },
      })
    }
    return saved
  })
  return presentTrackingSettings(row)
}

/** What the snippet is configured with (src/snippet/tandem.ts, SnippetConfig). */
export interface SnippetSettings extends TrackingSettingsValues {
  writeKey: string
  host: string
}

export type SnippetKeyProblem = 'missing' | 'malformed' | 'unusable'

/**
 * The configuration of the snippet served for a write key (GET /t.js): the key's workspace's
 * tracking settings and where to send events; or why the key cannot be used.
 */
export async function findSnippetSettings(
  db: Database,
  key: string | undefined,
  host: string,
): Promise<{ settings: SnippetSettings } | { problem: SnippetKeyProblem }> {
  if (!key) return { problem: 'missing' }
  if (!writeKeyPattern.test(key)) return { problem: 'malformed' }
  const resolved = await resolveWriteKey(db, key)
  if (!resolved) return { problem: 'unusable' }
  const row = await findTrackingSettings(db, resolved.workspaceId)
  const { consentRequired, cookieDomain, captureForms } = row ?? defaultTrackingSettings
  return { settings: { writeKey: key, host, consentRequired, cookieDomain, captureForms } }
}
