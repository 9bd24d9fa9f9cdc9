import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'

/** Checks that a user id named in a record (owner, manager) is a member of the workspace. */
export async function requireMember(
  db: Kysely<DB>,
  workspaceId: string,
  userId: string,
  field: string,
) {
  const found = await db
    .selectFrom('memberships')
    .select('userId')
    .where('workspaceId', '=', workspaceId)
    .where('userId', '=', userId)
    .executeTakeFirst()
  if (!found)
    throw new AppError('invalid_input', `${field}: no member of this workspace has this id`, {
      field,
    })
}

/** example.com from "https://www.Example.com/pricing", so one company has one domain. */
export function normalizeDomain(raw: string): string | undefined {
  const trimmed = raw.trim().toLowerCase()
  if (trimmed === '') return undefined
  const host = trimmed
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .split(/[/?#:]/)[0]
  if (!host || !/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host)) return undefined
  return host
}

export const trashDays = 30
