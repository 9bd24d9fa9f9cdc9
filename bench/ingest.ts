import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pipeline } from 'node:stream/promises'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { from as copyFrom } from 'pg-copy-streams'
import { uuidv7 } from 'uuidv7'
import { ensureTouchpointPartitions } from '../src/server/touchpoints/partitions.ts'
import { makeTempDir, removeDataDir } from './processes.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, makeMetric } from './report.ts'
import { type BenchTandem, startBenchTandem } from './server.ts'
import { median } from './stats.ts'

/**
 * Issue 5: sustained events/s through POST /v1/batch (batches of 100: 70% page, 25% track,
 * 5% identify) into committed, deduplicated rows, against a raw COPY of the same rows into the
 * same tables (touchpoints + touchpoint_message_ids) in the same run; p99 acknowledgement latency
 * at half that load; and overload (503 + Retry-After, bounded memory, nothing acknowledged lost).
 */

export interface IngestBenchOptions {
  /** Seconds of sustained load (the issue: 3 minutes). */
  sustainSeconds: number
  /** Runs of the half-load latency measurement and of the COPY baseline. */
  runs: number
  latencySeconds: number
  overloadSeconds: number
  connections: number
  copyRows: number
}

export const defaultIngestOptions: IngestBenchOptions = {
  sustainSeconds: Number(process.env.BENCH_INGEST_SECONDS ?? 180),
  runs: Number(process.env.BENCH_INGEST_RUNS ?? 5),
  latencySeconds: 15,
  overloadSeconds: 20,
  connections: 32,
  copyRows: 200_000,
}

const batchSize = 100
const users = 50_000
const visitors = 200_000
const events = [
  'Form Submitted',
  'Content Downloaded',
  'Webinar Attended',
  'Pricing Viewed',
  'Trial Started',
]
const campaigns = [
  { source: 'google', medium: 'cpc', name: 'brand-search' },
  { source: 'newsletter', medium: 'email', name: 'november' },
  { source: 'linkedin', medium: 'paid_social', name: 'abm-q4' },
]

/** Deterministic events with unique messageIds: the n-th event of the whole benchmark. */
export class EventSource {
  private n = 0
  constructor(private readonly prefix: string) {}

  next(): Record<string, unknown> {
    const n = this.n++
    const slot = n % 20
    const messageId = `${this.prefix}-${n}`
    const timestamp = new Date(Date.now() - (n % 3600) * 1000).toISOString()
    const user = n % users
    const isKnown = n % 2 === 0
    const who = isKnown ? { userId: `user-${user}` } : { anonymousId: `visitor-${n % visitors}` }
    if (slot === 0) {
      return {
        type: 'identify',
        messageId,
        timestamp,
        userId: `user-${user}`,
        anonymousId: `visitor-${(n * 7) % visitors}`,
        traits: { email: `person${user}@bench.example`, firstName: 'Bench', plan: 'trial' },
      }
    }
    const context = {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36',
      ...(n % 3 === 0 ? { campaign: campaigns[n % campaigns.length] } : {}),
    }
    if (slot <= 5) {
      return {
        type: 'track',
        messageId,
        timestamp,
        ...who,
        event: events[n % events.length],
        properties: { plan: 'pro', value: n % 100 },
        context,
      }
    }
    return {
      type: 'page',
      messageId,
      timestamp,
      ...who,
      name: 'Pricing',
      properties: {
        url: `https://northwind.example/p/${n % 500}`,
        referrer: n % 4 === 0 ? 'https://www.google.com/' : '',
        title: 'Pricing',
      },
      context,
    }
  }

  batch(): string {
    return JSON.stringify({ batch: Array.from({ length: batchSize }, () => this.next()) })
  }
}

async function makeWriteKey(tandem: BenchTandem) {
  const response = await fetch(`${tandem.base}/api/v1/write-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tandem.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  })
  if (response.status !== 201)
    throw new Error(`write key: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { data: { key: string } }).data.key
}

interface LoadResult {
  ok: number
  refused: number
  other: number
  p99: number
  seconds: number
}

/** POSTs batches for `seconds`; counts 200s (each 100 acknowledged events), 503s and others. */
async function load(
  base: string,
  writeKey: string,
  source: EventSource,
  seconds: number,
  options: { connections: number; overallRate?: number },
): Promise<LoadResult> {
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
  const result: LoadResult = {
    ok: 0,
    refused: 0,
    other: 0,
    p99: 0,
    seconds,
  }
  const start = performance.now()
  let finish: (result: autocannon.Result) => void = () => {}
  let fail: (error: Error) => void = () => {}
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve
    fail = reject
  })
  const instance = autocannon(
    {
      url: `${base}/v1/batch`,
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      connections: options.connections,
      duration: seconds,
      ...(options.overallRate ? { overallRate: options.overallRate } : {}),
      requests: [{ setupRequest: (request) => ({ ...request, body: source.batch() }) }],
    },
    (error: Error | null, finished: autocannon.Result) => (error ? fail(error) : finish(finished)),
  )
  instance.on('response', (_client: unknown, statusCode: number) => {
    if (statusCode === 200) result.ok += 1
    else if (statusCode === 503 || statusCode === 429) result.refused += 1
    else result.other += 1
  })
  const finished = await done
  result.p99 = finished.latency.p99
  result.seconds = (performance.now() - start) / 1000
  return result
}

/** Posts batches to /v1/batch and tallies the answers: 200s (with their latency), 503/429s, others. */
class BatchSender {
  readonly result: LoadResult
  private readonly latencies: number[] = []
  private readonly headers: Record<string, string>
  private readonly start = performance.now()

  constructor(
    private readonly base: string,
    writeKey: string,
    seconds: number,
  ) {
    this.headers = {
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    }
    this.result = { ok: 0, refused: 0, other: 0, p99: 0, seconds }
  }

  /** The answer's status and, when refused, the seconds it asks to wait. */
  async send(body: string): Promise<{ status: number; retryAfter: number }> {
    const sent = performance.now()
    const response = await fetch(`${this.base}/v1/batch`, {
      method: 'POST',
      headers: this.headers,
      body,
    })
    await response.arrayBuffer()
    const status = response.status
    if (status === 200) {
      this.result.ok += 1
      this.latencies.push(performance.now() - sent)
    } else if (status === 503 || status === 429) this.result.refused += 1
    else this.result.other += 1
    return { status, retryAfter: Number(response.headers.get('retry-after') ?? 1) }
  }

  finish(): LoadResult {
    this.latencies.sort((a, b) => a - b)
    this.result.p99 = this.latencies[Math.floor(this.latencies.length * 0.99)] ?? 0
    this.result.seconds = (performance.now() - this.start) / 1000
    return this.result
  }
}

/**
 * Sustained load as Segment's libraries send it: `connections` senders each posting one batch at a
 * time and, answered 503, waiting Retry-After before sending the same batch again.
 */
async function loadWithBackoff(
  base: string,
  writeKey: string,
  source: EventSource,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const sender = new BatchSender(base, writeKey, seconds)
  const deadline = performance.now() + seconds * 1000
  const loop = async () => {
    let body: string | undefined
    while (performance.now() < deadline) {
      body ??= source.batch()
      const { status, retryAfter } = await sender.send(body)
      if (status === 503 || status === 429) {
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000))
      } else body = undefined
    }
  }
  await Promise.all(Array.from({ length: connections }, loop))
  return sender.finish()
}

/**
 * `rate` batches a second, evenly spaced and each sent at its time whatever the earlier ones are
 * doing (no sender waits on another, so slow answers cannot hide later ones): the p99 of the time
 * from sending to the 200.
 */
async function loadPaced(
  base: string,
  writeKey: string,
  source: EventSource,
  seconds: number,
  rate: number,
): Promise<LoadResult> {
  const sender = new BatchSender(base, writeKey, seconds)
  const start = performance.now()
  const inflight: Promise<unknown>[] = []
  for (let i = 0; i < seconds * rate; i++) {
    const body = source.batch()
    const wait = start + (i * 1000) / rate - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    inflight.push(sender.send(body))
  }
  await Promise.all(inflight)
  return sender.finish()
}

async function storedEvents(tandem: BenchTandem, workspaceId: string) {
  const row = await sql<{ count: string }>`
    select count(*) as count from touchpoint_message_ids where workspace_id = ${workspaceId}
  `.execute(tandem.db)
  return Number(row.rows[0]?.count ?? 0)
}

/** Waits until every acknowledged event is written (the health check's inbox count); seconds. */
async function drain(base: string, timeoutMs = 600_000): Promise<number> {
  const start = performance.now()
  for (;;) {
    const health = (await (await fetch(`${base}/api/health`)).json()) as {
      ingest?: { waiting: number }
    }
    if ((health.ingest?.waiting ?? 0) === 0) return (performance.now() - start) / 1000
    if (performance.now() - start > timeoutMs) throw new Error('the inbox did not drain')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function rssMegabytes(pid: number | undefined): number {
  if (!pid) return Number.NaN
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1]
    return kb ? Number(kb) / 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

/** The rows ingestion would write for `rows` events, COPYed into the same two tables. */
async function copyBaseline(tandem: BenchTandem, dir: string, rows: number, run: number) {
  const workspaceId = uuidv7()
  await sql`insert into workspaces (id, name) values (${workspaceId}, ${`COPY baseline ${run}`})`.execute(
    tandem.db,
  )
  const touchFile = path.join(dir, 'touchpoints.csv')
  const idFile = path.join(dir, 'message-ids.csv')
  const source = new EventSource(`copy${run}`)
  const touches: string[] = []
  const ids: string[] = []
  for (let i = 0; i < rows; i++) {
    const event = source.next()
    const id = uuidv7()
    const at = String(event.timestamp)
    ids.push(`${workspaceId},${event.messageId},${id},${at}`)
    if (event.type === 'identify') continue
    const properties = JSON.stringify(event.properties ?? {}).replaceAll('"', '""')
    const context = JSON.stringify(event.context ?? {}).replaceAll('"', '""')
    touches.push(
      `${workspaceId},${id},${at},${at},${event.anonymousId ?? ''},${event.type === 'page' ? 'page_view' : 'custom'},${event.event ?? ''},direct,"${properties}",${event.messageId},"${context}"`,
    )
  }
  fs.writeFileSync(touchFile, `${touches.join('\n')}\n`)
  fs.writeFileSync(idFile, `${ids.join('\n')}\n`)
  const client = await tandem.pool.connect()
  try {
    const start = performance.now()
    await client.query('begin')
    await pipeline(
      fs.createReadStream(idFile),
      client.query(
        copyFrom(
          `copy touchpoint_message_ids (workspace_id, message_id, touchpoint_id, occurred_at) from stdin (format csv)`,
        ),
      ),
    )
    await pipeline(
      fs.createReadStream(touchFile),
      client.query(
        copyFrom(
          'copy touchpoints (workspace_id, id, occurred_at, received_at, anonymous_id, type, event_name, channel, properties, message_id, context) from stdin (format csv)',
        ),
      ),
    )
    await client.query('commit')
    return rows / ((performance.now() - start) / 1000)
  } finally {
    client.release()
  }
}

/** The ingestion benchmark: sustained rate vs COPY, latency at half load, overload. */
export async function benchIngest(
  options: IngestBenchOptions = defaultIngestOptions,
): Promise<BenchReport> {
  const progress = createProgress('ingest', 4 + options.runs * 2)
  progress.update('starting Tandem (--no-demo)')
  const tandem = await startBenchTandem('ingest', { role: 'admin', poolMax: 4 })
  const dir = await makeTempDir('ingest-copy')
  const notes: string[] = []
  try {
    const writeKey = await makeWriteKey(tandem)
    const now = new Date()
    await ensureTouchpointPartitions(tandem.db, new Date(now.getTime() - 2 * 3600_000), now)
    const source = new EventSource('bench')
    progress.tick('Tandem started, write key made')

    // Warm-up (caches, JIT, the first contacts), then the sustained run: the rate is what was
    // written (committed, deduplicated rows) from its start until the inbox was empty again.
    await load(tandem.base, writeKey, source, 10, { connections: options.connections })
    await drain(tandem.base)
    const storedBefore = await storedEvents(tandem, tandem.workspaceId)
    const start = performance.now()
    const samples: { at: number; stored: number }[] = [{ at: start, stored: storedBefore }]
    const sampler = setInterval(() => {
      void storedEvents(tandem, tandem.workspaceId).then((stored) =>
        samples.push({ at: performance.now(), stored }),
      )
    }, 30_000)
    const sustained = await loadWithBackoff(
      tandem.base,
      writeKey,
      source,
      options.sustainSeconds,
      options.connections,
    ).finally(() => clearInterval(sampler))
    if (sustained.other > 0) throw new Error(`${sustained.other} answers neither 200 nor 503`)
    const acceptedRate = (sustained.ok * batchSize) / sustained.seconds
    const drainSeconds = await drain(tandem.base)
    const storedAfter = await storedEvents(tandem, tandem.workspaceId)
    const elapsed = (performance.now() - start) / 1000
    const rate = (storedAfter - storedBefore) / elapsed
    samples.push({ at: performance.now(), stored: storedAfter })
    samples.sort((a, b) => a.at - b.at)
    const windows = samples
      .slice(1)
      .map(
        (s, i) => ((s.stored - (samples[i]?.stored ?? 0)) * 1000) / (s.at - (samples[i]?.at ?? 0)),
      )
    progress.tick(
      `sustained ${Math.round(rate)} events/s written over ${Math.round(elapsed)} s (${Math.round(acceptedRate)}/s acknowledged, ${drainSeconds.toFixed(1)} s to drain)`,
    )

    const copyRates: number[] = []
    for (let run = 0; run < options.runs; run++) {
      copyRates.push(await copyBaseline(tandem, dir, options.copyRows, run))
      progress.tick(`COPY ${run + 1}: ${Math.round(copyRates.at(-1) ?? 0)} events/s`)
    }
    const copyRate = median(copyRates)
    const windowRatios = windows.map((w) => w / copyRate)

    // Half load: batches evenly spaced at half the sustained rate, p99 of the acknowledgements.
    const halfRate = Math.max(1, rate / batchSize / 2)
    const p99s: number[] = []
    for (let run = 0; run < options.runs; run++) {
      const half = await loadPaced(tandem.base, writeKey, source, options.latencySeconds, halfRate)
      if (half.other > 0 || half.refused > 0) {
        throw new Error(`half load: ${half.refused} refused, ${half.other} other answers`)
      }
      p99s.push(half.p99)
      const halfDrain = await drain(tandem.base)
      progress.tick(
        `half load (${halfRate.toFixed(1)} batches/s) p99 ${half.p99.toFixed(1)} ms, ${halfDrain.toFixed(1)} s to drain`,
      )
    }

    // Overload: many connections without a rate limit.
    const rssBefore = rssMegabytes(tandem.process.child.pid)
    let rssPeak = rssBefore
    const rssSampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMegabytes(tandem.process.child.pid))
    }, 250)
    const overload = await load(tandem.base, writeKey, source, options.overloadSeconds, {
      connections: 256,
    })
    clearInterval(rssSampler)
    if (!tandem.process.isRunning()) throw new Error('Tandem stopped under overload')
    await drain(tandem.base)
    progress.tick(
      `overload: ${overload.ok} acknowledged, ${overload.refused} refused (503), RSS ${Math.round(rssBefore)} → peak ${Math.round(rssPeak)} MB`,
    )

    // Every acknowledged event is stored (source counts every event sent; only 200s count here).
    const stored = await storedEvents(tandem, tandem.workspaceId)
    const acknowledged = (sustained.ok + overload.ok) * batchSize
    notes.push(
      `sustained ${Math.round(sustained.seconds)} s of load: ${sustained.ok * batchSize} events acknowledged (${Math.round(acceptedRate)}/s), ${sustained.refused} answers 503 (the senders wait Retry-After, as Segment's libraries do); ${storedAfter - storedBefore} written in ${Math.round(elapsed)} s (inbox empty ${drainSeconds.toFixed(1)} s after the load); written per 30 s window: ${windows.map((w) => Math.round(w)).join(' ')} events/s`,
      `COPY baseline of ${options.copyRows} events into touchpoints + touchpoint_message_ids: ${copyRates.map(Math.round).join(' ')} events/s`,
      `overload (256 connections, ${options.overloadSeconds} s): ${overload.ok} batches acknowledged, ${overload.refused} answered 503 with Retry-After, ${overload.other} other; server RSS ${Math.round(rssBefore)} MB before, peak ${Math.round(rssPeak)} MB; still running`,
      `stored message ids in the workspace: ${stored} (acknowledged in measured phases: ${acknowledged}, plus warm-up and half-load batches)`,
    )
    const minimumStored = acknowledged
    if (stored < minimumStored)
      throw new Error(`lost events: ${stored} stored < ${minimumStored} acknowledged`)
    return {
      name: 'ingest',
      metrics: [
        makeMetric('sustained events/s', 'ev/s', [rate]),
        makeMetric('acknowledged events/s', 'ev/s', [acceptedRate]),
        makeMetric('COPY events/s', 'ev/s', copyRates),
        makeMetric('ratio vs COPY', '', [rate / copyRate], {
          target: { op: '>=', value: 0.3 },
          digits: 2,
        }),
        makeMetric('lowest 30 s window ratio', '', [Math.min(...windowRatios)], { digits: 2 }),
        makeMetric('p99 at half load', 'ms', p99s, { target: { op: '<=', value: 25 } }),
        makeMetric('overload 503s', '', [overload.refused]),
      ],
      notes,
    }
  } finally {
    progress.stop()
    await tandem.close()
    await removeDataDir(dir)
  }
}
