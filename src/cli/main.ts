import { Command, InvalidArgumentError, Option } from 'commander'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { demoWorkspaceName } from '../demo/names.ts'
import { roles } from '../server/auth/permissions.ts'
import type { Database } from '../server/db/database.ts'
import { getEnv } from '../server/env.ts'
import { AppError } from '../server/errors.ts'
import { version } from '../server/version.ts'
import { registerAttributionCommand } from './attribution.ts'
import { registerForecastCommand } from './forecast.ts'
import { registerImportCommand } from './import.ts'
import { registerModelCommand } from './model.ts'
import { registerWriteKeyCommand } from './write-key.ts'

// The server, the database and the demo world are imported when a command needs them, so the
// offline commands (attribution, model evaluate) start in a fraction of a second.

function parseWith<T>(schema: z.ZodType<T>, what: string) {
  return (value: string): T => {
    const parsed = schema.safeParse(value)
    if (!parsed.success)
      throw new InvalidArgumentError(`${what}: ${parsed.error.issues[0]?.message}`)
    return parsed.data
  }
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a real date')

/** Runs fn against the data directory's (or DATABASE_URL's) database, migrated, then closes it. */
async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const { openDatabaseTarget } = await import('./database.ts')
  const { openDatabase } = await import('../server/db/database.ts')
  const { migrateToLatest } = await import('../server/db/migrate.ts')
  const env = getEnv()
  const target = await openDatabaseTarget(env, (line) => process.stderr.write(`${line}\n`))
  const handle = openDatabase(target.url, { max: 4 })
  try {
    await migrateToLatest(handle.db as unknown as Kysely<never>)
    return await fn(handle.db)
  } finally {
    await handle.close()
    await target.embedded?.stop()
  }
}

const program = new Command('tandem')
  .description('Tandem: marketing and sales, working in tandem')
  .version(version)
  .showHelpAfterError('(run tandem --help for usage)')

program
  .command('start')
  .description('Start the web app, API and worker (embedded PostgreSQL unless DATABASE_URL is set)')
  .addOption(
    new Option('--only <half>', 'run only the API or only the worker').choices(['api', 'worker']),
  )
  .option('--no-demo', 'do not create the demo workspace on first start')
  .action(async (opts: { only?: 'api' | 'worker'; demo: boolean }) => {
    const { start } = await import('./start.ts')
    await start(getEnv(), { only: opts.only, demo: opts.demo })
  })

program
  .command('migrate')
  .description('Bring the database schema up to date')
  .action(async () => {
    const { openDatabaseTarget } = await import('./database.ts')
    const { openDatabase } = await import('../server/db/database.ts')
    const { migrateToLatest } = await import('../server/db/migrate.ts')
    const env = getEnv()
    const target = await openDatabaseTarget(env, (line) => process.stderr.write(`${line}\n`))
    const handle = openDatabase(target.url, { max: 2 })
    try {
      const applied = await migrateToLatest(handle.db as unknown as Kysely<never>)
      process.stdout.write(
        applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date\n',
      )
    } finally {
      await handle.close()
      await target.embedded?.stop()
    }
  })

program
  .command('demo')
  .description(
    `Create the demo workspace "${demoWorkspaceName}" (same seed and date give the same data)`,
  )
  .option(
    '--seed <n>',
    'seed of the generator',
    parseWith(
      z.coerce
        .number()
        .int()
        .min(0)
        .max(2 ** 31),
      '--seed',
    ),
    1,
  )
  .option(
    '--as-of <date>',
    'the demo world\'s "today" (YYYY-MM-DD), default today',
    parseWith(isoDate, '--as-of'),
  )
  .option('--reset', 'delete and recreate the demo workspace and its users', false)
  .action(async (opts: { seed: number; asOf?: string; reset: boolean }) => {
    const asOf = opts.asOf ? new Date(`${opts.asOf}T12:00:00Z`) : new Date()
    const { seedDemo } = await import('../demo/seed.ts')
    const result = await withDatabase((db) =>
      seedDemo(db, { seed: opts.seed, asOf, reset: opts.reset }),
    )
    process.stdout.write(
      result.created
        ? `Created "${demoWorkspaceName}" (${result.workspaceId}) with ${result.users} users\n`
        : `"${demoWorkspaceName}" already exists (${result.workspaceId}); use --reset to recreate it\n`,
    )
  })

program
  .command('api-key')
  .description('Manage API keys')
  .command('create')
  .description('Create an API key and print it once (for scripts)')
  .requiredOption('--workspace <name or id>', 'the workspace the key belongs to')
  .requiredOption('--role <role>', `one of ${roles.join(', ')}`, parseWith(z.enum(roles), '--role'))
  .option(
    '--name <label>',
    'a label to recognise the key',
    parseWith(z.string().trim().min(1).max(100), '--name'),
    'CLI key',
  )
  .action(async (opts: { workspace: string; role: (typeof roles)[number]; name: string }) => {
    const { resolveWorkspace } = await import('../server/workspaces/service.ts')
    const { createApiKey } = await import('../server/api-keys/service.ts')
    const key = await withDatabase(async (db) => {
      const workspace = await resolveWorkspace(db, opts.workspace)
      return createApiKey(
        db,
        { kind: 'cli', name: 'tandem CLI', workspaceId: workspace.id, role: 'admin' },
        { name: opts.name, role: opts.role },
      )
    })
    process.stdout.write(`${key.key}\n`)
  })

program
  .command('export')
  .description('Write every record of one kind as CSV or JSON Lines (docs/export.md)')
  .argument('<entity>', 'accounts, contacts, products, deals, activities or campaigns')
  .option('--workspace <name or id>', 'the workspace to export (needed when there are several)')
  .addOption(
    new Option('--format <format>', 'csv or jsonl').choices(['csv', 'jsonl']).default('csv'),
  )
  .option('--out <file>', 'write to this file (with a progress bar) instead of stdout')
  .option('--filter <json>', 'the filter language, as on the list (e.g. \'{"all":[…]}\')')
  .option('--q <text>', 'a search, as on the list')
  .option('--sort <field>', 'a sort of the list, e.g. -updatedAt (default: storage order)')
  .action(
    async (
      entity: string,
      opts: {
        workspace?: string
        format: 'csv' | 'jsonl'
        out?: string
        filter?: string
        q?: string
        sort?: string
      },
    ) => {
      const { runExport } = await import('./export.ts')
      await runExport(entity, opts)
    },
  )

registerImportCommand(program, withDatabase)
registerWriteKeyCommand(program, withDatabase)
registerModelCommand(program)
registerAttributionCommand(program)
registerForecastCommand(program)

export async function main(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv)
  } catch (error) {
    const message =
      error instanceof AppError || error instanceof Error ? error.message : String(error)
    process.stderr.write(`tandem: ${message}\n`)
    process.exitCode = 1
  }
}
