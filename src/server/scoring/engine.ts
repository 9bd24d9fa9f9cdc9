import { type Kysely, type RawBuilder, sql } from 'kysely'
import { dayMs, maxHalfLives, type TouchCondition } from '../../domain/scoring.ts'
import { contactFields } from '../contacts/fields.ts'
import type { DB, ScoreCause, ScoringRuleKind } from '../db/schema.ts'
import { qualifyByScore } from '../handoffs/score-hook.ts'
import { isMqlByScore, loadMqlRules } from '../mql/rules.ts'
import { compileFilter, type Filter } from '../records/filter.ts'
import { loadRules } from './rules.ts'
import { loadScoringSettings } from './settings.ts'

// The set-based scoring engine (DEFINITIONS.md "Scores", src/domain/scoring.ts is the reference):
// one statement computes every target contact's fit, engagement and explanation, upserts
// contact_scores, writes score_history where a score changed, and answers the contacts whose
// scores changed; the MQL hook then runs for those before MQL that now qualify.

/** A rule as the engine uses it; `ord` is its place in explanations (fit first, then position). */
export interface EngineRule {
  id: string
  kind: ScoringRuleKind
  name: string
  points: number
  isActive: boolean
  condition: unknown
}

/** Lifecycle states before MQL: a contact there may become an MQL by score. */
export const beforeMql = ['subscriber', 'lead', 'recycled'] as const

export function touchMatchSql(condition: TouchCondition): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = []
  if (condition.types) parts.push(sql`t.type = any(${condition.types}::text[])`)
  if (condition.channels) parts.push(sql`t.channel = any(${condition.channels}::text[])`)
  if (condition.campaignIds) parts.push(sql`t.campaign_id = any(${condition.campaignIds}::uuid[])`)
  if (condition.eventNames) parts.push(sql`t.event_name = any(${condition.eventNames}::text[])`)
  if (condition.urlContains) {
    const escaped = condition.urlContains.replace(/[\\%_]/g, (ch) => `\\${ch}`)
    parts.push(sql`t.url ilike ${`%${escaped}%`}`)
  }
  if (parts.length === 0) return sql<boolean>`false`
  return sql<boolean>`(${sql.join(parts, sql` and `)})`
}

/** `{"ruleId":…,"kind":…,"name":…,"points":` — the start of a rule's explanation entry. */
function explanationPrefix(rule: EngineRule): string {
  return `${JSON.stringify({ ruleId: rule.id, kind: rule.kind, name: rule.name }).slice(0, -1)},"points":`
}

/** The contacts scored: live ones of the workspace, all or the given ids. */
function targetWhere(workspaceId: string, target: string[] | 'all') {
  return sql`c.workspace_id = ${workspaceId} and c.deleted_at is null and c.merged_into is null
    ${target === 'all' ? sql`` : sql`and c.id = any(${target}::uuid[])`}`
}

/**
 * CTEs `targets`, `hits` (contact_id, ord, pts, touches — every rule given, active or not) and
 * `scored` (contact_id, fit, engagement, explanation — active rules only), for the rules in
 * explanation order.
 */
export function scoredCtes(input: {
  workspaceId: string
  target: string[] | 'all'
  rules: EngineRule[]
  halfLifeDays: number
  now: Date
}): RawBuilder<unknown> {
  const { workspaceId, target, rules, halfLifeDays, now } = input
  const indexed = rules.map((rule, ord) => ({ ...rule, ord }))
  const fit = indexed.filter((rule) => rule.kind === 'fit')
  const engagement = indexed.filter((rule) => rule.kind === 'engagement')
  const cutoff = new Date(now.getTime() - maxHalfLives * halfLifeDays * dayMs)
  const fitHits =
    fit.length === 0
      ? sql`select null::uuid as contact_id, null::int as ord, null::float8 as pts, null::int as touches where false`
      : sql`select c.id as contact_id, h.ord, h.pts, null::int as touches
          from contacts c
          cross join lateral (values ${sql.join(
            fit.map(
              (rule) =>
                sql`(${rule.ord}::int, ${rule.points}::float8, ${compileFilter(rule.condition as Filter, contactFields, 'condition')})`,
            ),
          )}) as h(ord, pts, hit)
          where ${targetWhere(workspaceId, target)} and h.hit`
  // When every engagement rule names its touch types, touches of other types are skipped early.
  const types = engagement.every((rule) => (rule.condition as TouchCondition).types)
    ? [...new Set(engagement.flatMap((rule) => (rule.condition as TouchCondition).types ?? []))]
    : null
  const typeFilter = types ? sql`and t.type = any(${types}::text[])` : sql``
  const engagementHits =
    engagement.length === 0
      ? sql`select null::uuid as contact_id, null::int as ord, null::float8 as pts, null::int as touches where false`
      : sql`select t.contact_id, r.ord,
            sum(r.pts * power(2::float8, -greatest(0::float8,
              extract(epoch from (${now}::timestamptz - t.occurred_at))::float8 / 86400) / ${halfLifeDays}::float8)) as pts,
            count(*)::int as touches
          from touchpoints t
          cross join lateral (values ${sql.join(
            engagement.map(
              (rule) =>
                sql`(${rule.ord}::int, ${rule.points}::float8, ${touchMatchSql(rule.condition as TouchCondition)})`,
            ),
          )}) as r(ord, pts, hit)
          where t.workspace_id = ${workspaceId} and not t.is_bot and t.occurred_at >= ${cutoff}
            -- A day of grace for clocks ahead of ours (ingestion keeps times up to a day ahead).
            and t.occurred_at <= ${now}::timestamptz + interval '1 day'
            ${typeFilter} and t.contact_id in (select id from targets) and r.hit
          group by t.contact_id, r.ord`
  // Per rule (by ord): its kind, whether it scores, the start of its explanation entry.
  const kinds = indexed.map((rule) => rule.kind)
  const actives = indexed.map((rule) => rule.isActive)
  const prefixes = indexed.map(explanationPrefix)
  return sql`targets as (
      select c.id from contacts c where ${targetWhere(workspaceId, target)}
    ),
    fit_hits as (${fitHits}),
    engagement_hits as (${engagementHits}),
    hits as (select * from fit_hits union all select * from engagement_hits),
    fired as (
      select h.contact_id, h.ord, h.pts, h.touches, (${kinds}::text[])[h.ord + 1] as kind
      from hits h where (${actives}::boolean[])[h.ord + 1]
    ),
    per_contact as (
      select f.contact_id,
        sum(f.pts) filter (where f.kind = 'fit') as fit,
        sum(f.pts) filter (where f.kind = 'engagement') as engagement,
        -- The explanation is assembled as text and parsed once per contact: building jsonb
        -- objects row by row costs several times more on a whole workspace.
        ('[' || string_agg((${prefixes}::text[])[f.ord + 1] || case when f.kind = 'fit'
            then f.pts::int::text
            else round(f.pts::numeric, 1)::text || ',"touches":' || f.touches end || '}',
          ',' order by f.ord) || ']')::jsonb as explanation
      from fired f
      group by f.contact_id
    ),
    scored as (
      select tg.id as contact_id,
        least(100, greatest(0, round(coalesce(p.fit, 0)::numeric)))::smallint as fit,
        least(100, greatest(0, round(coalesce(p.engagement, 0)::numeric)))::smallint as engagement,
        coalesce(p.explanation, '[]'::jsonb) as explanation
      from targets tg left join per_contact p on p.contact_id = tg.id
    )`
}

/** The writing statement of rescore (exported for the bench's EXPLAIN). */
export function rescoreStatement(input: {
  workspaceId: string
  ctes: RawBuilder<unknown>
  cause: ScoreCause
  now: Date
}) {
  const { workspaceId, ctes, cause, now } = input
  return sql<{
    scored: number
    contactId: string | null
    fit: number | null
    engagement: number | null
    lifecycleStage: string | null
  }>`
      with ${ctes},
      -- Only rows whose scores or explanation change are written (a full rescoring after a rule
      -- change leaves most rows as they were): scored_at is when they last changed.
      diff as (
        select s.contact_id, s.fit, s.engagement, s.explanation,
          p.contact_id is null or p.fit <> s.fit or p.engagement <> s.engagement as score_changed
        from scored s
        left join contact_scores p on p.workspace_id = ${workspaceId} and p.contact_id = s.contact_id
        where p.contact_id is null or p.fit <> s.fit or p.engagement <> s.engagement
          or p.explanation <> s.explanation
      ),
      upserted as (
        insert into contact_scores (workspace_id, contact_id, fit, engagement, explanation, scored_at)
        select ${workspaceId}, d.contact_id, d.fit, d.engagement, d.explanation, ${now}
        from diff d
        on conflict (workspace_id, contact_id) do update set
          fit = excluded.fit, engagement = excluded.engagement,
          explanation = excluded.explanation, scored_at = excluded.scored_at
        returning 1
      ),
      history as (
        insert into score_history (workspace_id, contact_id, recorded_at, fit, engagement, cause)
        select ${workspaceId}, d.contact_id, ${now}, d.fit, d.engagement, ${cause}
        from diff d where d.score_changed
        on conflict (workspace_id, contact_id, recorded_at) do update set
          fit = excluded.fit, engagement = excluded.engagement, cause = excluded.cause
        returning contact_id, fit, engagement
      )
      select (select count(*)::int from scored) as scored, h.contact_id, h.fit, h.engagement,
        c.lifecycle_stage
      from (select 1) one
      left join history h on true
      left join contacts c on c.workspace_id = ${workspaceId} and c.id = h.contact_id
  `
}

export interface RescoreResult {
  /** Contacts scored. */
  scored: number
  /** Contacts whose fit or engagement changed (or that were scored for the first time). */
  changed: number
  /** Contacts that became MQLs by score. */
  qualified: number
}

/**
 * Rescores contacts of a workspace (all, or the given ids) at `now`: upserts contact_scores, adds
 * a score_history row for each contact whose fit or engagement changed (or that had no score),
 * and runs the MQL hook for those before MQL that now qualify (unless `qualify` is false: the
 * demo world scores its past as it stands) — all in one transaction (the caller's when `db` is
 * one). Touches more than a day after `now` do not count: scoring at a past moment sees the touches
 * made by then.
 */
export async function rescore(
  db: Kysely<DB>,
  workspaceId: string,
  target: string[] | 'all',
  cause: ScoreCause,
  now: Date = new Date(),
  options: { qualify?: boolean } = {},
): Promise<RescoreResult> {
  if (target !== 'all' && target.length === 0) return { scored: 0, changed: 0, qualified: 0 }
  const run = async (trx: Kysely<DB>): Promise<RescoreResult> => {
    const [rules, settings] = await Promise.all([
      loadRules(trx, workspaceId),
      loadScoringSettings(trx, workspaceId),
    ])
    const active = rules.filter((rule) => rule.isActive)
    // A whole workspace groups and sorts hundreds of thousands of rows: let them stay in memory.
    if (target === 'all') await sql`set local work_mem = '64MB'`.execute(trx)
    const ctes = scoredCtes({
      workspaceId,
      target,
      rules: active,
      halfLifeDays: settings.halfLifeDays,
      now,
    })
    const result = await rescoreStatement({ workspaceId, ctes, cause, now }).execute(trx)
    const rows = result.rows
    const scored = rows[0]?.scored ?? 0
    const changedRows = rows.filter((row) => row.contactId !== null)
    let qualified = 0
    const candidates = changedRows.filter(
      (row) =>
        row.lifecycleStage === null ||
        (beforeMql as readonly string[]).includes(row.lifecycleStage),
    )
    if (candidates.length > 0 && options.qualify !== false) {
      const mqlRules = await loadMqlRules(trx, workspaceId)
      // With the model in charge, a contact's probability decides (when it has one).
      const predicted = new Map<string, number>()
      if (mqlRules.predictiveInCharge) {
        const ids = candidates.map((row) => row.contactId as string)
        const rows = await trx
          .selectFrom('predictiveScores')
          .select(['contactId', 'probability'])
          .where('workspaceId', '=', workspaceId)
          .where(sql<boolean>`contact_id = any(${ids}::uuid[])`)
          .execute()
        for (const p of rows) predicted.set(p.contactId, p.probability)
      }
      for (const row of candidates) {
        const predictive = predicted.get(row.contactId as string) ?? null
        const scores = { fit: row.fit, engagement: row.engagement, predictive }
        if (!isMqlByScore(mqlRules, scores)) continue
        const opened = await qualifyByScore(trx, workspaceId, row.contactId as string, scores)
        if (opened) qualified += 1
      }
    }
    return { scored, changed: changedRows.length, qualified }
  }
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}
