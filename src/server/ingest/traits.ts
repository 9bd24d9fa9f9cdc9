import { hostOf } from '../../domain/channels.ts'
import { ContactInput } from '../contacts/input.ts'

/**
 * Which identify and group traits fill which fields of a contact or an account (docs/ingestion.md).
 * Traits are kept whole on the record; a trait that does not fit its field (an email that is not
 * one, a name of 500 characters) fills nothing and is never a reason to refuse the event.
 */

export interface ContactFields {
  email?: string
  firstName?: string
  lastName?: string
  title?: string
  phone?: string
}

export interface AccountFields {
  name?: string
  domain?: string
  industry?: string
  employees?: number
}

type Traits = Record<string, unknown>

function text(traits: Traits, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = traits[key]
    if (typeof value === 'string' && value.trim() !== '') return value.trim()
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  }
  return undefined
}

const fieldSchemas = ContactInput.shape

function fits<K extends keyof ContactFields>(key: K, value: string | undefined) {
  if (value === undefined) return undefined
  const parsed = fieldSchemas[key].safeParse(value)
  return parsed.success && typeof parsed.data === 'string' && parsed.data !== ''
    ? parsed.data
    : undefined
}

/** The contact fields an identify's traits set (Segment's reserved traits, camel or snake case). */
export function contactFieldsOf(traits: Traits): ContactFields {
  let firstName = text(traits, 'firstName', 'first_name')
  let lastName = text(traits, 'lastName', 'last_name')
  const name = text(traits, 'name')
  if (name && !firstName && !lastName) {
    const space = name.indexOf(' ')
    firstName = space === -1 ? name : name.slice(0, space)
    lastName = space === -1 ? undefined : name.slice(space + 1).trim()
  }
  const fields: ContactFields = {
    email: fits('email', text(traits, 'email')),
    firstName: fits('firstName', firstName),
    lastName: fits('lastName', lastName),
    title: fits('title', text(traits, 'title', 'jobTitle', 'job_title')),
    phone: fits('phone', text(traits, 'phone')),
  }
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
}

/** The email of an identify's traits when it is a valid one, lower-cased: how a contact is found. */
export function emailOf(traits: Traits): string | undefined {
  return fits('email', text(traits, 'email'))
}

/** The account fields a group call's traits set. */
export function accountFieldsOf(traits: Traits): AccountFields {
  const fields: AccountFields = {}
  const name = text(traits, 'name', 'company', 'companyName')
  if (name && name.length <= 200) fields.name = name
  const domain = hostOf(text(traits, 'domain', 'website', 'url') ?? null)?.replace(/^www\./, '')
  if (domain && domain.length <= 255 && domain.includes('.')) fields.domain = domain
  const industry = text(traits, 'industry')
  if (industry && industry.length <= 100) fields.industry = industry
  const employees = Number(traits.employees ?? traits.employee_count ?? Number.NaN)
  if (Number.isInteger(employees) && employees >= 0 && employees <= 10_000_000) {
    fields.employees = employees
  }
  return fields
}
