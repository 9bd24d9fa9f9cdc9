import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { binPath, runCli } from '../../test/cli.ts'

// `tandem start` as a user runs it: embedded PostgreSQL in a data directory made by mktemp (0700),
// one server per directory, clean shutdown with no PostgreSQL left behind.
let dataDir: string
let server: ChildProcess | undefined
const children: ChildProcess[] = []

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  if (dataDir) {
    await fs.rm(await clusterDir(), { recursive: true, force: true })
    await fs.rm(dataDir, { recursive: true, force: true })
  }
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [binPath, 'start'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString()
  })
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString()
  })
  children.push(child)
  return { child, output: () => output }
}

async function waitForHealth(port: number, output: () => string) {
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined)
    if (response?.status === 200)
      return (await response.json()) as { demo: boolean; database: string }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`no health within 90 s:\n${output()}`)
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.on('exit', (code) => resolve(code))
  })
}

async function clusterDir() {
  const pointer = await fs
    .readFile(path.join(dataDir, 'cluster-location.txt'), 'utf8')
    .catch(() => undefined)
  return pointer?.trim() ?? path.join(dataDir, 'pg')
}

function postgresRunningIn(dir: string) {
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
  return ps.split('\n').some((line) => line.includes('postgres') && line.includes(dir))
}

describe('tandem start', () => {
  it('starts on a fresh 0700 data directory, seeds the demo, refuses a second start, and stops cleanly', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-start-'))
    const port = await freePort()
    const env = { TANDEM_DATA_DIR: dataDir, PORT: String(port) }
    const first = startServer(env)
    server = first.child
    const health = await waitForHealth(port, first.output)
    expect(health).toMatchObject({ database: 'ok', demo: true })
    expect(first.output()).toContain('admin@northwind.example')

    const second = await runCli(['start'], { ...env, PORT: String(await freePort()) })
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(/already running on/)

    // A CLI command uses the running server's database rather than starting another.
    const key = await runCli(
      ['api-key', 'create', '--workspace', 'Northwind Robotics', '--role', 'viewer'],
      env,
    )
    expect(key.code).toBe(0)
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
      headers: { authorization: `Bearer ${key.stdout.trim()}` },
    })
    expect(me.status).toBe(200)

    const dir = await clusterDir()
    expect(postgresRunningIn(dir)).toBe(true)
    server.kill('SIGTERM')
    expect(await exited(server)).toBe(0)
    expect(postgresRunningIn(dir)).toBe(false)
    await expect(fs.access(path.join(dataDir, 'tandem.pid'))).rejects.toThrow()
  }, 180_000)

  it('restarts on the existing data directory with the data kept', async () => {
    const port = await freePort()
    const again = startServer({ TANDEM_DATA_DIR: dataDir, PORT: String(port) })
    await waitForHealth(port, again.output)
    const signIn = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'viewer@northwind.example', password: 'tandem-demo' }),
    })
    expect(signIn.status).toBe(200)
    again.child.kill('SIGINT')
    expect(await exited(again.child)).toBe(0)
    expect(postgresRunningIn(await clusterDir())).toBe(false)
  }, 180_000)
})
