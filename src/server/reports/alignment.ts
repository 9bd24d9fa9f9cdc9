import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { AlignmentReport } from './alignment-types.ts'

/** Placeholder until the alignment report lands. */
export async function computeAlignment(
  _db: Kysely<DB>,
  _workspaceId: string,
  _query: { from?: string | undefined; to?: string | undefined },
  _now: Date,
): Promise<AlignmentReport> {
  throw new Error('not built yet')
}
