import type { Migration } from 'kysely'
import * as foundation from './2026-11-26T1900-foundation.ts'

/** Every migration, in order. Files are frozen once merged; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '2026-11-26T1900-foundation': foundation,
}
