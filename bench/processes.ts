import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { openEmbeddedPostgres } from '../src/server/db/embedded.ts'

export const binPath = path.resolve(import.meta.dirname, '../bin/tandem.js')

/** A child process of the benchmark, stopped by `stop()` or, at worst, when the benchmark exits. */
export interface ManagedProcess {
  child: ChildProcess
  exited: Promise<number | null>
  isRunning(): boolean
  stop(timeoutMs?: number): Promise<void>
}

const live = new Set<ManagedProcess>()
const tempDirs = new Set<string>()

/** Spawns a process whose exit is awaited and which is stopped if the benchmark is interrupted. */
export function spawnManaged(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; logFile?: string; pipeStdout?: boolean },
): ManagedProcess {
  const logFd = options.logFile ? openSync(options.logFile, 'a') : 'ignore'
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: ['ignore', options.pipeStdout ? 'pipe' : logFd, logFd],
  })
  if (typeof logFd === 'number') closeSync(logFd)
  let running = true
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running = false
      live.delete(managed)
      resolve(code)
    })
    child.on('error', () => {
      running = false
      live.delete(managed)
      resolve(null)
    })
  })
  const managed: ManagedProcess = {
    child,
    exited,
    isRunning: () => running,
    stop: async (timeoutMs = 30_000) => {
      if (!running) return
      child.kill('SIGTERM')
      // The timer is cancelled once the child exits: it would hold the bench open for its length.
      const cancel = new AbortController()
      const timer = sleep(timeoutMs, 'timeout' as const, { signal: cancel.signal }).catch(
        () => 'exited' as const,
      )
      const outcome = await Promise.race([exited, timer])
      cancel.abort()
      if (outcome === 'timeout') {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
  live.add(managed)
  return managed
}

/** On Ctrl+C or SIGTERM: stop every child (so Tandem stops its PostgreSQL), remove temp dirs, exit. */
export function stopChildrenOnSignal(): void {
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      process.stderr.write(`\n${signal}: stopping ${live.size} child process(es)…\n`)
      void Promise.allSettled([...live].map((managed) => managed.stop(15_000)))
        .then(() => Promise.allSettled([...tempDirs].map((dir) => removeDataDir(dir))))
        .finally(() => process.exit(130))
    })
  }
}

/** A data directory under the system's temp folder, removed by removeDataDir or on Ctrl+C. */
export async function makeTempDir(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `tandem-bench-${name}-`))
  tempDirs.add(dir)
  return dir
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** The environment of a `tandem` command on dataDir: embedded PostgreSQL, never DATABASE_URL. */
export function tandemEnv(dataDir: string, port?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_DATA_DIR: dataDir, HOST: '127.0.0.1' }
  delete env.DATABASE_URL
  if (port !== undefined) env.PORT = String(port)
  return env
}

/**
 * `node bin/tandem.js start` on dataDir; stdout and stderr go to logFile. With
 * BENCH_SERVER_PROFILE=<dir> the server writes a CPU profile there when it stops.
 */
export function spawnTandemStart(
  dataDir: string,
  port: number,
  options: { demo: boolean; logFile: string },
): ManagedProcess {
  const profile = process.env.BENCH_SERVER_PROFILE
  const args = [
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
    binPath,
    'start',
    ...(options.demo ? [] : ['--no-demo']),
  ]
  return spawnManaged(process.execPath, args, {
    env: tandemEnv(dataDir, port),
    logFile: options.logFile,
  })
}

/** Polls url until it answers 200; fails early if the process exits first. */
export async function waitForOk(
  url: string,
  managed: ManagedProcess,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000)
  while (Date.now() < deadline) {
    if (!managed.isRunning()) throw new Error(`The process exited before ${url} answered 200`)
    try {
      const response = await fetch(url)
      await response.arrayBuffer()
      if (response.status === 200) return
    } catch {
      // not listening yet
    }
    await sleep(options.intervalMs ?? 25)
  }
  throw new Error(`${url} did not answer 200 in time`)
}

/** Polls base/api/health until it answers 200; on failure, the error ends with the log's tail. */
export async function waitForHealth(
  base: string,
  managed: ManagedProcess,
  logFile: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  await waitForOk(`${base}/api/health`, managed, options).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : error}\n${tailOf(logFile)}`)
  })
}

/** Runs `tandem …args` to completion and returns its stdout; throws with stderr on failure. */
export async function runTandem(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const managed = spawnManaged(process.execPath, [binPath, ...args], { env, pipeStdout: true })
  let stdout = ''
  managed.child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  const code = await managed.exited
  if (code !== 0) throw new Error(`tandem ${args.join(' ')} exited with ${code}`)
  return stdout
}

/** Where the data directory's PostgreSQL cluster lives (see src/server/db/embedded.ts). */
export function clusterDirOf(dataDir: string): string {
  const moved = path.join(dataDir, 'cluster-location.txt')
  return existsSync(moved) ? readFileSync(moved, 'utf8').trim() : path.join(dataDir, 'pg')
}

/** Stops a PostgreSQL left running on dataDir; true when there was one (an orphan). */
export async function stopLeftoverPostgres(dataDir: string): Promise<boolean> {
  if (!existsSync(path.join(clusterDirOf(dataDir), 'postmaster.pid'))) return false
  const cluster = await openEmbeddedPostgres(dataDir)
  cluster.owned = true
  await cluster.stop()
  return true
}

/** Stops what is left on dataDir and deletes it (its cluster too when kept elsewhere). */
export async function removeDataDir(dataDir: string): Promise<void> {
  const clusterDir = clusterDirOf(dataDir)
  await stopLeftoverPostgres(dataDir).catch(() => false)
  if (!clusterDir.startsWith(dataDir)) await fs.rm(clusterDir, { recursive: true, force: true })
  await fs.rm(dataDir, { recursive: true, force: true })
  tempDirs.delete(dataDir)
}

/** The last lines of a log file, to explain a failure. */
export function tailOf(file: string, lines = 15): string {
  if (!existsSync(file)) return ''
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
}

let clockTicks: number | undefined

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc; undefined where
 * there is no /proc. Unlike requests per second, CPU per request barely moves when other work
 * shares the machine.
 */
export function readCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / clockTicks
  } catch {
    return undefined
  }
}
