import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { getHeapStatistics } from 'node:v8'
import { type RawBuilder, sql } from 'kysely'
import { to as copyTo } from 'pg-copy-streams'
import type { Channel, TouchpointType } from '../src/domain/touchpoints.ts'
import { recomputeAttribution } from '../src/server/attribution/recompute.ts'
import type { Database } from '../src/server/db/database.ts'
import { ensureTouchpointPartitions } from '../src/server/touchpoints/partitions.ts'
import { createProgress, type Progress } from './progress.ts'
import { type BenchReport, isMet, makeMetric } from './report.ts'
import { type BenchTandem, startBenchTandem } from './server.ts'
import { median } from './stats.ts'

/**
 * Issue 12's goal at full size: the full recompute of every model for one conversion kind (`won`)
 * over 10,000,000 touchpoints against `COPY … TO` of the touchpoints it reads, in the same run. The
 * world is synthetic, written by PostgreSQL itself (INSERT … SELECT generate_series) from hashes of
 * each record's number, so every run of the bench builds the same world.
 */
const options = {
  touches: Number(process.env.BENCH_ATTRIBUTION_TOUCHES ?? 10_000_000),
  runs: Number(process.env.BENCH_ATTRIBUTION_RUNS ?? 5),
  chunk: 1_000_000,
  campaigns: 200,
}

const day = 86_400
/** Touches and deals fall in the two years (in seconds) before the start of today, UTC. */
const span = 730 * day

// Channel mix of the touches (percent) and the type of a touch of that channel. Channels with
// campaigns come first: campaign number k runs on channel k % campaignChannels.
const channelMix: readonly (readonly [Channel, number, TouchpointType])[] = [
  ['paid_search', 18, 'ad_click'],
  ['email', 16, 'email_click'],
  ['paid_social', 11, 'ad_click'],
  ['display', 7, 'ad_click'],
  ['events', 5, 'webinar'],
  ['partner', 3, 'page_view'],
  ['other', 2, 'page_view'],
  ['organic_search', 14, 'page_view'],
  ['direct', 12, 'page_view'],
  ['referral', 5, 'page_view'],
  ['organic_social', 3, 'page_view'],
  ['sales', 4, 'meeting'],
]
const campaignChannels = 7
const channelNames = channelMix.map(([channel]) => channel)
const channelTypes = channelMix.map(([, , type]) => type)
/** 100 entries: a uniform pick among them is a channel's 1-based position with the mix's odds. */
const channelPicks = channelMix.flatMap(([, weight], i) => Array<number>(weight).fill(i + 1))
/** How many campaigns each campaign channel has (numbers k with k % campaignChannels = i). */
const campaignsPerChannel = Array.from(
  { length: campaignChannels },
  (_, i) => Math.floor((options.campaigns - 1 - i) / campaignChannels) + 1,
)

export interface World {
  touches: number
  accounts: number
  contacts: number
  deals: number
}

interface Setup {
  workspaceId: string
  currency: string
  pipelineId: string
  openStageIds: string[]
  wonStageId: string
  lostStageId: string
}

/** What the world's statements share: where they write, its size and the day it ends. */
interface Load {
  db: Database
  setup: Setup
  world: World
  asOf: Date
}

const int = (value: number) => sql.lit(Math.floor(value))
const before = (asOf: Date, seconds: number) =>
  sql`${sql.lit(new Date(asOf.getTime() - seconds * 1000).toISOString())}::timestamptz`

/** A uniform number in [0, 1) from the integer expression `n` and a seed (PostgreSQL's hash). */
const draw = (n: string, seed: number) =>
  sql<number>`((hashint8extended((${sql.raw(n)})::int8, ${int(seed)}) & 2147483647)::float8
    / 2147483648)`

/** The id of record number `n` of a kind: an md5 uuid, the same in every run. */
const idOf = (kind: string, n: string | RawBuilder<unknown>) =>
  sql`md5(${sql.lit(`${kind}-`)} || (${typeof n === 'string' ? sql.raw(n) : n}))::uuid`

/** When touch number `n` happened; a contact's lead creation is the time of its own touch. */
const touchAt = (asOf: Date, n: string) =>
  sql`(${before(asOf, 0)} - floor(${draw(n, 2)} * ${int(span)}) * interval '1 second')`

/** Statements of the load, with the queueing triggers (and FK checks) of replication off. */
async function writeQuietly(db: Database, ...statements: RawBuilder<unknown>[]) {
  await db.transaction().execute(async (trx) => {
    // The rows are consistent by construction; with the triggers on, every contact and touch would
    // be queued for scoring and attribution, and the live worker would churn through them.
    await sql`set local session_replication_role = replica`.execute(trx)
    for (const statement of statements) await statement.execute(trx)
  })
}

/** The default pipeline (made by the first read of /pipelines, as the web app's) and its stages. */
async function loadSetup(tandem: BenchTandem): Promise<Setup> {
  const { db, base, key, workspaceId } = tandem
  const response = await fetch(`${base}/api/v1/pipelines`, {
    headers: { authorization: `Bearer ${key}` },
  })
  await response.arrayBuffer()
  if (!response.ok) throw new Error(`GET /api/v1/pipelines answered ${response.status}`)
  const stages = await sql<{ id: string; pipelineId: string; isWon: boolean; isLost: boolean }>`
    select s.id, s.pipeline_id, s.is_won, s.is_lost from stages s
    join pipelines p on p.workspace_id = s.workspace_id and p.id = s.pipeline_id
    where s.workspace_id = ${workspaceId} and p.is_default and p.deleted_at is null
      and s.deleted_at is null
    order by s.position`.execute(db)
  const won = stages.rows.find((s) => s.isWon)
  const lost = stages.rows.find((s) => s.isLost)
  const open = stages.rows.filter((s) => !s.isWon && !s.isLost).map((s) => s.id)
  if (!won || !lost || open.length === 0) {
    throw new Error('The default pipeline needs open, won and lost stages')
  }
  const workspace = await db
    .selectFrom('workspaces')
    .select('baseCurrency')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  return {
    workspaceId,
    currency: workspace.baseCurrency,
    pipelineId: won.pipelineId,
    openStageIds: open,
    wonStageId: won.id,
    lostStageId: lost.id,
  }
}

/**
 * 200 campaigns over the paid and outbound channels with 24 monthly costs each; accounts; contacts
 * (account = number mod accounts, so account a has contacts a, a + accounts, …), 70 % with a
 * lead-creation touch (their own touch number, a form submission); deals on uniform accounts, each
 * with a primary contact of its account.
 */
async function addRecords({ db, setup, world, asOf }: Load, progress: Progress) {
  const ws = setup.workspaceId
  const today = sql.lit(asOf.toISOString())
  await writeQuietly(
    db,
    sql`
      insert into campaigns (workspace_id, id, name, channel, type, starts_on, ends_on, budget,
        currency, utm_campaigns)
      select ${ws}::uuid, ${idOf('campaign', 'k')}, 'Campaign ' || k, channel, channel,
        (${before(asOf, span)})::date, ${today}::date, 2400000 + k * 10000, ${setup.currency},
        array['campaign-' || k]
      from generate_series(0, ${int(options.campaigns - 1)}) as k,
        lateral (select (${channelNames}::text[])[1 + k % ${int(campaignChannels)}] as channel) c`,
    sql`
      insert into campaign_costs (workspace_id, id, campaign_id, incurred_on, amount, currency,
        note)
      select ${ws}::uuid, ${idOf('cost', 'k * 100 + m')}, ${idOf('campaign', 'k')},
        (${today}::date - m * interval '1 month')::date,
        (500 + floor(4500 * ${draw('k * 100 + m', 30)}))::int8 * 100, ${setup.currency},
        'Monthly spend'
      from generate_series(0, ${int(options.campaigns - 1)}) as k, generate_series(0, 23) as m`,
    sql`
      insert into accounts (workspace_id, id, name, domain, employees, lifecycle_stage, created_at,
        updated_at)
      select ${ws}::uuid, ${idOf('account', 'n')}, 'Account ' || n, 'account-' || n || '.example',
        (10 + floor(5000 * power(${draw('n', 40)}, 3)))::int, 'customer',
        ${before(asOf, span + 60 * day)}, ${before(asOf, span + 60 * day)}
      from generate_series(1, ${int(world.accounts)}) as n`,
  )
  progress.tick(`${options.campaigns} campaigns, ${world.accounts.toLocaleString('en')} accounts`)

  await writeQuietly(
    db,
    sql`
      insert into contacts (workspace_id, id, email, first_name, last_name, account_id,
        lifecycle_stage, source, identified_at, lead_creation_touchpoint_id, lead_creation_at,
        lead_creation_type, created_at, updated_at)
      select ${ws}::uuid, ${idOf('contact', 'n')},
        'contact-' || n || '@account-' || a || '.example', 'Contact', n::text,
        ${idOf('account', 'a')}, 'lead', 'website', lc_at,
        case when has_lc then ${idOf('touch', 'n')} end, lc_at,
        case when has_lc then 'form_submit' end,
        coalesce(lc_at, ${before(asOf, span + 30 * day)}),
        coalesce(lc_at, ${before(asOf, span + 30 * day)})
      from (
        select n, 1 + (n - 1) % ${int(world.accounts)} as a, has_lc,
          case when has_lc then ${touchAt(asOf, 'n')} end as lc_at
        from (select n, ${draw('n', 20)} < 0.7 as has_lc
          from generate_series(1, ${int(world.contacts)}::int8) as n) s
      ) c`,
  )
  progress.tick(`${world.contacts.toLocaleString('en')} contacts`)

  // Half the deals won and a quarter lost, closed 10-120 days after they were created (never
  // after today); the rest open. Amounts 1,000-100,000 in the base currency's minor units.
  const openStage = sql`(${setup.openStageIds}::uuid[])
    [1 + floor(${int(setup.openStageIds.length)} * r_stage)::int]`
  await writeQuietly(
    db,
    sql`
      with drawn as materialized (
        select d, 1 + floor(${int(world.accounts)} * ${draw('d', 10)})::int8 as a,
          floor(5 * ${draw('d', 11)})::int8 as k, ${draw('d', 12)} as r_status,
          10 + floor(111 * ${draw('d', 13)}) as cycle, ${draw('d', 14)} as r_when,
          ${draw('d', 15)} as r_amount, ${draw('d', 16)} as r_stage
        from generate_series(1, ${int(world.deals)}::int8) as d
      ),
      dated as (
        select drawn.*, status, created_at,
          case when status <> 'open' then created_at + cycle * interval '1 day' end as closed_at
        from drawn,
          lateral (select case when r_status < 0.5 then 'won' when r_status < 0.75 then 'lost'
            else 'open' end as status) s,
          lateral (select case when status = 'open'
            then ${before(asOf, 0)} - floor(r_when * ${int(span)}) * interval '1 second'
            else ${before(asOf, span)}
              + floor(r_when * (${int(span)} - cycle * ${int(day)})) * interval '1 second'
            end as created_at) c
      ),
      deal as (
        insert into deals (workspace_id, id, name, account_id, pipeline_id, stage_id, amount,
          currency, close_date, forecast_category, closed_at, created_at, updated_at)
        select ${ws}::uuid, ${idOf('deal', 'd')}, 'Deal ' || d, ${idOf('account', 'a')},
          ${setup.pipelineId}::uuid,
          case status when 'won' then ${setup.wonStageId}::uuid
            when 'lost' then ${setup.lostStageId}::uuid else ${openStage} end,
          (1000 + floor(99001 * r_amount))::int8 * 100, ${setup.currency},
          (created_at + cycle * interval '1 day')::date,
          case status when 'won' then 'closed_won' when 'lost' then 'omitted' else 'pipeline' end,
          closed_at, created_at, coalesce(closed_at, created_at)
        from dated
      )
      insert into deal_contacts (workspace_id, deal_id, contact_id, role, is_primary)
      select ${ws}::uuid, ${idOf('deal', 'd')},
        ${idOf('contact', sql`a + ${int(world.accounts)} * k`)}, 'decision_maker', true
      from drawn`,
  )
  progress.tick(`${world.deals.toLocaleString('en')} deals`)
}

/**
 * Touches number `from`…`to`: touch n ≤ contacts is contact n's own (its lead-creation touch when
 * it has one), later ones go to contacts skewed towards the low numbers (some people touch a lot);
 * each carries its contact's account. 60 % have a campaign of their channel, 2 % are bots'.
 */
async function addTouches({ db, setup, world, asOf }: Load, from: number, to: number) {
  const contacts = int(world.contacts)
  const campaign = sql`ch - 1 + ${int(campaignChannels)}
    * floor(r_pick * (${campaignsPerChannel}::int[])[ch])::int`
  await writeQuietly(
    db,
    sql`
      insert into touchpoints (workspace_id, id, occurred_at, received_at, contact_id, account_id,
        type, channel, campaign_id, url, is_bot, bot_reason)
      select ${setup.workspaceId}::uuid, ${idOf('touch', 'n')}, at, at, ${idOf('contact', 'c')},
        ${idOf('account', sql`1 + (c - 1) % ${int(world.accounts)}`)},
        case when is_lc then 'form_submit' else (${channelTypes}::text[])[ch] end,
        (${channelNames}::text[])[ch],
        case when ch <= ${int(campaignChannels)} and r_campaign < 0.97
          then ${idOf('campaign', campaign)} end,
        'https://bench.example/p/' || n % 500, is_bot, case when is_bot then 'bot_user_agent' end
      from (
        select n, c, ${touchAt(asOf, 'n')} as at,
          (${channelPicks}::int[])[1 + floor(100 * ${draw('n', 3)})::int] as ch,
          ${draw('n', 4)} as r_campaign, ${draw('n', 5)} as r_pick,
          n <= ${contacts} and ${draw('n', 20)} < 0.7 as is_lc,
          n > ${contacts} and ${draw('n', 6)} < 0.02 as is_bot
        from (
          select n, case when n <= ${contacts} then n
            else 1 + floor(${contacts} * power(${draw('n', 1)}, 1.5))::int8 end as c
          from generate_series(${int(from)}::int8, ${int(to)}::int8) as n
        ) s
      ) t`,
  )
}

/**
 * Writes the world, touches in chunks with the touchpoints' secondary indexes dropped and rebuilt
 * from their definitions afterwards (the usual bulk load); empties the scoring and attribution
 * queues of the workspace, then VACUUM ANALYZE as autovacuum would. Answers where the time went.
 */
export async function generateWorld(tandem: BenchTandem, world: World, progress: Progress) {
  const { db, workspaceId } = tandem
  const now = new Date()
  const asOf = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
  const load: Load = { db, setup: await loadSetup(tandem), world, asOf }
  await ensureTouchpointPartitions(db, new Date(asOf.getTime() - span * 1000), asOf)
  progress.tick('default pipeline, monthly touchpoint partitions')

  const start = performance.now()
  await addRecords(load, progress)
  const indexes = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = 'touchpoints'
      and indexname <> 'touchpoints_pkey'
    order by indexname`.execute(db)
  for (const index of indexes.rows) await sql`drop index ${sql.ref(index.name)}`.execute(db)
  progress.setTotal(stepsOf(world) + indexes.rows.length)
  for (let from = 1; from <= world.touches; from += options.chunk) {
    const to = Math.min(world.touches, from + options.chunk - 1)
    await addTouches(load, from, to)
    progress.tick(`${to.toLocaleString('en')} touches`)
  }
  const rows = (performance.now() - start) / 1000

  const indexStart = performance.now()
  for (const index of indexes.rows) {
    await db.transaction().execute(async (trx) => {
      await sql`set local maintenance_work_mem = '1GB'`.execute(trx)
      // The partitioned table's own definition reads "ON ONLY"; without it, every partition too.
      await sql.raw(index.definition.replace(' ON ONLY ', ' ON ')).execute(trx)
    })
    progress.tick(`index ${index.name}`)
  }
  const indexSeconds = (performance.now() - indexStart) / 1000

  // Nothing should be queued (the load ran with the queueing triggers off); whatever is, goes, so
  // the live worker of `tandem start` stays idle while the recompute is timed.
  const dequeued = await sql<{ score: number; attribution: number }>`
    with score as (delete from score_queue where workspace_id = ${workspaceId} returning 1),
      attribution as (delete from attribution_queue where workspace_id = ${workspaceId} returning 1)
    select (select count(*) from score) as score, (select count(*) from attribution) as attribution
  `.execute(db)
  const vacuumStart = performance.now()
  await sql`vacuum (analyze) touchpoints, contacts, accounts, deals, deal_contacts, campaigns,
    campaign_costs`.execute(db)
  progress.tick('vacuum analyze')
  return {
    seconds: { rows, indexes: indexSeconds, vacuum: (performance.now() - vacuumStart) / 1000 },
    dequeued: dequeued.rows[0],
  }
}

async function countWorld(db: Database, workspaceId: string) {
  const touches = sql`touchpoints where workspace_id = ${workspaceId}`
  const counts = await sql<Record<string, number>>`
    select (select count(*) from ${touches}) as touches,
      (select count(*) from ${touches} and not is_bot) as human_touches,
      (select count(*) from ${touches} and campaign_id is not null) as campaign_touches,
      (select count(*) from contacts where workspace_id = ${workspaceId}) as contacts,
      (select count(*) from accounts where workspace_id = ${workspaceId}) as accounts,
      (select count(*) from deals where workspace_id = ${workspaceId}) as deals,
      (select count(*) from deals d join stages s on s.workspace_id = d.workspace_id
        and s.id = d.stage_id where d.workspace_id = ${workspaceId} and s.is_won) as won_deals
  `.execute(db)
  const row = counts.rows[0] ?? {}
  const n = (key: string) => Number(row[key]).toLocaleString('en')
  return `${n('touches')} touchpoints (${n('humanTouches')} not a bot's, ${n('campaignTouches')} with a campaign), ${n('contacts')} contacts, ${n('accounts')} accounts, ${n('deals')} deals (${n('wonDeals')} won)`
}

/** A recompute or training the live worker was asked to run (e.g. the nightly one) competes. */
async function findWorkerWork(db: Database, workspaceId: string): Promise<string | undefined> {
  const found = await sql<{ attribution: string | null; predictive: string | null }>`
    select (select status from attribution_runs where workspace_id = ${workspaceId}) as attribution,
      (select status from predictive_training where workspace_id = ${workspaceId}) as predictive
  `.execute(db)
  const row = found.rows[0]
  const busy = (status: string | null | undefined) => status === 'queued' || status === 'running'
  if (busy(row?.attribution)) return `the worker's attribution recompute was ${row?.attribution}`
  if (busy(row?.predictive)) return `the worker's predictive training was ${row?.predictive}`
  return undefined
}

/** Seconds of `COPY … TO` (discarded) of the columns attribution reads of a workspace's touches. */
export async function copySeconds(pool: BenchTandem['pool'], workspaceId: string): Promise<number> {
  const client = await pool.connect()
  try {
    const start = performance.now()
    const statement = `copy (select id, contact_id, account_id, occurred_at, channel, campaign_id from touchpoints where workspace_id = '${workspaceId}' and not is_bot) to stdout`
    await pipeline(
      client.query(copyTo(statement)),
      new Writable({ write: (_chunk, _encoding, done) => done() }),
    )
    return (performance.now() - start) / 1000
  } finally {
    client.release()
  }
}

const stepsOf = (world: World) => 5 + Math.ceil(world.touches / options.chunk) + 1 + options.runs

export async function benchAttribution10m(): Promise<BenchReport> {
  const { touches, runs } = options
  if (!Number.isInteger(touches) || touches < 1000 || touches > 100_000_000) {
    throw new Error('BENCH_ATTRIBUTION_TOUCHES: a whole number from 1,000 to 100,000,000')
  }
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
    throw new Error('BENCH_ATTRIBUTION_RUNS: a whole number from 1 to 50')
  }
  const world: World = {
    touches,
    accounts: Math.floor(touches / 100),
    contacts: Math.floor(touches / 20),
    deals: Math.floor(touches / 250),
  }
  const progress = createProgress('attribution-10m', stepsOf(world))
  let tandem: BenchTandem | undefined
  try {
    tandem = await startBenchTandem('attribution-10m', { role: 'admin', poolMax: 2 })
    const { db, workspaceId } = tandem
    progress.tick('Tandem started')
    const generated = await generateWorld(tandem, world, progress)
    const counted = await countWorld(db, workspaceId)

    const copies: number[] = []
    const recomputes: number[] = []
    const interference = new Set<string>()
    for (let run = 0; run < runs; run++) {
      copies.push(await copySeconds(tandem.pool, tandem.workspaceId))
      const busyBefore = await findWorkerWork(db, workspaceId)
      const start = performance.now()
      await recomputeAttribution(db, workspaceId, { kinds: ['won'] })
      recomputes.push((performance.now() - start) / 1000)
      for (const busy of [busyBefore, await findWorkerWork(db, workspaceId)]) {
        if (busy) interference.add(`run ${run + 1}: ${busy}`)
      }
      progress.tick(
        `run ${run + 1}: recompute ${recomputes.at(-1)?.toFixed(1)} s, COPY TO ${copies.at(-1)?.toFixed(2)} s`,
      )
    }

    const metrics = [
      makeMetric('full recompute, won only (11 models)', 's', recomputes, { digits: 1 }),
      makeMetric('COPY … TO of the touchpoints it reads (baseline)', 's', copies, { digits: 2 }),
      makeMetric(
        'recompute / COPY TO (same run)',
        '×',
        recomputes.map((s, i) => s / (copies[i] ?? Number.NaN)),
        { target: { op: '<=', value: 3 }, digits: 1 },
      ),
    ]
    const { seconds, dequeued } = generated
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`
    const notes = [
      `world: ${counted}`,
      `generation ${(seconds.rows + seconds.indexes + seconds.vacuum).toFixed(0)} s: rows ${seconds.rows.toFixed(0)} s, touchpoint indexes ${seconds.indexes.toFixed(0)} s, vacuum analyze ${seconds.vacuum.toFixed(0)} s; queue rows removed: ${dequeued?.score ?? 0} scoring, ${dequeued?.attribution ?? 0} attribution`,
      `recompute medians ${median(recomputes).toFixed(1)} s vs COPY TO ${median(copies).toFixed(2)} s; peak RSS of the bench process (the recompute runs in it) ${mb(process.resourceUsage().maxRSS * 1024)}, V8 heap limit ${mb(getHeapStatistics().heap_size_limit)}`,
      ...[...interference].map((line) => `warning: ${line}`),
      `load average at the end (1 min): ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs${metrics.some((m) => !isMet(m)) ? '; goal missed' : ''}`,
    ]
    return { name: 'attribution-10m', metrics, notes }
  } finally {
    progress.stop()
    await tandem?.close()
  }
}
