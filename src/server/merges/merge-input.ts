import { z } from 'zod'
import { AppError } from '../errors.ts'
import { Id } from '../http/schemas.ts'

export const maxMergeOthers = 50

export const MergeInput = z.object({
  otherIds: z
    .array(Id)
    .min(1)
    .max(maxMergeOthers)
    .describe(`the records merged into this one (at most ${maxMergeOthers})`),
  fields: z
    .record(z.string().max(100), Id)
    .optional()
    .describe(
      "per field, the id of the record (this one or one of otherIds) whose value is kept; custom fields as custom.<key>. Default: this record's non-empty value, else the first other's; the lifecycle stage furthest along; doNotContact if any record has it.",
    ),
})
export type MergeInput = z.infer<typeof MergeInput>

/**
 * The losers' ids (deduplicated) after checking the input names neither the survivor itself nor
 * a field that cannot be chosen, and that every choice picks one of the merged records.
 */
export function checkMergeInput(
  survivorId: string,
  input: MergeInput,
  fields: readonly string[],
): string[] {
  const others = [...new Set(input.otherIds)]
  if (others.includes(survivorId)) {
    throw new AppError('invalid_input', 'otherIds: cannot include the record merged into', {
      field: 'otherIds',
    })
  }
  for (const [field, source] of Object.entries(input.fields ?? {})) {
    const name = `fields.${field}`
    const isCustom = /^custom\.[a-z][a-z0-9_]{0,62}$/.test(field)
    if (!isCustom && !fields.includes(field)) {
      throw new AppError(
        'invalid_input',
        `${name}: not a field that can be chosen; use one of ${fields.join(', ')} or custom.<key>`,
        { field: name },
      )
    }
    if (source !== survivorId && !others.includes(source)) {
      throw new AppError('invalid_input', `${name}: must be the id of one of the merged records`, {
        field: name,
      })
    }
  }
  return others
}

/** A 400 naming otherIds for ids that are not live records of this workspace (never saying which workspace). */
export function missingOthers(entity: string, others: string[], found: { id: string }[]) {
  const missing = others.filter((id) => !found.some((row) => row.id === id))
  if (missing.length > 0) {
    throw new AppError(
      'invalid_input',
      `otherIds: no ${entity} with id ${missing.join(', ')} in this workspace`,
      { field: 'otherIds', ids: missing },
    )
  }
}
