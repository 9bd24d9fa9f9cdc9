import type { Command } from 'commander'
import type { Database } from '../server/db/database.ts'

type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>

/** `tandem write-key create`: prints a new write key (and nothing else) for scripts. */
export function registerWriteKeyCommand(program: Command, withDatabase: WithDatabase) {
  program
    .command('write-key')
    .description('Manage write keys (public keys that can only ingest events at /v1/*)')
    .command('create')
    .description('Create a write key for the tracking snippet or a Segment library; prints it')
    .requiredOption('--workspace <name or id>', 'the workspace the key sends events to')
    .option('--name <label>', 'a label, e.g. the website that uses it', 'Website')
    .action(async (opts: { workspace: string; name: string }) => {
      // Loaded when run, so other commands start without the server's modules.
      const { resolveWorkspace } = await import('../server/workspaces/service.ts')
      const { createWriteKey, WriteKeyInput } = await import('../server/write-keys/service.ts')
      const name = WriteKeyInput.shape.name.safeParse(opts.name)
      if (!name.success) throw new Error(`--name: ${name.error.issues[0]?.message}`)
      const created = await withDatabase(async (db) => {
        const workspace = await resolveWorkspace(db, opts.workspace)
        return createWriteKey(
          db,
          { kind: 'cli', name: 'tandem CLI', workspaceId: workspace.id, role: 'admin' },
          { name: name.data },
        )
      })
      process.stdout.write(`${created.key}\n`)
    })
}
