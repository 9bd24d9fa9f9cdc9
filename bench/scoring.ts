import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import type { Database } from '../src/server/db/database.ts'
import { rescore, rescoreStatement, scoredCtes } from '../src/server/scoring/engine.ts'
import { loadRules } from '../src/server/scoring/rules.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, isMet, makeMetric } from './report.ts'
import { type BenchTandem, startBenchTandem } from './server.ts'
import { median } from './stats.ts'

export interface ScoringOptions {
  contacts: number
  /** Touches per contact on average, over the last 180 days (2 % of them bots'). */
  touchesPerContact: number
  runs: number
  /** Single-contact rescorings timed per run (the run's value is their median). */
  singles: number
  /** Goal: ms of the full rescoring after a rule change (issue 9: 100,000 contacts ≤ 5 s). */
  fullLimit: number
  /** Goal: ms of one contact's rescoring after a touch (≤ 50 ms). */
  singleLimit: number
}

// BENCH_SCORING_CONTACTS=20000 tries it on a smaller workspace (the goal is stated for 100,000).
export const defaultScoringOptions: ScoringOptions = {
  contacts: Number(process.env.BENCH_SCORING_CONTACTS ?? 100_000),
  touchesPerContact: 5,
  runs: Number(process.env.BENCH_SCORING_RUNS ?? process.env.BENCH_RUNS ?? 5),
  singles: 20,
  fullLimit: 5000,
  singleLimit: 50,
}

/**
 * Scores (issue 9): 100,000 contacts of 5,000 accounts with ~500,000 touches (bulk-inserted,
 * set-based), four fit rules (one on the account's industry, one on its size) and four engagement
 * rules. Each run changes a rule's points (alternating, so every contact's explanation and many
 * scores change) and times rescore(…, 'all', 'rules') — the statement the worker runs for a queued
 * full rescoring — then times `singles` one-contact rescorings, each after a new touch of that
 * contact. Baselines of the same run: `select count(*)` over the touches the full rescoring reads,
 * and, for one contact, the count of its touches.
 *
 * The loads delete the score_queue rows their triggers add in the same transaction, so that the
 * running Tandem's worker does not rescore the bench's contacts meanwhile.
 */
export async function benchScoring(
  options: ScoringOptions = defaultScoringOptions,
): Promise<BenchReport> {
  if (!Number.isInteger(options.contacts) || options.contacts < 1000) {
    throw new Error('BENCH_SCORING_CONTACTS: a whole number of at least 1000')
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) {
    throw new Error('BENCH_SCORING_RUNS: a whole number of at least 1')
  }
  // start, accounts+contacts, touches, rules + first scoring, analyze, runs
  const steps = 1 + 1 + 1 + 1 + 1 + options.runs
  const progress = createProgress('scoring', steps)
  const notes: string[] = []
  let tandem: BenchTandem | undefined
  try {
    progress.update('starting Tandem (--no-demo)')
    tandem = await startBenchTandem('scoring', { role: 'admin', poolMax: 2 })
    const { db, workspaceId } = tandem
    progress.tick('Tandem started')

    const loadStart = performance.now()
    await addContacts(db, workspaceId, options.contacts)
    progress.tick(`${options.contacts.toLocaleString('en')} contacts in 5,000 accounts`)
    const touches = await addTouches(db, workspaceId, options)
    progress.tick(`${touches.toLocaleString('en')} touches`)
    const varied = await addRules(db, workspaceId)
    await sql`analyze`.execute(db)
    progress.tick('rules, analyze')
    const first = performance.now()
    await rescore(db, workspaceId, 'all', 'rules')
    const firstMs = performance.now() - first
    await sql`vacuum (analyze) contact_scores`.execute(db)
    await sql`vacuum (analyze) score_history`.execute(db)
    const loadSeconds = (performance.now() - loadStart) / 1000
    progress.tick(`first scoring in ${Math.round(firstMs)} ms, vacuum analyze`)

    const fulls: number[] = []
    const counts: number[] = []
    const singles: number[] = []
    const singleCounts: number[] = []
    const changed: number[] = []
    const computes: number[] = []
    const agains: number[] = []
    for (let run = 0; run < options.runs; run++) {
      await sql`update scoring_rules set points = ${run % 2 === 0 ? 12 : 8}, updated_at = now()
        where workspace_id = ${workspaceId} and id = ${varied}`.execute(db)
      counts.push(await timeTouchCount(db, workspaceId))
      computes.push(await timeCompute(db, workspaceId))
      const start = performance.now()
      const result = await rescore(db, workspaceId, 'all', 'rules')
      fulls.push(performance.now() - start)
      changed.push(result.changed)
      if (result.scored !== options.contacts) {
        throw new Error(`run ${run + 1}: scored ${result.scored} contacts, not ${options.contacts}`)
      }
      const again = performance.now()
      await rescore(db, workspaceId, 'all', 'rules')
      agains.push(performance.now() - again)
      const { ms, baseline } = await timeSingles(db, workspaceId, options, run)
      singles.push(ms)
      singleCounts.push(baseline)
      progress.tick(
        `run ${run + 1}: all in ${Math.round(fulls.at(-1) ?? 0)} ms (${result.changed} changed), one in ${ms.toFixed(1)} ms`,
      )
    }

    const n = options.contacts.toLocaleString('en')
    const metrics = [
      makeMetric(`full rescoring of ${n} contacts after a rule change`, 'ms', fulls, {
        target: { op: '<=', value: options.fullLimit },
        digits: 0,
      }),
      makeMetric('count(*) of the touches it reads (baseline)', 'ms', counts, { digits: 1 }),
      makeMetric(
        'full rescoring / count(*) (same run)',
        '',
        fulls.map((ms, run) => ms / (counts[run] ?? Number.NaN)),
        { digits: 1 },
      ),
      makeMetric('of which computing the scores (no writes, no goal)', 'ms', computes, {
        digits: 0,
      }),
      makeMetric('full rescoring again at once: nothing to write (no goal)', 'ms', agains, {
        digits: 0,
      }),
      makeMetric("one contact's rescoring after a touch", 'ms', singles, {
        target: { op: '<=', value: options.singleLimit },
        digits: 1,
      }),
      makeMetric("count(*) of one contact's touches (baseline)", 'ms', singleCounts, { digits: 2 }),
      makeMetric(
        'one contact / count(*) (same run)',
        '',
        singles.map((ms, run) => ms / (singleCounts[run] ?? Number.NaN)),
        { digits: 1 },
      ),
      makeMetric(`load ${n} contacts, touches, first scoring`, 's', [loadSeconds], { digits: 1 }),
    ]
    const server = (
      await sql<{ version: string; sharedBuffers: string }>`
        select current_setting('server_version') as version,
          current_setting('shared_buffers') as shared_buffers`.execute(db)
    ).rows[0]
    notes.push(
      `${n} contacts (5,000 accounts), ${touches.toLocaleString('en')} touches over 180 days (2 % bots'), 4 fit and 4 engagement rules, half-life 30 days`,
      `each run changes one engagement rule's points (12 ↔ 8): median ${median(changed)} contacts' scores changed (history rows); the first scoring took ${Math.round(firstMs)} ms`,
      `one contact: median of ${options.singles} rescorings per run, each after a new touch of a different contact`,
      `PostgreSQL ${server?.version}, shared_buffers ${server?.sharedBuffers}`,
    )
    if (metrics.some((metric) => !isMet(metric)) || process.env.BENCH_EXPLAIN === '1') {
      notes.push(...(await explainFull(db, workspaceId)))
    }
    return { name: 'scoring', metrics, notes }
  } finally {
    progress.stop()
    await tandem?.close()
  }
}

/** 5,000 accounts (industries, sizes, regions) and the contacts, a third of them leads. */
async function addContacts(db: Database, workspaceId: string, count: number) {
  await db.transaction().execute(async (trx) => {
    await sql`
      insert into accounts (workspace_id, id, name, industry, employees, region)
      select ${workspaceId}, uuidv7(), 'Account ' || n,
        (array['Software', 'Retail', 'Manufacturing', 'Logistics', 'Finance'])[1 + n % 5],
        (n * 37) % 5000, (array['emea', 'na', 'apac'])[1 + n % 3]
      from generate_series(0, 4999) n`.execute(trx)
    await sql`
      insert into contacts (workspace_id, id, email, first_name, last_name, title, account_id,
        lifecycle_stage, lead_status, source, created_at, updated_at)
      select ${workspaceId}, uuidv7(), 'person' || n || '@scoring.bench', 'Person', 'No. ' || n,
        (array['CTO', 'Engineer', 'Intern', 'Head of Sales', 'Student'])[1 + n % 5],
        a.ids[1 + n % 5000],
        (array['lead', 'customer', 'opportunity'])[1 + n % 3], 'new', 'import', now(), now()
      from generate_series(0, ${count - 1}) n,
        (select array_agg(id order by id) as ids from accounts
          where workspace_id = ${workspaceId}) a`.execute(trx)
    await sql`delete from score_queue where workspace_id = ${workspaceId}`.execute(trx)
  })
}

async function addTouches(db: Database, workspaceId: string, options: ScoringOptions) {
  const total = options.contacts * options.touchesPerContact
  await db.transaction().execute(async (trx) => {
    await sql`
      insert into touchpoints (workspace_id, occurred_at, id, contact_id, type, channel, url,
        event_name, is_bot)
      select ${workspaceId}, now() - (n % 180) * interval '1 day' - (n % 1440) * interval '1 minute',
        uuidv7(), c.id,
        (array['page_view', 'page_view', 'email_open', 'email_click', 'form_submit', 'webinar',
          'content_download'])[1 + n % 7],
        (array['direct', 'email', 'organic_search', 'paid_search'])[1 + n % 4],
        case when n % 3 = 0 then 'https://example.com/pricing' else 'https://example.com/blog/' || n % 50 end,
        null, n % 50 = 0
      from (select id, row_number() over (order by id) - 1 as k from contacts
        where workspace_id = ${workspaceId}) c
      cross join lateral generate_series(c.k * ${options.touchesPerContact},
        c.k * ${options.touchesPerContact} + ${options.touchesPerContact - 1}) n`.execute(trx)
    await sql`delete from score_queue where workspace_id = ${workspaceId}`.execute(trx)
  })
  return total
}

/** The rules; answers the id of the engagement rule whose points each run changes. */
async function addRules(db: Database, workspaceId: string): Promise<string> {
  const rules: [string, string, number, unknown][] = [
    ['fit', 'Software', 30, { all: [{ field: 'account.industry', op: 'eq', value: 'Software' }] }],
    ['fit', 'Mid-market', 20, { all: [{ field: 'account.employees', op: 'gte', value: 200 }] }],
    [
      'fit',
      'Decision maker',
      25,
      { any: [{ field: 'title', op: 'in', value: ['CTO', 'Head of Sales'] }] },
    ],
    ['fit', 'Students', -30, { all: [{ field: 'title', op: 'eq', value: 'Student' }] }],
    ['engagement', 'Pricing page', 10, { types: ['page_view'], urlContains: '/pricing' }],
    ['engagement', 'Email click', 4, { types: ['email_click'] }],
    ['engagement', 'Form', 8, { types: ['form_submit'] }],
    ['engagement', 'Webinar', 6, { types: ['webinar'], channels: ['email', 'direct'] }],
  ]
  const ids = await sql<{ id: string }>`
    insert into scoring_rules (workspace_id, id, kind, name, position, condition, points)
    select ${workspaceId}, uuidv7(), r.kind, r.name, r.ord, r.condition, r.points
    from jsonb_to_recordset(${JSON.stringify(
      rules.map(([kind, name, points, condition], ord) => ({ kind, name, points, condition, ord })),
    )}::jsonb) as r(kind text, name text, points int, condition jsonb, ord int)
    returning id`.execute(db)
  const pricing = ids.rows[4]?.id
  if (!pricing) throw new Error('rules not inserted')
  return pricing
}

async function timeTouchCount(db: Database, workspaceId: string) {
  const start = performance.now()
  await sql`select count(*) from touchpoints t
    where t.workspace_id = ${workspaceId} and not t.is_bot
      and t.occurred_at >= now() - interval '300 days'
      and t.contact_id in (select id from contacts where workspace_id = ${workspaceId}
        and deleted_at is null and merged_into is null)`.execute(db)
  return performance.now() - start
}

/** Median ms of `singles` one-contact rescorings, each after a touch (inserted untimed). */
async function timeSingles(
  db: Database,
  workspaceId: string,
  options: ScoringOptions,
  run: number,
) {
  const picked = await sql<{ id: string }>`
    select id from contacts where workspace_id = ${workspaceId}
    order by md5(id::text || ${run}) limit ${options.singles}`.execute(db)
  const times: number[] = []
  const baselines: number[] = []
  for (const { id } of picked.rows) {
    await db.transaction().execute(async (trx) => {
      await sql`insert into touchpoints (workspace_id, occurred_at, id, contact_id, type, channel, url)
        values (${workspaceId}, now(), uuidv7(), ${id}, 'page_view', 'direct',
          'https://example.com/pricing')`.execute(trx)
      await sql`delete from score_queue where workspace_id = ${workspaceId} and contact_id = ${id}`.execute(
        trx,
      )
    })
    const countStart = performance.now()
    await sql`select count(*) from touchpoints where workspace_id = ${workspaceId}
      and contact_id = ${id}`.execute(db)
    baselines.push(performance.now() - countStart)
    const start = performance.now()
    await rescore(db, workspaceId, [id], 'touch')
    times.push(performance.now() - start)
  }
  return { ms: median(times), baseline: median(baselines) }
}

/** EXPLAIN ANALYZE of a whole-workspace rescoring statement (rolled back). */
async function explainFull(db: Database, workspaceId: string): Promise<string[]> {
  const rules = (await loadRules(db, workspaceId)).filter((rule) => rule.isActive)
  const now = new Date()
  const ctes = scoredCtes({ workspaceId, target: 'all', rules, halfLifeDays: 30, now })
  const statement = rescoreStatement({ workspaceId, ctes, cause: 'rules', now })
  const lines: string[] = []
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`set local work_mem = '64MB'`.execute(trx)
      const plan = await sql<
        Record<string, string>
      >`explain (analyze, buffers) ${statement}`.execute(trx)
      lines.push(...plan.rows.map((row) => `  ${Object.values(row)[0]}`))
      throw new Error('rollback')
    })
    .catch((error: unknown) => {
      if (!(error instanceof Error && error.message === 'rollback')) throw error
    })
  return lines
}

/** ms of computing every contact's scores without writing them (the rest of a rescoring is writes). */
async function timeCompute(db: Database, workspaceId: string) {
  const rules = (await loadRules(db, workspaceId)).filter((rule) => rule.isActive)
  const ctes = scoredCtes({ workspaceId, target: 'all', rules, halfLifeDays: 30, now: new Date() })
  return db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '64MB'`.execute(trx)
    const start = performance.now()
    await sql`with ${ctes} select count(*), sum(fit), sum(engagement),
      sum(jsonb_array_length(explanation)) from scored`.execute(trx)
    return performance.now() - start
  })
}
