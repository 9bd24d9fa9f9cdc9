import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { loadDefinitions } from '../custom-fields/values.ts'
import type { Database } from '../db/database.ts'
import type { DB, FormFieldRow } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, PageQuery } from '../http/pagination.ts'
import { type FormFieldInput, type FormInput, type FormPatch, normalizeFields } from './fields.ts'
import { presentForm, presentSubmission } from './present.ts'
import {
  findForm,
  insertForm,
  lockForm,
  selectFormPage,
  selectSubmissionPage,
  updateFormRow,
} from './queries.ts'

export const FormListQuery = PageQuery.extend({
  archived: z.enum(['true', 'false']).optional().describe('`true` lists archived forms too'),
})
export type FormListQuery = z.infer<typeof FormListQuery>

function userOf(principal: Principal) {
  return principal.kind === 'user' ? principal.userId : null
}

/** Each custom.<key> mapping must name a contact custom field of the workspace. */
async function checkMappings(db: Kysely<DB>, workspaceId: string, fields: FormFieldInput[]) {
  const custom = fields.filter((f) => f.mapsTo?.startsWith('custom.'))
  if (custom.length === 0) return
  const keys = new Set((await loadDefinitions(db, workspaceId, 'contact')).map((d) => d.key))
  for (const field of custom) {
    const key = String(field.mapsTo).slice('custom.'.length)
    if (!keys.has(key)) {
      const i = fields.indexOf(field)
      throw new AppError(
        'invalid_input',
        `body.fields.${i}.mapsTo: no contact custom field "${key}" is defined`,
        { field: `fields.${i}.mapsTo` },
      )
    }
  }
}

/** Lists the workspace's forms with their views, submissions and conversion rate; any member. */
export async function listForms(db: Database, principal: Principal, query: FormListQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const after = decodeCursor(query.cursor, ['id'])
  const rows = await selectFormPage(db, workspaceId, {
    isArchivedIncluded: query.archived === 'true',
    after: after?.id as string | undefined,
    limit: query.limit + 1,
  })
  const data = rows.slice(0, query.limit)
  const last = data.at(-1)
  return {
    data: data.map(presentForm),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null,
  }
}

export async function getForm(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await findForm(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Form not found')
  return presentForm(row)
}

/** Creates a form (admin, marketing); the field mapped to email is always required. */
export async function createForm(db: Database, principal: Principal, input: FormInput) {
  const { workspaceId } = requirePermission(principal, 'campaigns:write')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    await checkMappings(trx, workspaceId, input.fields)
    await insertForm(trx, {
      workspaceId,
      id,
      name: input.name,
      fields: normalizeFields(input.fields) as FormFieldRow[],
      consentText: input.consentText || null,
      thankYouMessage: input.thankYouMessage,
      redirectUrl: input.redirectUrl,
      isHighIntent: input.isHighIntent,
      createdBy: userOf(principal),
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'form.create',
      targetType: 'form',
      targetId: id,
      details: { name: input.name },
    })
  })
  return getForm(db, principal, id)
}

/** Changes a form (admin, marketing); earlier submissions keep the values they were sent with. */
export async function updateForm(db: Database, principal: Principal, id: string, patch: FormPatch) {
  const { workspaceId } = requirePermission(principal, 'campaigns:write')
  await db.transaction().execute(async (trx) => {
    const existing = await lockForm(trx, workspaceId, id)
    if (!existing) throw new AppError('not_found', 'Form not found')
    if (existing.archivedAt) throw new AppError('conflict', 'This form is archived')
    if (patch.fields) await checkMappings(trx, workspaceId, patch.fields)
    await updateFormRow(trx, workspaceId, id, {
      ...patch,
      ...(patch.fields ? { fields: normalizeFields(patch.fields) as FormFieldRow[] } : {}),
      ...(patch.consentText !== undefined ? { consentText: patch.consentText || null } : {}),
      updatedBy: userOf(principal),
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'form.update',
      targetType: 'form',
      targetId: id,
      details: { changed: Object.keys(patch) },
    })
  })
  return getForm(db, principal, id)
}

/** Archives a form (admin, marketing): its page and posts answer 404; its data stays. */
export async function archiveForm(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'campaigns:write')
  await db.transaction().execute(async (trx) => {
    const existing = await lockForm(trx, workspaceId, id)
    if (!existing || existing.archivedAt) {
      throw new AppError('not_found', 'Form not found or already archived')
    }
    await updateFormRow(trx, workspaceId, id, {
      archivedAt: new Date(),
      updatedBy: userOf(principal),
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'form.archive',
      targetType: 'form',
      targetId: id,
      details: { name: existing.name },
    })
  })
}

/** The form's submissions, newest first, keyset-paged; any member. */
export async function listFormSubmissions(
  db: Database,
  principal: Principal,
  id: string,
  page: { limit: number; cursor?: string | undefined },
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const form = await findForm(db, workspaceId, id)
  if (!form) throw new AppError('not_found', 'Form not found')
  const after = decodeCursor(page.cursor, ['id'])
  const rows = await selectSubmissionPage(
    db,
    workspaceId,
    id,
    after?.id as string | undefined,
    page.limit + 1,
  )
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  return {
    data: data.map(presentSubmission),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ id: last.id }) : null,
  }
}
