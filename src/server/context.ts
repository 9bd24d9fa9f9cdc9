import { randomBytes } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import { pino } from 'pino'
import { ApiKeyVerifier } from './api-keys/service.ts'
import { type Auth, createAuth } from './auth/better-auth.ts'
import { type Database, type DatabaseHandle, openDatabase } from './db/database.ts'
import { NotifiedCache } from './db/notified-cache.ts'
import { NotifyListener } from './db/notify.ts'
import type { Env } from './env.ts'
import { createMailer, type Mailer } from './mail/mailer.ts'
import { type WorkspaceRow, workspaceChangedChannel } from './workspaces/queries.ts'
import { writeKeyCache } from './write-keys/service.ts'

/** Everything a request or job needs, built once per process. */
export interface AppContext {
  env: Env
  db: Database
  handle: DatabaseHandle
  auth: Auth
  apiKeys: ApiKeyVerifier
  /** Workspace rows by id, dropped in every process when one changes. */
  workspaces: NotifiedCache<WorkspaceRow>
  mailer: Mailer
  log: FastifyBaseLogger
  close(): Promise<void>
}

export async function createContext(
  env: Env,
  databaseUrl: string,
  options: { log?: FastifyBaseLogger; poolSize?: number } = {},
): Promise<AppContext> {
  const log = options.log ?? pino({ level: env.LOG_LEVEL })
  const handle = openDatabase(databaseUrl, { max: options.poolSize })
  const secret = env.TANDEM_SECRET ?? (await instanceSecret(handle.db))
  const mailer = createMailer(env.SMTP_URL, log)
  const auth = createAuth({
    db: handle.db as unknown as Kysely<never>,
    secret,
    baseURL: env.TANDEM_BASE_URL,
    // Through the context, so tests can read what would have been sent.
    sendEmail: (to, subject, text) => context.mailer.send(to, subject, text),
  })
  const apiKeys = new ApiKeyVerifier(handle.db)
  const workspaces = new NotifiedCache<WorkspaceRow>(workspaceChangedChannel)
  const listener = new NotifyListener(
    databaseUrl,
    Object.fromEntries(
      [apiKeys.cache, workspaces, writeKeyCache(handle.db)].map((cache) => [
        cache.channel,
        (key: string) => cache.purge(key),
      ]),
    ),
    (error) => log.warn({ err: error }, 'LISTEN connection lost; reconnecting'),
  )
  await listener.start()
  const context: AppContext = {
    env,
    db: handle.db,
    handle,
    auth,
    apiKeys,
    workspaces,
    mailer,
    log,
    close: async () => {
      await listener.stop()
      await handle.close()
    },
  }
  return context
}

/** A secret generated once per installation and kept in the database, so every process shares it. */
async function instanceSecret(db: Database): Promise<string> {
  await db
    .insertInto('instanceSettings')
    .values({ key: 'auth_secret', value: JSON.stringify(randomBytes(32).toString('base64url')) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const row = await db
    .selectFrom('instanceSettings')
    .select('value')
    .where('key', '=', 'auth_secret')
    .executeTakeFirstOrThrow()
  return String(row.value)
}
