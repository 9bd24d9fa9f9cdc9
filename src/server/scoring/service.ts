import { type Kysely, sql } from 'kysely'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB, ScoreCause, ScoreReason } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { isMqlByScore, loadMqlRules } from '../mql/rules.ts'
import { loadContactPrediction } from '../predictive/service.ts'
import { scoreContacts } from '../predictive/train.ts'
import { beforeMql, type EngineRule, rescore, scoredCtes } from './engine.ts'
import { queuedContacts, queueFullRescore } from './queue.ts'
import { findConflict, loadRules, RuleInput, validateCondition } from './rules.ts'
import { loadScoringSettings } from './settings.ts'

// Contact scores, scoring settings and the preview of a proposed rule set (docs/scoring.md).

export async function getScoringSettings(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const settings = await loadScoringSettings(db, workspaceId)
  return {
    halfLifeDays: settings.halfLifeDays,
    productFitThreshold: settings.productFitThreshold,
    updatedAt: settings.updatedAt?.toISOString() ?? null,
    queued: await queuedContacts(db, workspaceId),
  }
}

export const SettingsPatch = z.object({
  halfLifeDays: z
    .number({ error: 'must be a number of days above 0, at most 3650' })
    .gt(0, { error: 'must be a number of days above 0, at most 3650' })
    .max(3650, { error: 'must be a number of days above 0, at most 3650' })
    .refine((value) => Math.round(value * 100) / 100 === value, {
      error: 'at most two decimals',
    })
    .optional()
    .describe('engagement points halve every halfLifeDays days (default 30)'),
  productFitThreshold: z
    .number({ error: 'must be a whole number from 0 to 100' })
    .int({ error: 'must be a whole number from 0 to 100' })
    .min(0, { error: 'must be a whole number from 0 to 100' })
    .max(100, { error: 'must be a whole number from 0 to 100' })
    .optional()
    .describe('deals with a product fit below it are flagged poor fit (default 40)'),
})
export type SettingsPatch = z.infer<typeof SettingsPatch>

export async function updateScoringSettings(
  db: Kysely<DB>,
  principal: Principal,
  patch: SettingsPatch,
) {
  const { workspaceId } = requirePermission(principal, 'scoring:manage')
  await db.transaction().execute(async (trx) => {
    const before = await loadScoringSettings(trx, workspaceId)
    const after = {
      halfLifeDays: patch.halfLifeDays ?? before.halfLifeDays,
      productFitThreshold: patch.productFitThreshold ?? before.productFitThreshold,
    }
    const now = new Date()
    await trx
      .insertInto('scoringSettings')
      .values({ workspaceId, ...after, updatedAt: now })
      .onConflict((oc) => oc.column('workspaceId').doUpdateSet({ ...after, updatedAt: now }))
      .execute()
    const details: Record<string, { from: number; to: number }> = {}
    if (after.halfLifeDays !== before.halfLifeDays)
      details.halfLifeDays = { from: before.halfLifeDays, to: after.halfLifeDays }
    if (after.productFitThreshold !== before.productFitThreshold)
      details.productFitThreshold = {
        from: before.productFitThreshold,
        to: after.productFitThreshold,
      }
    await recordAudit(trx, principal, workspaceId, {
      action: 'scoring_settings.update',
      targetType: 'scoring_settings',
      targetId: null,
      details,
    })
    // The threshold is read when deals are shown; only the half-life changes scores.
    if (details.halfLifeDays) await queueFullRescore(trx, workspaceId, 'rules')
  })
  return getScoringSettings(db, principal)
}

async function requireContact(db: Kysely<DB>, workspaceId: string, id: string) {
  const contact = await db
    .selectFrom('contacts')
    .select(['id'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .where('mergedInto', 'is', null)
    .executeTakeFirst()
  if (!contact) throw new AppError('not_found', 'Contact not found')
}

async function presentScores(db: Kysely<DB>, workspaceId: string, contactId: string) {
  const [current, history, mqlRules, predictive] = await Promise.all([
    db
      .selectFrom('contactScores')
      .select(['fit', 'engagement', 'explanation', 'scoredAt'])
      .where('workspaceId', '=', workspaceId)
      .where('contactId', '=', contactId)
      .executeTakeFirst(),
    db
      .selectFrom('scoreHistory')
      .select(['recordedAt', 'fit', 'engagement', 'cause'])
      .where('workspaceId', '=', workspaceId)
      .where('contactId', '=', contactId)
      .where('recordedAt', '>=', sql<Date>`now() - interval '365 days'`)
      .orderBy('recordedAt')
      .execute(),
    loadMqlRules(db, workspaceId),
    loadContactPrediction(db, workspaceId, contactId),
  ])
  const fit = current?.fit ?? null
  const engagement = current?.engagement ?? null
  return {
    fit,
    engagement,
    scoredAt: current?.scoredAt.toISOString() ?? null,
    explanation: (current?.explanation ?? []) as ScoreReason[],
    history: history.map((row) => ({
      recordedAt: row.recordedAt.toISOString(),
      fit: row.fit,
      engagement: row.engagement,
      cause: row.cause as ScoreCause,
    })),
    mql: {
      fitMin: mqlRules.fitMin,
      engagementMin: mqlRules.engagementMin,
      predictiveInCharge: mqlRules.predictiveInCharge,
      predictiveMin: mqlRules.predictiveMin,
      qualifies: isMqlByScore(mqlRules, {
        fit,
        engagement,
        predictive: predictive?.probability ?? null,
      }),
    },
    predictive,
  }
}

export async function getContactScores(db: Kysely<DB>, principal: Principal, contactId: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  await requireContact(db, workspaceId, contactId)
  return presentScores(db, workspaceId, contactId)
}

export async function recomputeContactScores(
  db: Kysely<DB>,
  principal: Principal,
  contactId: string,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  await requireContact(db, workspaceId, contactId)
  await rescore(db, workspaceId, [contactId], 'manual')
  await scoreContacts(db, workspaceId, [contactId])
  return presentScores(db, workspaceId, contactId)
}

export const PreviewInput = z.object({
  rules: z
    .array(RuleInput.extend({ id: z.uuid().nullable().optional() }))
    .max(200)
    .describe('the proposed full set of rules, both kinds; an existing rule may carry its id'),
})
export type PreviewInput = z.infer<typeof PreviewInput>

/** Contacts per bucket 0-9, 10-19, …, 90-100 of a score column. */
const bucketsSql = (column: string) =>
  sql`array[${sql.join(
    Array.from(
      { length: 10 },
      (_, b) => sql`count(*) filter (where least(9, ${sql.ref(column)} / 10) = ${sql.lit(b)})::int`,
    ),
  )}]`

/**
 * What a proposed rule set would do: per rule, the contacts it touches (fit: matching; engagement:
 * with ≥ 1 matching non-bot touch in the last 10 half-lives), and the distributions of fit and
 * engagement now and with the proposed rules, with how many contacts before MQL would qualify.
 */
export async function previewScoring(db: Kysely<DB>, principal: Principal, input: PreviewInput) {
  const { workspaceId } = requirePermission(principal, 'scoring:manage')
  const rules: (EngineRule & { inputId: string | null })[] = input.rules.map((rule, i) => ({
    id: rule.id ?? '00000000-0000-0000-0000-000000000000',
    inputId: rule.id ?? null,
    kind: rule.kind,
    name: rule.name,
    points: rule.points,
    isActive: rule.isActive ?? true,
    condition: validateCondition(rule.kind, rule.condition, `rules[${i}].condition`),
  }))
  rules.forEach((rule, i) => {
    const conflict = findConflict(
      { ...rule, id: String(i) },
      rules.map((other, j) => ({ ...other, id: String(j) })),
    )
    if (conflict)
      throw new AppError(
        'invalid_input',
        `rules[${i}].condition: the same condition as rule "${conflict.name}"`,
        { field: `rules[${i}].condition` },
      )
  })
  // Explanation order: fit first, then position (as given when absent).
  const ordered = rules
    .map((rule, index) => ({ rule, index, position: input.rules[index]?.position ?? index }))
    .sort((a, b) =>
      a.rule.kind !== b.rule.kind
        ? a.rule.kind === 'fit'
          ? -1
          : 1
        : a.position - b.position || a.index - b.index,
    )
  const [settings, mqlRules] = await Promise.all([
    loadScoringSettings(db, workspaceId),
    loadMqlRules(db, workspaceId),
  ])
  const ctes = scoredCtes({
    workspaceId,
    target: 'all',
    rules: ordered.map((entry) => entry.rule),
    halfLifeDays: settings.halfLifeDays,
    now: new Date(),
  })
  const stagesBefore = sql.join(beforeMql.map((stage) => sql`${stage}`))
  const qualifies = (fit: string, engagement: string) => sql`count(*) filter (where
      (c.lifecycle_stage is null or c.lifecycle_stage in (${stagesBefore}))
      and ${sql.ref(fit)} >= ${mqlRules.fitMin} and ${sql.ref(engagement)} >= ${mqlRules.engagementMin})::int`
  const result = await sql<{
    perRule: { ord: number; contacts: number }[] | null
    currentFit: number[]
    currentEngagement: number[]
    currentMql: number
    proposedFit: number[]
    proposedEngagement: number[]
    proposedMql: number
  }>`
    with ${ctes},
    per_rule as (select ord, count(distinct contact_id)::int as contacts from hits group by ord),
    now_and_after as (
      select s.fit as p_fit, s.engagement as p_engagement,
        coalesce(cs.fit, 0) as c_fit, coalesce(cs.engagement, 0) as c_engagement, c.lifecycle_stage
      from scored s
      join contacts c on c.workspace_id = ${workspaceId} and c.id = s.contact_id
      left join contact_scores cs on cs.workspace_id = ${workspaceId} and cs.contact_id = s.contact_id
    )
    select
      (select json_agg(json_build_object('ord', ord, 'contacts', contacts)) from per_rule) as per_rule,
      ${bucketsSql('c_fit')} as current_fit,
      ${bucketsSql('c_engagement')} as current_engagement,
      ${qualifies('c_fit', 'c_engagement')} as current_mql,
      ${bucketsSql('p_fit')} as proposed_fit,
      ${bucketsSql('p_engagement')} as proposed_engagement,
      ${qualifies('p_fit', 'p_engagement')} as proposed_mql
    from now_and_after c
  `.execute(db)
  const row = result.rows[0]
  const counts = new Map((row?.perRule ?? []).map((entry) => [entry.ord, entry.contacts]))
  const zeros = () => Array.from({ length: 10 }, () => 0)
  return {
    rules: ordered
      .map((entry, ord) => ({
        index: entry.index,
        id: entry.rule.inputId,
        contacts: counts.get(ord) ?? 0,
      }))
      .sort((a, b) => a.index - b.index),
    current: {
      fit: row?.currentFit ?? zeros(),
      engagement: row?.currentEngagement ?? zeros(),
      mql: row?.currentMql ?? 0,
    },
    proposed: {
      fit: row?.proposedFit ?? zeros(),
      engagement: row?.proposedEngagement ?? zeros(),
      mql: row?.proposedMql ?? 0,
    },
  }
}

export { loadRules }
