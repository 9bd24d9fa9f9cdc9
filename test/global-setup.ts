import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { type EmbeddedCluster, openEmbeddedPostgres } from '../src/server/db/embedded.ts'
import { migrateToLatest } from '../src/server/db/migrate.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string
    templateName: string
  }
}

/**
 * One PostgreSQL per run: an embedded one under the system temp folder, or the server named by
 * TEST_DATABASE_URL. A migrated template database is made once; each test file clones it.
 */
export default async function setup(project: TestProject) {
  let cluster: EmbeddedCluster | undefined
  let dataDir: string | undefined
  let adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-test-'))
    cluster = await openEmbeddedPostgres(dataDir, { fast: true })
    adminUrl = cluster.url
  }
  const templateName = `tandem_template_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${templateName}`)
  const templateUrl = new URL(adminUrl)
  templateUrl.pathname = `/${templateName}`
  const db = new Kysely<never>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: templateUrl.toString(), max: 1 }),
    }),
  })
  await migrateToLatest(db)
  await db.destroy()
  project.provide('adminUrl', adminUrl)
  project.provide('templateName', templateName)

  return async () => {
    await admin.query(`drop database if exists ${templateName} with (force)`).catch(() => {})
    await admin.end()
    await cluster?.stop()
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true })
    if (cluster && !cluster.clusterDir.startsWith(dataDir ?? '')) {
      await fs.rm(cluster.clusterDir, { recursive: true, force: true })
    }
  }
}
