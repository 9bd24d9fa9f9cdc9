import { type Kysely, sql } from 'kysely'
import { recordAudit } from '../audit/service.ts'
import type { Principal } from '../auth/principal.ts'
import { requirePermission } from '../auth/principal.ts'
import type { DB, PredictiveFactor, PredictiveTrainingStatus } from '../db/schema.ts'
import { loadMqlRules } from '../mql/rules.ts'
import {
  explainContact,
  loadCurrentModel,
  loadEligibility,
  NotEnoughHistory,
  type StoredReport,
  trainModel,
} from './train.ts'

/** A training left `running` this long was left by a stopped worker: it is queued again. */
export const staleTrainingMs = 60 * 60_000

export async function getModelState(db: Kysely<DB>, workspaceId: string, now = new Date()) {
  const [eligibility, rules, training, current, scored] = await Promise.all([
    loadEligibility(db, workspaceId, now),
    loadMqlRules(db, workspaceId),
    db
      .selectFrom('predictiveTraining')
      .select(['status', 'error', 'startedAt'])
      .where('workspaceId', '=', workspaceId)
      .executeTakeFirst(),
    loadCurrentModel(db, workspaceId),
    db
      .selectFrom('predictiveScores')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('workspaceId', '=', workspaceId)
      .executeTakeFirst(),
  ])
  return {
    eligibility,
    inCharge: rules.predictiveInCharge,
    predictiveMin: rules.predictiveMin,
    training: {
      status: (training?.status ?? 'idle') as PredictiveTrainingStatus,
      error: training?.error ?? null,
      startedAt: training?.startedAt?.toISOString() ?? null,
    },
    model: current ? presentModel(current.id, current.trainedAt, current.report, scored?.n) : null,
  }
}
export type PredictiveModelState = Awaited<ReturnType<typeof getModelState>>

function presentModel(id: string, trainedAt: Date, report: StoredReport, scored?: string) {
  return {
    id,
    trainedAt: trainedAt.toISOString(),
    learner: report.chosen,
    leadsFrom: report.leadsFrom,
    leadsTo: report.leadsTo,
    sizes: report.sizes,
    learners: report.learners,
    holdout: report.holdout,
    importance: report.importance.map((row) => ({
      ...row,
      label: report.labels[row.feature] ?? row.feature,
    })),
    scored: Number(scored ?? 0),
  }
}

/** The model page's state: eligibility, the MQL opt-in, training status and the current model. */
export async function readModelState(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  return getModelState(db, workspaceId)
}

/** Queues a training of the workspace's model (the worker starts it within seconds). */
export async function requestRetrain(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'scoring:manage')
  await db.transaction().execute(async (trx) => {
    await queueTraining(trx, workspaceId)
    await recordAudit(trx, principal, workspaceId, {
      action: 'predictive.retrain',
      targetType: 'predictive_model',
    })
  })
  return getModelState(db, workspaceId)
}

/** Marks the workspace's training queued (a running one is left to finish). */
export async function queueTraining(db: Kysely<DB>, workspaceId: string): Promise<void> {
  await db
    .insertInto('predictiveTraining')
    .values({ workspaceId, status: 'queued', error: null, startedAt: null })
    .onConflict((oc) =>
      oc
        .column('workspaceId')
        .doUpdateSet({ status: 'queued', error: null, updatedAt: new Date() })
        .where('predictiveTraining.status', '<>', 'running'),
    )
    .execute()
}

/** The weekly retrain: every workspace that has contacts is queued. */
export async function queueWeeklyTraining(db: Kysely<DB>): Promise<number> {
  const result = await sql`
    insert into predictive_training (workspace_id, status)
    select w.id, 'queued' from workspaces w
    where exists (select 1 from contacts c where c.workspace_id = w.id and c.deleted_at is null)
    on conflict (workspace_id) do update set status = 'queued', error = null, updated_at = now()
      where predictive_training.status <> 'running'
  `.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/**
 * Claims one queued training (or one a stopped worker left running) and runs it. Answers the
 * workspace trained, or null when nothing was queued. Not enough history leaves the status idle
 * with the reason; any other failure marks it failed with the error.
 */
export async function runQueuedTraining(
  db: Kysely<DB>,
  now: () => Date = () => new Date(),
): Promise<{ workspaceId: string; status: PredictiveTrainingStatus } | null> {
  const staleBefore = new Date(now().getTime() - staleTrainingMs)
  const claimed = await sql<{ workspaceId: string }>`
    update predictive_training t set status = 'running', started_at = ${now()}, error = null,
      updated_at = ${now()}
    from (
      select workspace_id from predictive_training
      where status = 'queued' or (status = 'running' and updated_at < ${staleBefore})
      order by updated_at limit 1 for update skip locked
    ) claim
    where t.workspace_id = claim.workspace_id
    returning t.workspace_id
  `.execute(db)
  const workspaceId = claimed.rows[0]?.workspaceId
  if (!workspaceId) return null
  let status: PredictiveTrainingStatus = 'idle'
  let error: string | null = null
  try {
    await trainModel(db, workspaceId, now())
    await enforceEligibility(db, workspaceId, now())
  } catch (failure) {
    if (failure instanceof NotEnoughHistory) error = failure.message
    else {
      status = 'failed'
      error = failure instanceof Error ? failure.message : String(failure)
    }
  }
  await db
    .updateTable('predictiveTraining')
    .set({ status, error, updatedAt: now() })
    .where('workspaceId', '=', workspaceId)
    .where('status', '=', 'running')
    .execute()
  return { workspaceId, status }
}

/**
 * DEFINITIONS.md: the model stays in charge of the MQL rule only while the workspace has the
 * history for it. When a retraining finds it has not, the fit and engagement rules take over again
 * and the audit log says why.
 */
export async function enforceEligibility(
  db: Kysely<DB>,
  workspaceId: string,
  now: Date,
): Promise<boolean> {
  const rules = await loadMqlRules(db, workspaceId)
  if (!rules.predictiveInCharge) return false
  const eligibility = await loadEligibility(db, workspaceId, now)
  if (eligibility.eligible) return false
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('mqlRules')
      .set({ predictiveInCharge: false, updatedAt: now })
      .where('workspaceId', '=', workspaceId)
      .execute()
    await recordAudit(
      trx,
      { kind: 'cli', name: 'Predictive model retraining', workspaceId, role: 'admin' },
      workspaceId,
      {
        action: 'mql_rules.update',
        targetType: 'mql_rules',
        details: {
          predictiveInCharge: { from: true, to: false },
          reason: `${eligibility.leads} leads and ${eligibility.conversions} conversions in the last 200 days, below ${eligibility.minLeads} and ${eligibility.minConversions}: the rules decide again`,
        },
      },
    )
  })
  return true
}

/** enforceEligibility for every workspace whose model is in charge; answers how many handed back. */
export async function enforceEligibilityEverywhere(db: Kysely<DB>, now = new Date()) {
  const inCharge = await db
    .selectFrom('mqlRules')
    .select('workspaceId')
    .where('predictiveInCharge', '=', true)
    .execute()
  let handed = 0
  for (const { workspaceId } of inCharge) {
    if (await enforceEligibility(db, workspaceId, now)) handed += 1
  }
  return handed
}

/**
 * A contact's predictive score for the scores card, or null when it has none: the stored
 * probability (the one the MQL rule saw) and its top factors, explained now by the same model.
 */
export async function loadContactPrediction(
  db: Kysely<DB>,
  workspaceId: string,
  contactId: string,
): Promise<{
  probability: number
  scoredAt: string
  modelId: string
  factors: PredictiveFactor[]
} | null> {
  const row = await db
    .selectFrom('predictiveScores')
    .select(['probability', 'scoredAt', 'modelId'])
    .where('workspaceId', '=', workspaceId)
    .where('contactId', '=', contactId)
    .executeTakeFirst()
  if (!row) return null
  const live = await explainContact(db, workspaceId, contactId)
  return {
    probability: row.probability,
    scoredAt: row.scoredAt.toISOString(),
    modelId: row.modelId,
    factors: live?.modelId === row.modelId ? live.factors : [],
  }
}
