import path from 'node:path'
import { type Database, type DatabaseHandle, openDatabase } from '../src/server/db/database.ts'
import { openEmbeddedPostgres } from '../src/server/db/embedded.ts'
import { createWorkspaceKey } from './api-key.ts'
import {
  freePort,
  type ManagedProcess,
  makeTempDir,
  removeDataDir,
  spawnTandemStart,
  stopLeftoverPostgres,
  waitForHealth,
} from './processes.ts'

/** A fresh Tandem of one benchmark: its workspace, an API key, and its database opened directly. */
export interface BenchTandem {
  base: string
  workspaceId: string
  key: string
  db: Database
  pool: DatabaseHandle['pool']
  dataDir: string
  logFile: string
  /** The `tandem start` process (its pid for CPU and memory readings). */
  process: ManagedProcess
  /** Closes the database, stops Tandem (and a PostgreSQL it left running) and removes dataDir. */
  close(): Promise<void>
}

/**
 * `tandem start --no-demo` on a new temp data dir and a free port, an API key with `role` in a new
 * workspace, and a pool of `poolMax` connections to the data dir's embedded PostgreSQL. If any
 * step fails, what was started is stopped and the data dir removed before the error is thrown.
 */
export async function startBenchTandem(
  name: string,
  options: { role: 'admin' | 'viewer'; poolMax: number },
): Promise<BenchTandem> {
  const dataDir = await makeTempDir(name)
  const logFile = path.join(dataDir, 'tandem.log')
  let tandem: ManagedProcess | undefined
  let database: DatabaseHandle | undefined
  const close = async () => {
    try {
      await database?.close()
    } finally {
      await tandem?.stop()
      if (await stopLeftoverPostgres(dataDir).catch(() => false)) {
        process.stderr.write(
          `[${name}] warning: PostgreSQL was still running after Tandem stopped\n`,
        )
      }
      await removeDataDir(dataDir)
    }
  }
  try {
    const port = await freePort()
    tandem = spawnTandemStart(dataDir, port, { demo: false, logFile })
    const base = `http://127.0.0.1:${port}`
    await waitForHealth(base, tandem, logFile)
    const { workspaceId, key } = await createWorkspaceKey(base, options.role)
    const cluster = await openEmbeddedPostgres(dataDir)
    database = openDatabase(cluster.url, { max: options.poolMax })
    const { db, pool } = database
    return { base, workspaceId, key, db, pool, dataDir, logFile, process: tandem, close }
  } catch (error) {
    // The startup error is the one to report, not a failure while cleaning up after it.
    await close().catch(() => {})
    throw error
  }
}
