import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { createWorkspaceKey } from './api-key.ts'
import {
  freePort,
  type ManagedProcess,
  makeTempDir,
  readCpuSeconds,
  removeDataDir,
  spawnManaged,
  spawnTandemStart,
  stopLeftoverPostgres,
  tailOf,
  waitForOk,
} from './processes.ts'
import { createProgress } from './progress.ts'
import { type BenchReport, makeMetric } from './report.ts'

export interface HttpOptions {
  runs: number
  /** Seconds of load per run. */
  duration: number
  /** Seconds of load on each server before the measured runs. */
  warmup: number
  connections: number
}

export const defaultHttpOptions: HttpOptions = { runs: 5, duration: 5, warmup: 2, connections: 50 }

interface Target {
  label: string
  url: string
  headers: Record<string, string>
  /** The serving process, whose CPU time is read around each run. */
  pid: number | undefined
}

interface Sample {
  rate: number
  p99: number
  /** Server CPU (user + system) per request, in microseconds; NaN without /proc. */
  cpuPerRequest: number
}

const helloPath = path.resolve(import.meta.dirname, 'hello-server.ts')

/**
 * Requests per second of GET /api/v1/me with an API key, against a bare Fastify hello-world measured
 * in the same run: each in its own process, loaded by autocannon from this one, runs interleaved.
 */
export async function benchHttp(options: HttpOptions = defaultHttpOptions): Promise<BenchReport> {
  const progress = createProgress('http', options.runs * 2)
  const dataDir = await makeTempDir('http')
  const logFile = path.join(dataDir, 'tandem.log')
  const notes: string[] = []
  let tandem: ManagedProcess | undefined
  let hello: ManagedProcess | undefined
  try {
    progress.update('starting Tandem (--no-demo) and creating an API key')
    const port = await freePort()
    tandem = spawnTandemStart(dataDir, port, { demo: false, logFile })
    const base = `http://127.0.0.1:${port}`
    await waitForOk(`${base}/api/health`, tandem).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : error}\n${tailOf(logFile)}`)
    })
    const { key } = await createWorkspaceKey(base, 'viewer')
    const me: Target = {
      label: 'tandem',
      url: `${base}/api/v1/me`,
      headers: { authorization: `Bearer ${key}` },
      pid: tandem.child.pid,
    }
    await checkMe(me)

    progress.update('starting the Fastify hello-world')
    hello = spawnManaged(process.execPath, ['--import', 'tsx', helloPath], { pipeStdout: true })
    const helloTarget: Target = {
      label: 'hello',
      url: await readHelloUrl(hello),
      headers: {},
      pid: hello.child.pid,
    }

    progress.update(`warming up (${options.warmup} s each)`)
    await load(helloTarget, options.connections, options.warmup)
    await load(me, options.connections, options.warmup)

    const samples = new Map<Target, Sample[]>([
      [me, []],
      [helloTarget, []],
    ])
    const loadBefore = os.loadavg()[0] ?? 0
    for (let run = 0; run < options.runs; run++) {
      // Alternate which goes first, so a drift in the machine does not favour one side.
      const order = run % 2 === 0 ? [me, helloTarget] : [helloTarget, me]
      for (const target of order) {
        const sample = await measure(target, options.connections, options.duration)
        samples.get(target)?.push(sample)
        const cpu = Number.isNaN(sample.cpuPerRequest)
          ? ''
          : `, ${Math.round(sample.cpuPerRequest)} µs CPU/req`
        progress.tick(`run ${run + 1} ${target.label}: ${Math.round(sample.rate)} req/s${cpu}`)
      }
    }
    const ofMe = samples.get(me) ?? []
    const ofHello = samples.get(helloTarget) ?? []
    const ratios = ofMe.map((sample, run) => sample.rate / (ofHello[run]?.rate ?? Number.NaN))
    notes.push(
      `${options.connections} connections, ${options.duration} s per run after ${options.warmup} s warm-up; ratio = me / hello of the same run`,
      `LOG_LEVEL=${process.env.LOG_LEVEL ?? 'info (default)'}; ${os.cpus().length} CPUs shared by both servers and autocannon; 1-min load average ${loadBefore.toFixed(2)} before, ${(os.loadavg()[0] ?? 0).toFixed(2)} after`,
    )
    const pick = (list: Sample[], field: keyof Sample) => list.map((sample) => sample[field])
    const metrics = [
      makeMetric('GET /api/v1/me (API key)', 'req/s', pick(ofMe, 'rate')),
      makeMetric('Fastify hello-world', 'req/s', pick(ofHello, 'rate')),
      makeMetric('ratio me / hello', '', ratios, { target: { op: '>=', value: 0.4 }, digits: 2 }),
      makeMetric('GET /api/v1/me p99 latency', 'ms', pick(ofMe, 'p99')),
    ]
    if (ofMe.every((sample) => !Number.isNaN(sample.cpuPerRequest))) {
      metrics.push(
        makeMetric('server CPU per request, me', 'µs', pick(ofMe, 'cpuPerRequest')),
        makeMetric('server CPU per request, hello', 'µs', pick(ofHello, 'cpuPerRequest')),
      )
    }
    return { name: 'http', metrics, notes }
  } finally {
    progress.stop()
    await hello?.stop()
    await tandem?.stop()
    if (await stopLeftoverPostgres(dataDir).catch(() => false)) {
      process.stderr.write('[http] warning: PostgreSQL was still running after Tandem stopped\n')
    }
    await removeDataDir(dataDir)
  }
}

/** One request first: a benchmark of fast 401s would measure the wrong thing. */
async function checkMe(target: Target) {
  const response = await fetch(target.url, { headers: target.headers })
  const body: unknown = await response.json()
  if (response.status !== 200) {
    throw new Error(`GET /api/v1/me answered ${response.status}: ${JSON.stringify(body)}`)
  }
}

function readHelloUrl(hello: ManagedProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    hello.child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const line = buffered.split('\n')[0]
      if (buffered.includes('\n') && line) {
        const parsed: unknown = JSON.parse(line)
        if (typeof parsed === 'object' && parsed && 'url' in parsed) resolve(String(parsed.url))
        else reject(new Error(`hello-server printed ${line}`))
      }
    })
    void hello.exited.then((code) => reject(new Error(`hello-server exited with ${code}`)))
  })
}

/** One run of load, with the server's CPU time read before and after. */
async function measure(target: Target, connections: number, duration: number): Promise<Sample> {
  const cpuBefore = readCpuSeconds(target.pid)
  const result = await load(target, connections, duration)
  const cpuAfter = readCpuSeconds(target.pid)
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : cpuAfter - cpuBefore
  return {
    rate: result.requests.average,
    p99: result.latency.p99,
    cpuPerRequest: (cpu * 1e6) / result.requests.total,
  }
}

async function load(target: Target, connections: number, duration: number) {
  const result = await autocannon({
    url: target.url,
    headers: target.headers,
    connections,
    duration,
  })
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `${target.label}: ${result.errors} errors, ${result.non2xx} non-2xx answers out of ${result.requests.total}`,
    )
  }
  return result
}
