import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { pino } from 'pino'
import { demoLogins, demoPassword, seedDemo } from '../demo/seed.ts'
import { buildApp } from '../server/app.ts'
import { type AppContext, createContext } from '../server/context.ts'
import { openDatabase } from '../server/db/database.ts'
import { migrateToLatest } from '../server/db/migrate.ts'
import { type Env, resolveDataDir } from '../server/env.ts'
import { startWorker, type Worker } from '../server/jobs/worker.ts'
import { openDatabaseTarget } from './database.ts'
import { type ServerLock, takeServerLock } from './lock.ts'

export interface StartOptions {
  only?: 'api' | 'worker'
  demo: boolean
}

/** `tandem start`: database, migrations, first-run demo, worker and web/API in one process. */
export async function start(env: Env, options: StartOptions): Promise<void> {
  // People at a terminal get readable lines; services and log shippers get JSON, written in 4 KB
  // batches off the request's path (one write per line cost a fifth of a small API read), and
  // flushed when the process exits.
  const log = process.stdout.isTTY
    ? pino({
        level: env.LOG_LEVEL,
        transport: {
          target: 'pino-pretty',
          options: { ignore: 'pid,hostname', translateTime: 'HH:MM:ss' },
        },
      })
    : pino({ level: env.LOG_LEVEL }, bufferedStdout())
  if (options.only && !env.DATABASE_URL) {
    throw new Error('--only needs DATABASE_URL: several processes share one external PostgreSQL')
  }
  const publicUrl = env.TANDEM_BASE_URL ?? `http://localhost:${env.PORT}`
  const lock: ServerLock | undefined = env.DATABASE_URL
    ? undefined
    : await takeServerLock(resolveDataDir(env), publicUrl)
  const cleanups: (() => Promise<void>)[] = []
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log.error({ err: error }, 'shutdown step failed'))
    }
    await lock?.release()
  }
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      log.info(`${signal}: shutting down`)
      void cleanUp().finally(() => process.exit(0))
    })
  }
  try {
    const target = await openDatabaseTarget(env, (line) => log.info(line))
    if (target.embedded) {
      const embedded = target.embedded
      // A cluster left running by a crashed start is ours to stop too.
      embedded.owned = true
      cleanups.push(() => embedded.stop())
    }
    const migrator = openDatabase(target.url, { max: 1 })
    const applied = await migrateToLatest(migrator.db as unknown as Kysely<never>).finally(() =>
      migrator.close(),
    )
    if (applied.length > 0) log.info(`Applied migrations: ${applied.join(', ')}`)
    const ctx: AppContext = await createContext(env, target.url, { log })
    cleanups.push(() => ctx.close())
    if (options.only !== 'worker') await firstRun(ctx, options.demo)
    if (options.only !== 'api') {
      const worker: Worker = await startWorker(ctx, target.url)
      cleanups.push(() => worker.stop())
    }
    if (options.only !== 'worker') {
      const app: FastifyInstance = await buildApp(ctx)
      cleanups.push(() => app.close())
      await app.listen({ port: env.PORT, host: env.HOST })
      printWelcome(publicUrl, target.describe, await hasDemo(ctx))
    } else {
      process.stdout.write(`Tandem worker running against ${target.describe}\n`)
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}

async function firstRun(ctx: AppContext, withDemo: boolean) {
  const done = await ctx.db
    .selectFrom('instanceSettings')
    .select('key')
    .where('key', '=', 'first_run_done')
    .executeTakeFirst()
  if (done) return
  if (withDemo) {
    process.stdout.write('First start: creating the demo workspace "Northwind Robotics"…\n')
    await seedDemo(ctx.db, { seed: 1, asOf: new Date(), reset: false })
  }
  await ctx.db
    .insertInto('instanceSettings')
    .values({ key: 'first_run_done', value: JSON.stringify(new Date().toISOString()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
}

async function hasDemo(ctx: AppContext) {
  const row = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', demoLogins[0]?.email ?? '')
    .executeTakeFirst()
  return row !== undefined
}

function printWelcome(url: string, database: string, demo: boolean) {
  const lines = [
    ``,
    `  Tandem is running at ${url}`,
    `  Database: ${database}`,
    `  API docs: ${url}/api/docs`,
  ]
  if (demo) {
    lines.push(``, `  Demo logins (demo only), password "${demoPassword}":`)
    for (const login of demoLogins) lines.push(`    ${login.email.padEnd(30)} ${login.role}`)
  }
  lines.push(``, `  Press Ctrl+C to stop.`, ``)
  process.stdout.write(`${lines.join('\n')}\n`)
}

/** Standard output in 4 KB batches, flushed at least every second so quiet logs are not held. */
function bufferedStdout() {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 })
  setInterval(() => destination.flush(), 1000).unref()
  return destination
}
