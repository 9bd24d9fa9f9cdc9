import { type EmbeddedCluster, openEmbeddedPostgres } from '../server/db/embedded.ts'
import { type Env, resolveDataDir } from '../server/env.ts'

export interface DatabaseTarget {
  url: string
  embedded: EmbeddedCluster | undefined
  describe: string
}

/**
 * The database a command works on: DATABASE_URL when set, else the embedded PostgreSQL of the data
 * directory — the one `tandem start` is running if it is, or one started for this command.
 */
export async function openDatabaseTarget(
  env: Env,
  log: (line: string) => void,
): Promise<DatabaseTarget> {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL)
    return {
      url: env.DATABASE_URL,
      embedded: undefined,
      describe: `PostgreSQL at ${url.host}${url.pathname}`,
    }
  }
  const dataDir = resolveDataDir(env)
  const embedded = await openEmbeddedPostgres(dataDir, { log })
  return { url: embedded.url, embedded, describe: `embedded PostgreSQL in ${dataDir}` }
}
