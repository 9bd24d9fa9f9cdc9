import { z } from 'zod'

/** Limits of a form and of what may be posted to it (docs/forms.md, "Limits"). */
export const formLimits = {
  fields: 30,
  labelChars: 200,
  options: 100,
  optionChars: 200,
  /** Characters of one answer: a textarea's, and any other field's. */
  textareaChars: 5000,
  valueChars: 1000,
  /** Bytes of one posted body (HTML form post or JSON). */
  bodyBytes: 64 * 1024,
  consentChars: 2000,
  messageChars: 2000,
} as const

export const fieldTypes = ['text', 'email', 'tel', 'textarea', 'select', 'checkbox'] as const
export type FieldType = (typeof fieldTypes)[number]

/** Contact fields a form field may fill; `company` names the contact's account. */
export const contactTargets = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'title',
  'company',
] as const
export type ContactTarget = (typeof contactTargets)[number]

/** Names the honeypot and the anonymous-id inputs use; a form field may not take them. */
export const honeypotName = 'website'
export const anonymousIdName = 'tandem_aid'
export const consentName = 'tandem_consent'
export const pageUrlName = 'tandem_page'
const reservedKeys = new Set([honeypotName, anonymousIdName, consentName, pageUrlName])

const customTarget = /^custom\.[a-z][a-z0-9_]{0,62}$/

export const FormFieldInput = z.object({
  key: z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{0,62}$/,
      'must be lowercase letters, digits and _, starting with a letter',
    )
    .refine((key) => !reservedKeys.has(key), 'is reserved by Tandem'),
  label: z.string().trim().min(1, 'required').max(formLimits.labelChars),
  type: z.enum(fieldTypes),
  required: z.boolean().default(false),
  mapsTo: z
    .string()
    .refine(
      (v) => (contactTargets as readonly string[]).includes(v) || customTarget.test(v),
      `must be one of ${contactTargets.join(', ')}, or custom.<key> of a contact custom field`,
    )
    .nullable()
    .default(null),
  options: z
    .array(z.string().trim().min(1).max(formLimits.optionChars))
    .max(formLimits.options)
    .optional(),
})
export type FormFieldInput = z.infer<typeof FormFieldInput>

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const url = new URL(v)
      return url.protocol === 'http:' || url.protocol === 'https:'
    } catch {
      return false
    }
  }, 'must be an http:// or https:// URL')

const formShape = {
  name: z.string().trim().min(1, 'required').max(200),
  fields: z.array(FormFieldInput).min(1, 'add at least one field').max(formLimits.fields),
  consentText: z.string().trim().max(formLimits.consentChars).nullable().default(null),
  thankYouMessage: z
    .string()
    .trim()
    .max(formLimits.messageChars)
    .default('Thank you! We will be in touch.'),
  redirectUrl: httpUrl.nullable().default(null),
  isHighIntent: z.boolean().default(false),
}

/** The rules across fields: keys unique, one field mapped to email, select has options. */
function checkFields(fields: FormFieldInput[] | undefined, ctx: z.RefinementCtx) {
  if (!fields) return
  const seen = new Map<string, number>()
  const targets = new Map<string, number>()
  fields.forEach((field, i) => {
    if (seen.has(field.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fields', i, 'key'],
        message: `"${field.key}" is already the key of field ${(seen.get(field.key) ?? 0) + 1}`,
      })
    }
    seen.set(field.key, i)
    if (field.mapsTo) {
      if (targets.has(field.mapsTo)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'mapsTo'],
          message: `${field.mapsTo} is already filled by field ${(targets.get(field.mapsTo) ?? 0) + 1}`,
        })
      }
      targets.set(field.mapsTo, i)
    }
    if (field.type === 'select' && !field.options?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['fields', i, 'options'],
        message: 'a select needs at least one option',
      })
    }
    if (field.mapsTo === 'email' && field.type !== 'email') {
      ctx.addIssue({
        code: 'custom',
        path: ['fields', i, 'type'],
        message: 'the field mapped to email must be of type email',
      })
    }
  })
  if (fields.length > 0 && !targets.has('email')) {
    ctx.addIssue({
      code: 'custom',
      path: ['fields'],
      message: 'map one field to email: a submission needs it to know the person',
    })
  }
}

export const FormInput = z
  .object(formShape)
  .superRefine((form, ctx) => checkFields(form.fields, ctx))
export type FormInput = z.infer<typeof FormInput>

export const FormPatch = z
  .object({
    name: formShape.name,
    fields: formShape.fields,
    consentText: z.string().trim().max(formLimits.consentChars).nullable(),
    thankYouMessage: z.string().trim().max(formLimits.messageChars),
    redirectUrl: httpUrl.nullable(),
    isHighIntent: z.boolean(),
  })
  .partial()
  .superRefine((form, ctx) => checkFields(form.fields, ctx))
export type FormPatch = z.infer<typeof FormPatch>

/** The field mapped to email is always required (a submission must name the person). */
export function normalizeFields(fields: FormFieldInput[]): FormFieldInput[] {
  return fields.map((f) => ({
    ...f,
    required: f.mapsTo === 'email' ? true : f.required,
    ...(f.type === 'select' ? { options: f.options ?? [] } : { options: undefined }),
  }))
}

/** The most characters one answer to this field may have. */
export function valueLimitOf(type: FieldType): number {
  return type === 'textarea' ? formLimits.textareaChars : formLimits.valueChars
}
