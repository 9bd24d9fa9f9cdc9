import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { channels, touchpointTypes } from '../../domain/touchpoints.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { contactFields } from '../contacts/fields.ts'
import type { DB, ScoringRuleKind } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { compileFilter, type Filter, FilterSchema } from '../records/filter.ts'
import { queueFullRescore } from './queue.ts'

// Scoring rules (issue 9, DEFINITIONS.md "Scores", docs/scoring.md): fit rules are a filter of the
// filter language over contacts, engagement rules a touch condition. Reading needs records:read,
// changing them scoring:manage; every change is audited and queues a full rescoring.

export const scoringRuleKinds = ['fit', 'engagement'] as const satisfies ScoringRuleKind[]

const Points = z
  .number({ error: 'must be a whole number from -100 to 100, not 0' })
  .int({ error: 'must be a whole number from -100 to 100, not 0' })
  .min(-100, { error: 'must be a whole number from -100 to 100, not 0' })
  .max(100, { error: 'must be a whole number from -100 to 100, not 0' })
  .refine((value) => value !== 0, { error: 'must be a whole number from -100 to 100, not 0' })

export const RuleInput = z.object({
  kind: z.enum(scoringRuleKinds, { error: 'must be fit or engagement' }),
  name: z.string().trim().min(1).max(100),
  condition: z
    .unknown()
    .describe(
      'fit: a filter { "all"|"any": [ { field, op, value } | group ] } over contact fields; engagement: { types?, channels?, campaignIds?, urlContains?, eventNames? } (at least one)',
    ),
  points: Points.describe('-100..100, not 0; engagement points decay with the half-life'),
  isActive: z.boolean().optional(),
  position: z.number().int().min(0).max(100_000).optional(),
})
export type RuleInput = z.infer<typeof RuleInput>

export const RulePatch = RuleInput.partial()
export type RulePatch = z.infer<typeof RulePatch>

const types = touchpointTypes as readonly string[]
const channelSlugs = channels as readonly string[]

export const TouchConditionSchema = z
  .object({
    types: z
      .array(z.string())
      .min(1)
      .max(50)
      .superRefine((list, ctx) => {
        const unknown = list.find((type) => !types.includes(type))
        if (unknown !== undefined)
          ctx.addIssue({
            code: 'custom',
            message: `unknown touch type "${unknown}"; known: ${types.join(', ')}`,
          })
      })
      .optional(),
    channels: z
      .array(z.string())
      .min(1)
      .max(50)
      .superRefine((list, ctx) => {
        const unknown = list.find((channel) => !channelSlugs.includes(channel))
        if (unknown !== undefined)
          ctx.addIssue({
            code: 'custom',
            message: `unknown channel "${unknown}"; known: ${channelSlugs.join(', ')}`,
          })
      })
      .optional(),
    campaignIds: z
      .array(z.uuid({ error: 'must be campaign ids' }))
      .min(1)
      .max(200)
      .optional(),
    urlContains: z.string().trim().min(1).max(500).optional(),
    eventNames: z.array(z.string().trim().min(1).max(200)).min(1).max(50).optional(),
  })
  .strict()
export type TouchCondition = z.infer<typeof TouchConditionSchema>

/** Validates a condition for its kind; answers the normalized condition or throws 400 naming where. */
export function validateCondition(
  kind: ScoringRuleKind,
  condition: unknown,
  at = 'condition',
): Filter | TouchCondition {
  if (kind === 'fit') {
    const parsed = FilterSchema.safeParse(condition)
    if (!parsed.success) {
      const path = parsed.error.issues[0]?.path.join('.')
      throw new AppError(
        'invalid_input',
        `${at}${path ? `.${path}` : ''}: must be a filter { "all" | "any": [ { field, op, value } | group ] }`,
        { field: at },
      )
    }
    const filter = parsed.data
    const items = 'all' in filter ? filter.all : filter.any
    if (items.length === 0)
      throw new AppError('invalid_input', `${at}: give at least one condition`, { field: at })
    // Compiling catches unknown fields (scores included: they are no contact field), ops that do
    // not fit a field and values of the wrong type, naming where (condition.all[0].field: …).
    compileFilter(filter, contactFields, at)
    return filter
  }
  const parsed = TouchConditionSchema.safeParse(condition)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const key = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path[0]
    const field = key !== undefined ? `${at}.${String(key)}` : at
    const message =
      issue?.code === 'unrecognized_keys'
        ? 'unknown key; use types, channels, campaignIds, urlContains, eventNames'
        : typeof condition !== 'object' || condition === null || Array.isArray(condition)
          ? 'must be an object { types?, channels?, campaignIds?, urlContains?, eventNames? }'
          : (issue?.message ?? 'invalid')
    throw new AppError('invalid_input', `${field}: ${message}`, { field })
  }
  const value = parsed.data
  if (Object.values(value).every((v) => v === undefined))
    throw new AppError(
      'invalid_input',
      `${at}: give at least one of types, channels, campaignIds, urlContains, eventNames`,
      { field: at },
    )
  return value
}

/** A canonical text of a condition, so that the same condition written twice compares equal. */
export function canonicalCondition(kind: ScoringRuleKind, condition: unknown): string {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys)
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, sortKeys(v)]),
      )
    return value
  }
  if (kind === 'engagement' && condition && typeof condition === 'object') {
    // Lists are sets: their order and repeats do not matter; the URL matches without case.
    const sets = Object.fromEntries(
      Object.entries(condition as Record<string, unknown>).map(([k, v]) => [
        k,
        Array.isArray(v)
          ? [...new Set(v as string[])].sort()
          : typeof v === 'string'
            ? v.toLowerCase()
            : v,
      ]),
    )
    return JSON.stringify(sortKeys(sets))
  }
  return JSON.stringify(sortKeys(condition))
}

export interface RuleRow {
  id: string
  kind: ScoringRuleKind
  name: string
  position: number
  condition: unknown
  points: number
  isActive: boolean
  createdAt: Date
  updatedAt: Date
}

export function presentRule(row: RuleRow) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    position: row.position,
    condition: row.condition,
    points: row.points,
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
export type ScoringRule = ReturnType<typeof presentRule>

const ruleColumns = [
  'id',
  'kind',
  'name',
  'position',
  'condition',
  'points',
  'isActive',
  'createdAt',
  'updatedAt',
] as const

/** A workspace's rules, fit first, then by position (the order of explanations). */
export async function loadRules(db: Kysely<DB>, workspaceId: string): Promise<RuleRow[]> {
  const rows = await db
    .selectFrom('scoringRules')
    .select(ruleColumns)
    .where('workspaceId', '=', workspaceId)
    .orderBy(sql`case when kind = 'fit' then 0 else 1 end`)
    .orderBy('position')
    .orderBy('name')
    .orderBy('id')
    .execute()
  return rows as RuleRow[]
}

export async function listScoringRules(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  return (await loadRules(db, workspaceId)).map(presentRule)
}

async function requireRule(db: Kysely<DB>, workspaceId: string, id: string, lock = false) {
  const row = await db
    .selectFrom('scoringRules')
    .select(ruleColumns)
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', 'Scoring rule not found')
  return row as RuleRow
}

/**
 * Refuses an active rule whose (kind, condition) equals another active rule's: both would fire on
 * the same contacts and touches, counting the same thing twice.
 */
export function findConflict(
  rule: { kind: ScoringRuleKind; condition: unknown; isActive: boolean; id?: string | null },
  others: {
    kind: ScoringRuleKind
    condition: unknown
    isActive: boolean
    id?: string | null
    name: string
  }[],
): { name: string } | null {
  if (!rule.isActive) return null
  const mine = canonicalCondition(rule.kind, rule.condition)
  return (
    others.find(
      (other) =>
        other.isActive &&
        other.kind === rule.kind &&
        (rule.id == null || other.id !== rule.id) &&
        canonicalCondition(other.kind, other.condition) === mine,
    ) ?? null
  )
}

async function checkConflict(
  trx: Kysely<DB>,
  workspaceId: string,
  rule: { kind: ScoringRuleKind; condition: unknown; isActive: boolean; id?: string },
) {
  // One rule change at a time per workspace, so that two requests cannot add the same condition.
  await sql`select pg_advisory_xact_lock(hashtext(${`scoring_rules:${workspaceId}`}))`.execute(trx)
  const others = await loadRules(trx, workspaceId)
  const conflict = findConflict(rule, others)
  if (conflict)
    throw new AppError(
      'invalid_input',
      `condition: the same condition as rule "${conflict.name}"`,
      {
        field: 'condition',
      },
    )
}

export async function createScoringRule(db: Kysely<DB>, principal: Principal, input: RuleInput) {
  const { workspaceId } = requirePermission(principal, 'scoring:manage')
  const condition = validateCondition(input.kind, input.condition)
  const id = uuidv7()
  const isActive = input.isActive ?? true
  await db.transaction().execute(async (trx) => {
    await checkConflict(trx, workspaceId, { kind: input.kind, condition, isActive })
    const position =
      input.position ??
      Number(
        (
          await trx
            .selectFrom('scoringRules')
            .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('next'))
            .where('workspaceId', '=', workspaceId)
            .where('kind', '=', input.kind)
            .executeTakeFirstOrThrow()
        ).next,
      )
    await trx
      .insertInto('scoringRules')
      .values({
        workspaceId,
        id,
        kind: input.kind,
        name: input.name,
        position,
        condition: JSON.stringify(condition),
        points: input.points,
        isActive,
      })
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'scoring_rule.create',
      targetType: 'scoring_rule',
      targetId: id,
      details: { kind: input.kind, name: input.name, points: input.points, condition, isActive },
    })
    await queueFullRescore(trx, workspaceId, 'rules')
  })
  return presentRule(await requireRule(db, workspaceId, id))
}

export async function updateScoringRule(
  db: Kysely<DB>,
  principal: Principal,
  id: string,
  patch: RulePatch,
) {
  const { workspaceId } = requirePermission(principal, 'scoring:manage')
  await db.transaction().execute(async (trx) => {
    const before = await requireRule(trx, workspaceId, id, true)
    const kind = patch.kind ?? before.kind
    const condition =
      patch.condition !== undefined || patch.kind !== undefined
        ? validateCondition(
            kind,
            patch.condition !== undefined ? patch.condition : before.condition,
          )
        : before.condition
    const isActive = patch.isActive ?? before.isActive
    await checkConflict(trx, workspaceId, { kind, condition, isActive, id })
    const after = {
      kind,
      name: patch.name ?? before.name,
      position: patch.position ?? before.position,
      condition,
      points: patch.points ?? before.points,
      isActive,
    }
    await trx
      .updateTable('scoringRules')
      .set({ ...after, condition: JSON.stringify(condition), updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    const details: Record<string, { from: unknown; to: unknown }> = {}
    for (const key of Object.keys(after) as (keyof typeof after)[]) {
      if (JSON.stringify(after[key]) !== JSON.stringify(before[key]))
        details[key] = { from: before[key], to: after[key] }
    }
    await recordAudit(trx, principal, workspaceId, {
      action: 'scoring_rule.update',
      targetType: 'scoring_rule',
      targetId: id,
      details,
    })
    // Names and order show in the explanations too: any change rescores.
    if (Object.keys(details).length > 0) await queueFullRescore(trx, workspaceId, 'rules')
  })
  return presentRule(await requireRule(db, workspaceId, id))
}

export async function deleteScoringRule(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'scoring:manage')
  await db.transaction().execute(async (trx) => {
    const before = await requireRule(trx, workspaceId, id, true)
    await trx
      .deleteFrom('scoringRules')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'scoring_rule.delete',
      targetType: 'scoring_rule',
      targetId: id,
      details: {
        kind: before.kind,
        name: before.name,
        points: before.points,
        condition: before.condition,
      },
    })
    await queueFullRescore(trx, workspaceId, 'rules')
  })
}
