import type { Kysely, Selectable } from 'kysely'
import type { LifecycleState } from '../../domain/lifecycle.ts'
import { checkCustomValues, loadDefinitions } from '../custom-fields/values.ts'
import type { ContactsTable, DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { requirePersona } from '../personas/service.ts'
import { checkNotSuppressed } from '../privacy/suppressions.ts'
import { requireMember } from '../records/common.ts'
import { enterLifecycleStage } from '../records/fields.ts'
import type { ContactPatch, Utm } from './input.ts'
import {
  findContactByEmail,
  findContactByExternalRef,
  findLiveAccount,
  selectWorkspaceDate,
} from './queries.ts'

export type ContactRow = Selectable<ContactsTable>

// "Recycle: a re-engage date is required, default +90 days" (DEFINITIONS.md, rejecting a lead).
const recycleDays = 90
const queueStages: readonly (string | null)[] = ['mql', 'sal']

function invalid(field: string, message: string): never {
  throw new AppError('invalid_input', `${field}: ${message}`, { field })
}

function compactUtm(utm: Utm | null) {
  if (utm === null) return null
  const kept = Object.entries(utm).filter(([, v]) => v !== undefined && v !== '')
  return kept.length > 0 ? JSON.stringify(Object.fromEntries(kept)) : null
}

/**
 * Checks a contact's input against the workspace (email free, account, persona, owner, custom
 * fields, lifecycle rules) and enters its lifecycle stage. Returns the column values to write,
 * normalised. Call inside the transaction that writes them.
 */
export async function applyContactRules(
  db: Kysely<DB>,
  ref: { workspaceId: string; id: string },
  input: ContactPatch,
  before?: ContactRow,
): Promise<Record<string, unknown>> {
  const { workspaceId } = ref
  const {
    custom,
    email,
    firstTouchUtm,
    lastTouchUtm,
    lifecycleStage,
    leadStatus,
    recycleUntil,
    ...rest
  } = input
  if (before?.erasedAt) {
    throw new AppError(
      'conflict',
      'This contact was erased on request (docs/privacy.md): it cannot be edited. If the person comes back, create a new contact once an admin has lifted the suppression of their email.',
      { erasedAt: before.erasedAt.toISOString() },
    )
  }
  const values: Record<string, unknown> = { ...rest }
  if (email !== undefined) {
    const normalized = email === '' ? null : email
    values.email = normalized
    if (normalized && normalized !== before?.email) {
      await checkNotSuppressed(db, workspaceId, normalized)
    }
    if (normalized) {
      const taken = await findContactByEmail(db, workspaceId, normalized, before?.id)
      if (taken) {
        throw new AppError('conflict', `email: ${email} already belongs to another contact`, {
          field: 'email',
          existingId: taken.id,
        })
      }
    }
  }
  const current = (name: 'email' | 'firstName' | 'lastName') =>
    name in values ? values[name] : before?.[name]
  if (!current('email') && !current('firstName') && !current('lastName'))
    invalid('email', 'a contact needs an email, a firstName or a lastName')
  if (firstTouchUtm !== undefined) values.firstTouchUtm = compactUtm(firstTouchUtm)
  if (lastTouchUtm !== undefined) values.lastTouchUtm = compactUtm(lastTouchUtm)
  if (input.accountId && !(await findLiveAccount(db, workspaceId, input.accountId)))
    invalid('accountId', 'no account of this workspace has this id')
  if (input.persona) await requirePersona(db, workspaceId, input.persona)
  if (input.ownerId) await requireMember(db, workspaceId, input.ownerId, 'ownerId')
  if (input.externalId !== undefined || input.externalSource !== undefined) {
    const externalId = input.externalId !== undefined ? input.externalId : before?.externalId
    const externalSource =
      input.externalSource !== undefined ? input.externalSource : (before?.externalSource ?? null)
    const taken =
      externalId &&
      (await findContactByExternalRef(db, workspaceId, { externalSource, externalId }, before?.id))
    if (taken) {
      throw new AppError('conflict', 'externalId: another contact has this external reference', {
        field: 'externalId',
        existingId: taken.id,
      })
    }
  }
  if (custom !== undefined) {
    const definitions = await loadDefinitions(db, workspaceId, 'contact')
    values.custom = JSON.stringify(checkCustomValues(definitions, custom, before?.custom))
  }
  const stage = await enterStage(db, ref, lifecycleStage, before?.lifecycleStage ?? null)
  if (stage !== (before?.lifecycleStage ?? null)) values.lifecycleStage = stage
  Object.assign(
    values,
    leadStatusRule(stage, before, leadStatus),
    await recycleRule(db, workspaceId, stage, before, recycleUntil),
  )
  return values
}

/** Enters the target stage (stamping history); a stage cannot be cleared once set. */
async function enterStage(
  db: Kysely<DB>,
  ref: { workspaceId: string; id: string },
  target: LifecycleState | null | undefined,
  from: string | null,
) {
  if (target === undefined || target === from) return from
  if (target === null) {
    invalid('lifecycleStage', 'cannot be cleared; move the contact to disqualified or recycled')
  }
  await enterLifecycleStage(db, { ...ref, entity: 'contact' }, from, target, new Date())
  return target
}

/**
 * Lead status lives only inside mql and sal (DEFINITIONS.md): setting it elsewhere is refused, a
 * contact entering mql or sal starts at `new`, and one leaving them loses its status.
 */
function leadStatusRule(
  stage: string | null,
  before: ContactRow | undefined,
  leadStatus: ContactPatch['leadStatus'],
) {
  const isQueued = queueStages.includes(stage)
  if (leadStatus != null && !isQueued) {
    invalid(
      'leadStatus',
      `only applies while lifecycleStage is mql or sal (it is ${stage ?? 'not set'})`,
    )
  }
  if (leadStatus !== undefined) return { leadStatus }
  if (!isQueued) return before?.leadStatus ? { leadStatus: null } : {}
  return queueStages.includes(before?.lifecycleStage ?? null) ? {} : { leadStatus: 'new' }
}

/** A recycled contact always has a re-engage date (default today + 90 days); others have none. */
async function recycleRule(
  db: Kysely<DB>,
  workspaceId: string,
  stage: string | null,
  before: ContactRow | undefined,
  recycleUntil: ContactPatch['recycleUntil'],
) {
  if (stage !== 'recycled') {
    if (recycleUntil != null) {
      invalid(
        'recycleUntil',
        `only applies while lifecycleStage is recycled (it is ${stage ?? 'not set'})`,
      )
    }
    return before?.recycleUntil ? { recycleUntil: null } : {}
  }
  if (recycleUntil === null) invalid('recycleUntil', 'required while lifecycleStage is recycled')
  if (recycleUntil !== undefined) return { recycleUntil }
  if (before?.lifecycleStage === 'recycled' && before.recycleUntil) return {}
  return { recycleUntil: await selectWorkspaceDate(db, workspaceId, recycleDays) }
}
