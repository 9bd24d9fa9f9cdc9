import { type Command, InvalidArgumentError } from 'commander'
import type { Database } from '../server/db/database.ts'
import { resolveWorkspace } from '../server/workspaces/service.ts'
import { createWriteKey, WriteKeyInput } from '../server/write-keys/service.ts'

type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>

function parseName(value: string): string {
  const parsed = WriteKeyInput.shape.name.safeParse(value)
  if (!parsed.success) throw new InvalidArgumentError(`--name: ${parsed.error.issues[0]?.message}`)
  return parsed.data
}

/** `tandem write-key create`: prints a new write key (and nothing else) for scripts. */
export function registerWriteKeyCommand(program: Command, withDatabase: WithDatabase) {
  program
    .command('write-key')
    .description('Manage write keys (public keys that can only ingest events at /v1/*)')
    .command('create')
    .description('Create a write key for the tracking snippet or a Segment library; prints it')
    .requiredOption('--workspace <name or id>', 'the workspace the key sends events to')
    .option('--name <label>', 'a label, e.g. the website that uses it', parseName, 'Website')
    .action(async (opts: { workspace: string; name: string }) => {
      const created = await withDatabase(async (db) => {
        const workspace = await resolveWorkspace(db, opts.workspace)
        return createWriteKey(
          db,
          { kind: 'cli', name: 'tandem CLI', workspaceId: workspace.id, role: 'admin' },
          { name: opts.name },
        )
      })
      process.stdout.write(`${created.key}\n`)
    })
}
