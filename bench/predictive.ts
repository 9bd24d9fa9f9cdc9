import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import type { Database } from '../src/server/db/database.ts'
import { extractLeads } from '../src/server/predictive/features.ts'
import { scoreContacts, trainModel } from '../src/server/predictive/train.ts'
import { ensureTouchpointPartitions } from '../src/server/touchpoints/partitions.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, makeMetric } from './report.ts'
import { type BenchTandem, startBenchTandem } from './server.ts'
import { median } from './stats.ts'

export interface PredictiveOptions {
  leads: number
  runs: number
  /** Goal: seconds to train on the workspace's leads (issue 10: 100,000 leads ≤ 60 s). */
  trainLimit: number
  /** Goal: leads scored per second (≥ 10,000). */
  scoreMin: number
}

// BENCH_PREDICTIVE_LEADS=20000 tries it on a smaller workspace (the goal is stated for 100,000).
export const defaultPredictiveOptions: PredictiveOptions = {
  leads: Number(process.env.BENCH_PREDICTIVE_LEADS ?? 100_000),
  runs: Number(process.env.BENCH_PREDICTIVE_RUNS ?? process.env.BENCH_RUNS ?? 5),
  trainLimit: 60,
  scoreMin: 10_000,
}

const day = 86_400_000

/**
 * Predictive scoring in the product (issue 10): a workspace of `leads` leads created over three
 * years (5,000 accounts, ~3 touches per lead around lead creation, lifecycle entries, customers
 * planted from persona, size and region). Each run times the whole training as the worker runs it
 * — features at lead creation, both learners, calibration, the holdout measurement, storing the
 * model and scoring every contact with its top factors — then a rescoring of every contact with
 * the stored model. Baseline of the same run: reading the features alone (extractLeads).
 */
export async function benchPredictive(
  options: PredictiveOptions = defaultPredictiveOptions,
): Promise<BenchReport> {
  if (!Number.isInteger(options.leads) || options.leads < 5000) {
    throw new Error('BENCH_PREDICTIVE_LEADS: a whole number of at least 5000')
  }
  const progress = createProgress('predictive', 2 + options.runs)
  let tandem: BenchTandem | undefined
  try {
    progress.update('starting Tandem (--no-demo)')
    tandem = await startBenchTandem('predictive', { role: 'admin', poolMax: 2 })
    const { db, workspaceId } = tandem
    progress.tick('Tandem started')
    const loadStart = performance.now()
    const touches = await addLeads(db, workspaceId, options.leads)
    await sql`analyze`.execute(db)
    const loadSeconds = (performance.now() - loadStart) / 1000
    progress.tick(
      `${options.leads.toLocaleString('en')} leads, ${touches.toLocaleString('en')} touches`,
    )

    const trains: number[] = []
    const extracts: number[] = []
    const scores: number[] = []
    const aucs: string[] = []
    for (let run = 0; run < options.runs; run++) {
      const e = performance.now()
      const leads = await extractLeads(db, workspaceId, 'all', new Date(), { baseline: true })
      extracts.push((performance.now() - e) / 1000)
      const t = performance.now()
      const trained = await trainModel(db, workspaceId, new Date(), { qualify: false })
      trains.push((performance.now() - t) / 1000)
      const s = performance.now()
      const scored = await scoreContacts(db, workspaceId, 'all', new Date(), { qualify: false })
      scores.push(scored / ((performance.now() - s) / 1000))
      const { holdout, chosen, sizes } = trained.report
      aucs.push(
        `run ${run + 1}: ${chosen} on ${sizes.train.toLocaleString('en')} training leads, holdout AUC ${holdout.auc.toFixed(3)} (rule score ${holdout.baselineAuc?.toFixed(3)})`,
      )
      progress.tick(
        `run ${run + 1}: trained in ${trains.at(-1)?.toFixed(1)} s, ${Math.round(scores.at(-1) ?? 0)} leads/s (${leads.contactIds.length} read)`,
      )
    }
    const n = options.leads.toLocaleString('en')
    return {
      name: 'predictive',
      metrics: [
        makeMetric(`train on ${n} leads (features, both learners, store, score all)`, 's', trains, {
          target: { op: '<=', value: options.trainLimit },
          digits: 1,
        }),
        makeMetric('reading the features alone (baseline)', 's', extracts, { digits: 1 }),
        makeMetric(
          'training / reading the features (same run)',
          '',
          trains.map((s, run) => s / (extracts[run] ?? Number.NaN)),
          { digits: 1 },
        ),
        makeMetric(
          'scoring every lead with the stored model (read, score, write)',
          'leads/s',
          scores,
          {
            target: { op: '>=', value: options.scoreMin },
            digits: 0,
          },
        ),
        makeMetric('load the workspace', 's', [loadSeconds], { digits: 1 }),
      ],
      notes: [
        `${n} leads over 3 years, 5,000 accounts, ${touches.toLocaleString('en')} touches; median training ${median(trains).toFixed(1)} s`,
        ...aucs,
      ],
    }
  } finally {
    progress.stop()
    await tandem?.close()
  }
}

/** Accounts, leads with lifecycle entries (customers planted) and touches around lead creation. */
export async function addLeads(db: Database, workspaceId: string, count: number): Promise<number> {
  const now = Date.now()
  await ensureTouchpointPartitions(db, new Date(now - 3 * 365 * day - 60 * day), new Date(now))
  return db.transaction().execute(async (trx) => {
    await sql`
      insert into accounts (workspace_id, id, name, industry, employees, region)
      select ${workspaceId}, uuidv7(), 'Account ' || n,
        (array['Software', 'Retail', 'Manufacturing', 'Logistics', 'Finance'])[1 + n % 5],
        (n * 37) % 5000, (array['emea', 'na', 'apac'])[1 + n % 3]
      from generate_series(0, 4999) n`.execute(trx)
    await sql`
      create temporary table bench_leads on commit drop as
      select uuidv7() as id, n, a.ids[1 + (n * 7919) % 5000] as account_id,
        now() - make_interval(secs => (${count} - n)::float8 * 3 * 365 * 86400 / ${count}) as t0,
        (array['economic_buyer', 'technical_buyer', 'user', 'champion'])[1 + n % 4] as persona,
        ((hashtext('u' || n) & 65535)::float8 / 65536) as u
      from generate_series(1, ${count}) n,
        (select array_agg(id order by id) as ids from accounts where workspace_id = ${workspaceId}) a`.execute(
      trx,
    )
    await sql`
      insert into contacts (workspace_id, id, email, title, persona, account_id, lifecycle_stage,
        source, created_at, updated_at)
      select ${workspaceId}, l.id, 'lead' || l.n || '@predictive.bench',
        (array['CTO', 'Engineer', 'Intern', 'Head of Sales', 'Student'])[1 + l.n % 5], l.persona,
        l.account_id, 'lead', (array['website', 'event', 'paid', 'referral'])[1 + l.n % 4], l.t0, l.t0
      from bench_leads l`.execute(trx)
    await sql`
      insert into lifecycle_entries (workspace_id, id, entity, record_id, stage, entered_at)
      select ${workspaceId}::uuid, uuidv7(), 'contact', l.id, 'lead', l.t0 from bench_leads l
      union all
      select ${workspaceId}::uuid, uuidv7(), 'contact', l.id, 'customer', l.t0 + interval '40 days'
      from bench_leads l join accounts a on a.workspace_id = ${workspaceId} and a.id = l.account_id
      where l.t0 + interval '40 days' < now() and l.u < 0.03
        * case l.persona when 'economic_buyer' then 3 when 'champion' then 1.5 else 0.6 end
        * case when a.employees between 200 and 2000 then 2 else 1 end
        * case a.region when 'emea' then 1.6 else 1 end`.execute(trx)
    const touches = await sql`
      insert into touchpoints (workspace_id, occurred_at, id, contact_id, type, channel, url, is_bot)
      select ${workspaceId}, l.t0 - (k * 5) * interval '1 day' + (l.n % 3) * interval '2 days',
        uuidv7(), l.id,
        (array['page_view', 'email_open', 'email_click', 'form_submit', 'webinar', 'content_download'])[1 + (l.n + k) % 6],
        (array['direct', 'email', 'organic_search', 'paid_search'])[1 + (l.n * k) % 4],
        'https://example.com/' || (l.n + k) % 20, (l.n + k) % 60 = 0
      from bench_leads l, generate_series(0, 2) k`.execute(trx)
    await sql`delete from score_queue where workspace_id = ${workspaceId}`.execute(trx)
    return Number(touches.numAffectedRows ?? 0)
  })
}
