import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { encodeFrame, inferFrame } from '../../domain/predictive/frame.ts'
import {
  type CalibratedModel,
  loadCalibratedModel,
  probabilities,
  serializeModel,
  type TrainingReport,
  topFactors,
  trainAndSelect,
} from '../../domain/predictive/select.ts'
import { dayMs } from '../../domain/scoring.ts'
import type { DB, PredictiveFactor } from '../db/schema.ts'
import { qualifyByScore } from '../handoffs/score-hook.ts'
import { loadMqlRules } from '../mql/rules.ts'
import { beforeMql } from '../scoring/engine.ts'
import { extractLeads, type LeadSet, labelWindowDays } from './features.ts'

// Training and scoring (DEFINITIONS.md "Predictive score"). The learners, the time-ordered split,
// the calibration and the measurement are domain code (src/domain/predictive/); this module feeds
// them the workspace's leads and stores what comes out.

/** DEFINITIONS.md: the model may be in charge only with this much recent history. */
export const eligibilityRule = { leads: 1000, conversions: 120, days: 200 }
/** Below this, a model would be noise: training refuses with a message saying what is missing. */
export const trainingMinimum = { leads: 200, conversions: 20 }
/** The newest labelled leads a training uses at most (older history adds little and costs time). */
export const maxTrainingLeads = 200_000

export interface Eligibility {
  leads: number
  conversions: number
  minLeads: number
  minConversions: number
  eligible: boolean
}

/** Leads created, and contacts that became customers, in the last 200 days. */
export async function loadEligibility(
  db: Kysely<DB>,
  workspaceId: string,
  now: Date = new Date(),
): Promise<Eligibility> {
  const since = new Date(now.getTime() - eligibilityRule.days * dayMs)
  const row = await sql<{ leads: number; conversions: number }>`
    with firsts as (
      select e.record_id,
        min(e.entered_at) filter (where e.stage in ('lead', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'evangelist')) as lead_at,
        min(e.entered_at) filter (where e.stage in ('customer', 'evangelist')) as customer_at
      from lifecycle_entries e
      join contacts c on c.workspace_id = e.workspace_id and c.id = e.record_id
        and c.deleted_at is null and c.merged_into is null
      where e.workspace_id = ${workspaceId} and e.entity = 'contact'
      group by e.record_id
    )
    select count(*) filter (where lead_at > ${since} and lead_at <= ${now})::int as leads,
      count(*) filter (where customer_at > ${since} and customer_at <= ${now})::int as conversions
    from firsts
  `.execute(db)
  const { leads = 0, conversions = 0 } = row.rows[0] ?? {}
  return {
    leads,
    conversions,
    minLeads: eligibilityRule.leads,
    minConversions: eligibilityRule.conversions,
    eligible: leads >= eligibilityRule.leads && conversions >= eligibilityRule.conversions,
  }
}

/** What a stored model's report holds beyond the domain's TrainingReport. */
export interface StoredReport extends TrainingReport {
  labels: Record<string, string>
  leadsFrom: string
  leadsTo: string
}

export interface CurrentModel {
  id: string
  trainedAt: Date
  model: CalibratedModel
  report: StoredReport
}

// Loaded models by workspace, reused while the workspace's current model id is the same.
const cache = new Map<string, CurrentModel>()

/** The workspace's newest model, or null when none was trained. */
export async function loadCurrentModel(
  db: Kysely<DB>,
  workspaceId: string,
): Promise<CurrentModel | null> {
  const head = await db
    .selectFrom('predictiveModels')
    .select(['id'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('trainedAt', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!head) return null
  const cached = cache.get(workspaceId)
  if (cached?.id === head.id) return cached
  const row = await db
    .selectFrom('predictiveModels')
    .select(['id', 'trainedAt', 'model', 'report'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', head.id)
    .executeTakeFirstOrThrow()
  const current = {
    id: row.id,
    trainedAt: row.trainedAt,
    model: loadCalibratedModel(row.model),
    report: row.report as StoredReport,
  }
  cache.set(workspaceId, current)
  return current
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** The label of each training lead: a customer within 90 days of lead creation. */
function labelOf(leads: LeadSet, i: number): number {
  const customerAt = leads.customerAt[i]
  const leadAt = leads.leadAt[i] as Date
  return customerAt && customerAt.getTime() <= leadAt.getTime() + labelWindowDays * dayMs ? 1 : 0
}

export class NotEnoughHistory extends Error {}

/**
 * Trains both learners on the workspace's labelled leads (created at least 90 days before `now`,
 * oldest first), keeps the better one on the time-ordered holdout, stores it, then scores every
 * live contact with it. Throws NotEnoughHistory (a message for people) below the minimum.
 */
export async function trainModel(
  db: Kysely<DB>,
  workspaceId: string,
  now: Date = new Date(),
  options: { qualify?: boolean } = {},
): Promise<{ modelId: string; report: StoredReport; scored: number }> {
  const leads = await extractLeads(db, workspaceId, 'all', now, { baseline: true })
  const matureBefore = now.getTime() - labelWindowDays * dayMs
  let rows: number[] = []
  for (let i = 0; i < leads.contactIds.length; i++) {
    if (leads.isLead[i] && (leads.leadAt[i] as Date).getTime() <= matureBefore) rows.push(i)
  }
  // Rows come ordered by lead creation: the newest maxTrainingLeads are kept.
  if (rows.length > maxTrainingLeads) rows = rows.slice(rows.length - maxTrainingLeads)
  const y = Uint8Array.from(rows, (i) => labelOf(leads, i))
  const positives = y.reduce((sum, v) => sum + v, 0)
  if (rows.length < trainingMinimum.leads || positives < trainingMinimum.conversions) {
    throw new NotEnoughHistory(
      `Not enough history to train: ${rows.length} leads created more than ${labelWindowDays} days ago (at least ${trainingMinimum.leads} needed), ${positives} of them became customers within ${labelWindowDays} days (at least ${trainingMinimum.conversions} needed)`,
    )
  }
  const trainingColumns = leads.columns.map((column) => ({
    name: column.name,
    values: rows.map((i) => column.values[i] ?? null),
  }))
  const { frame, schema } = inferFrame(trainingColumns)
  const baseline = leads.baseline ? rows.map((i) => leads.baseline?.[i] ?? 0) : undefined
  const { model, report } = trainAndSelect(frame, schema, y, { baseline, seed: 42 })
  const first = leads.leadAt[rows[0] as number] as Date
  const last = leads.leadAt[rows.at(-1) as number] as Date
  const stored: StoredReport = {
    ...report,
    labels: Object.fromEntries(
      schema.features.map((f) => [f.name, leads.labels[f.name] ?? f.name]),
    ),
    leadsFrom: isoDay(first),
    leadsTo: isoDay(last),
  }
  const modelId = uuidv7()
  await db
    .insertInto('predictiveModels')
    .values({
      workspaceId,
      id: modelId,
      trainedAt: now,
      learner: report.chosen,
      model: JSON.stringify(serializeModel(model)),
      report: JSON.stringify(stored),
    })
    .execute()
  const current: CurrentModel = { id: modelId, trainedAt: now, model, report: stored }
  cache.set(workspaceId, current)
  const scored = await writeScores(db, workspaceId, current, leads, now, options)
  return { modelId, report: stored, scored }
}

/** Scores the given contacts (or all live ones) with the current model; 0 when there is none. */
export async function scoreContacts(
  db: Kysely<DB>,
  workspaceId: string,
  target: string[] | 'all',
  now: Date = new Date(),
  options: { qualify?: boolean } = {},
): Promise<number> {
  if (target !== 'all' && target.length === 0) return 0
  const current = await loadCurrentModel(db, workspaceId)
  if (!current) return 0
  const leads = await extractLeads(db, workspaceId, target, now)
  return writeScores(db, workspaceId, current, leads, now, options)
}

/**
 * A contact's probability and top factors by the current model, computed now from its features
 * (factors are not stored: explaining 100,000 contacts after each training would cost seconds for
 * pages few of them will see). Null when no model was trained.
 */
export async function explainContact(
  db: Kysely<DB>,
  workspaceId: string,
  contactId: string,
  now: Date = new Date(),
): Promise<{ modelId: string; probability: number; factors: PredictiveFactor[] } | null> {
  const current = await loadCurrentModel(db, workspaceId)
  if (!current) return null
  const leads = await extractLeads(db, workspaceId, [contactId], now)
  if (leads.contactIds.length === 0) return null
  const frame = encodeFrame(current.model.schema, leads.columns, 1)
  const labels = current.report.labels
  return {
    modelId: current.id,
    probability: probabilities(current.model, frame)[0] ?? 0,
    factors: topFactors(current.model, frame, 0, 5).map((f) => ({
      feature: f.feature,
      label: labels[f.feature] ?? f.feature,
      value: f.value,
      contribution: Math.round(f.contribution * 1000) / 1000,
    })),
  }
}

const writeBatch = 5_000

async function writeScores(
  db: Kysely<DB>,
  workspaceId: string,
  current: CurrentModel,
  leads: LeadSet,
  now: Date,
  options: { qualify?: boolean },
): Promise<number> {
  const n = leads.contactIds.length
  if (n === 0) return 0
  const frame = encodeFrame(current.model.schema, leads.columns, n)
  const probs = probabilities(current.model, frame)
  for (let start = 0; start < n; start += writeBatch) {
    const end = Math.min(n, start + writeBatch)
    const ids = leads.contactIds.slice(start, end)
    const ps = Array.from(probs.subarray(start, end), (p) => Math.min(1, Math.max(0, p)))
    // Only changed rows are written: rescoring with the same model mostly changes nothing.
    await sql`
      insert into predictive_scores (workspace_id, contact_id, model_id, probability, scored_at)
      select ${workspaceId}, s.contact_id, ${current.id}, s.probability, ${now}
      from unnest(${ids}::uuid[], ${ps}::float8[]) as s(contact_id, probability)
      on conflict (workspace_id, contact_id) do update set model_id = excluded.model_id,
        probability = excluded.probability, scored_at = excluded.scored_at
      where predictive_scores.model_id <> excluded.model_id
        or predictive_scores.probability <> excluded.probability
    `.execute(db)
  }
  if (options.qualify !== false) await qualifyByPrediction(db, workspaceId, leads.contactIds)
  return n
}

/**
 * With the model in charge of the MQL rule, contacts before MQL whose probability reaches P
 * become MQLs (the handoff's hook decides, in one transaction per contact).
 */
async function qualifyByPrediction(db: Kysely<DB>, workspaceId: string, contactIds: string[]) {
  const rules = await loadMqlRules(db, workspaceId)
  if (!rules.predictiveInCharge) return
  const candidates = await db
    .selectFrom('predictiveScores as p')
    .innerJoin('contacts as c', (join) =>
      join.onRef('c.workspaceId', '=', 'p.workspaceId').onRef('c.id', '=', 'p.contactId'),
    )
    .leftJoin('contactScores as s', (join) =>
      join.onRef('s.workspaceId', '=', 'p.workspaceId').onRef('s.contactId', '=', 'p.contactId'),
    )
    .select(['p.contactId', 'p.probability', 's.fit', 's.engagement'])
    .where('p.workspaceId', '=', workspaceId)
    .where(sql<boolean>`p.contact_id = any(${contactIds}::uuid[])`)
    .where('p.probability', '>=', rules.predictiveMin)
    .where((eb) =>
      eb.or([eb('c.lifecycleStage', 'is', null), eb('c.lifecycleStage', 'in', [...beforeMql])]),
    )
    .where('c.deletedAt', 'is', null)
    .execute()
  for (const row of candidates) {
    const scores = { fit: row.fit, engagement: row.engagement, predictive: row.probability }
    if (db.isTransaction) await qualifyByScore(db, workspaceId, row.contactId, scores)
    else
      await db
        .transaction()
        .execute((trx) => qualifyByScore(trx, workspaceId, row.contactId, scores))
  }
}
