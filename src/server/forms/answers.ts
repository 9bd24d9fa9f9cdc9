import { ContactInput } from '../contacts/input.ts'
import type { CustomFieldDefinition } from '../custom-fields/values.ts'
import type { FormFieldRow } from '../db/schema.ts'
import {
  anonymousIdName,
  type ContactTarget,
  consentName,
  honeypotName,
  pageUrlName,
  valueLimitOf,
} from './fields.ts'

/** One problem with a posted answer, named by the form field's key. */
export interface AnswerIssue {
  field: string
  message: string
}

/** A submission, read and checked: what the form's fields were answered with. */
export interface Answers {
  values: Record<string, string | boolean>
  contact: Partial<Record<ContactTarget, string>>
  custom: Record<string, string | number | string[]>
  isConsentGiven: boolean
  anonymousId: string | undefined
  pageUrl: string | undefined
}

export type ReadAnswers =
  | { kind: 'honeypot' }
  | { kind: 'invalid'; issues: AnswerIssue[]; values: Record<string, string | boolean> }
  | { kind: 'ok'; answers: Answers }

const truthy = new Set(['on', 'true', '1', 'yes'])

function textOf(raw: unknown): string | undefined {
  if (Array.isArray(raw)) return textOf(raw[0])
  if (typeof raw === 'string') return raw.trim()
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw)
  if (typeof raw === 'boolean') return raw ? 'true' : ''
  return undefined
}

function isChecked(raw: unknown): boolean {
  if (raw === true) return true
  const text = textOf(raw)
  return text !== undefined && truthy.has(text.toLowerCase())
}

/** The answer as the contact custom field's type wants it, or an error message. */
function customValueOf(definition: CustomFieldDefinition, value: string | boolean) {
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : value
  switch (definition.type) {
    case 'number': {
      const n = Number(text.replace(/,/g, ''))
      return Number.isFinite(n) && text !== '' ? n : { error: 'must be a number' }
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : { error: 'must be a date YYYY-MM-DD' }
    case 'select':
      return definition.options.includes(text)
        ? text
        : { error: `must be one of ${definition.options.join(', ')}` }
    case 'multi_select':
      return definition.options.includes(text)
        ? [text]
        : { error: `must be one of ${definition.options.join(', ')}` }
    default:
      return text.slice(0, 2000)
  }
}

const contactSchemas = ContactInput.shape

/**
 * Reads a posted body against the form's fields: the honeypot first (a bot gets a success answer
 * and nothing is stored), then each field: required, its length limit, email and phone shapes,
 * select options, the consent checkbox, and the type of a mapped custom field.
 */
export function readAnswers(
  fields: FormFieldRow[],
  consentText: string | null,
  body: Record<string, unknown>,
  definitions: CustomFieldDefinition[],
): ReadAnswers {
  if ((textOf(body[honeypotName]) ?? '') !== '') return { kind: 'honeypot' }
  const issues: AnswerIssue[] = []
  const values: Record<string, string | boolean> = {}
  const contact: Answers['contact'] = {}
  const custom: Answers['custom'] = {}
  const byKey = new Map(definitions.map((d) => [d.key, d]))
  for (const field of fields) {
    const raw = body[field.key]
    if (field.type === 'checkbox') {
      const checked = isChecked(raw)
      values[field.key] = checked
      if (field.required && !checked) issues.push({ field: field.key, message: 'required' })
      if (!field.mapsTo) continue
    }
    const text = field.type === 'checkbox' ? undefined : (textOf(raw) ?? '')
    if (text !== undefined) {
      values[field.key] = text
      if (text === '') {
        if (field.required) issues.push({ field: field.key, message: 'required' })
        continue
      }
      const limit = valueLimitOf(field.type)
      if (text.length > limit) {
        issues.push({
          field: field.key,
          message: `at most ${limit.toLocaleString('en-US')} characters (${text.length.toLocaleString('en-US')} sent)`,
        })
        continue
      }
      if (field.type === 'select' && !(field.options ?? []).includes(text)) {
        issues.push({ field: field.key, message: 'choose one of the options' })
        continue
      }
    }
    const value = values[field.key] as string | boolean
    const target = field.mapsTo
    if (!target) continue
    if (target.startsWith('custom.')) {
      const definition = byKey.get(target.slice('custom.'.length))
      if (!definition) continue
      const converted = customValueOf(definition, value)
      if (typeof converted === 'object' && !Array.isArray(converted)) {
        issues.push({ field: field.key, message: converted.error })
      } else custom[definition.key] = converted
      continue
    }
    if (typeof value !== 'string') continue
    if (target === 'company') {
      contact.company = value.slice(0, 200)
      continue
    }
    const key = target as Exclude<ContactTarget, 'company'>
    const parsed = contactSchemas[key].safeParse(value)
    if (!parsed.success || typeof parsed.data !== 'string') {
      issues.push({
        field: field.key,
        message: target === 'email' ? 'must be an email address' : `is not a valid ${target}`,
      })
    } else contact[key] = parsed.data
  }
  const isConsentGiven = isChecked(body[consentName])
  if (consentText && !isConsentGiven) {
    issues.push({ field: consentName, message: 'please give your consent to send this form' })
  }
  if (issues.length > 0) return { kind: 'invalid', issues, values }
  const anonymousId = textOf(body[anonymousIdName])
  const pageUrl = textOf(body[pageUrlName])
  return {
    kind: 'ok',
    answers: {
      values,
      contact,
      custom,
      isConsentGiven,
      anonymousId: anonymousId && anonymousId.length <= 200 ? anonymousId : undefined,
      pageUrl: pageUrl && /^https?:\/\//i.test(pageUrl) ? pageUrl.slice(0, 2000) : undefined,
    },
  }
}
