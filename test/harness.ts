import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { pino } from 'pino'
import { inject } from 'vitest'
import { buildApp } from '../src/server/app.ts'
import { type AppContext, createContext } from '../src/server/context.ts'
import { getEnv } from '../src/server/env.ts'

export interface TestApp {
  app: FastifyInstance
  ctx: AppContext
  url: string
  close(): Promise<void>
}

/** A fresh database cloned from the migrated template, for one test file. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('adminUrl')
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name} template ${inject('templateName')}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}

/** The whole app on a fresh database: call from beforeAll, close in afterAll. */
export async function createTestApp(): Promise<TestApp> {
  const database = await createTestDatabase()
  const ctx = await createContext(getEnv(), database.url, {
    log: pino({ level: 'silent' }),
    poolSize: 5,
  })
  const app = await buildApp(ctx)
  await app.ready()
  return {
    app,
    ctx,
    url: database.url,
    close: async () => {
      await app.close()
      await ctx.close()
      await database.drop()
    },
  }
}
