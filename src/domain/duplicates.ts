// Likely duplicates: the keys two records share when they are probably one person or one company.
// Each normaliser answers undefined when a value is too thin to match on (no digits, empty name).
// The SQL that groups records in the database mirrors these rules (src/server/merges/keys.ts);
// a test there checks both give the same key for the same values.

export type ContactDuplicateReason = 'email' | 'name_phone' | 'name_company'
export type AccountDuplicateReason = 'domain' | 'name'
export type DuplicateReason = ContactDuplicateReason | AccountDuplicateReason

export const contactDuplicateReasons = ['email', 'name_phone', 'name_company'] as const
export const accountDuplicateReasons = ['domain', 'name'] as const

/** Legal-form words dropped from the end of a company name ("Acme Inc." is "acme"). */
export const legalSuffixes = [
  'ab',
  'ag',
  'as',
  'bv',
  'co',
  'company',
  'corp',
  'corporation',
  'gmbh',
  'inc',
  'incorporated',
  'kg',
  'limited',
  'llc',
  'llp',
  'lp',
  'ltd',
  'nv',
  'oy',
  'plc',
  'pty',
  'sa',
  'sarl',
  'sas',
  'spa',
  'srl',
] as const

/** Phones shorter than this (in digits) are extensions or typos, too weak to match on. */
export const minPhoneDigits = 7

// Only ASCII is folded (case, spaces, punctuation), so PostgreSQL gives the same keys under any
// locale: "MÜLLER" and "Müller" stay apart, "Acme, Inc." and "ACME inc" meet.
/** Runs of ASCII whitespace (a regular expression source shared with the SQL side). */
export const asciiSpaces = '[\\t\\n\\v\\f\\r ]+'
/** Runs of ASCII characters other than letters and digits. */
export const asciiNoise = '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+'

const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (c) => c.toLowerCase())
const trimAscii = (s: string) => s.replace(new RegExp(`^${asciiSpaces}|${asciiSpaces}$`, 'g'), '')
const collapse = (s: string) => trimAscii(s.replace(new RegExp(asciiSpaces, 'g'), ' '))

/** ada@example.com for " Ada+news@Example.COM ": case, spaces and plus-addressing removed. */
export function normalizeEmailKey(email: string | null | undefined): string | undefined {
  if (!email) return undefined
  const trimmed = lowerAscii(trimAscii(email))
  const at = trimmed.indexOf('@')
  if (at <= 0) return trimmed === '' ? undefined : trimmed
  const local = trimmed.slice(0, at).replace(/\+.*$/, '')
  return `${local}${trimmed.slice(at)}`
}

/** The digits of a phone number ("+49 (30) 123-4567" is "49301234567"). */
export function normalizePhoneKey(phone: string | null | undefined): string | undefined {
  const digits = (phone ?? '').replace(/[^0-9]/g, '')
  return digits.length >= minPhoneDigits ? digits : undefined
}

/** "ada lovelace" for " Ada ", "LOVELACE": first and last name, lower-cased, spaces collapsed. */
export function normalizePersonName(
  firstName: string | null | undefined,
  lastName: string | null | undefined,
): string | undefined {
  const name = collapse(lowerAscii(`${firstName ?? ''} ${lastName ?? ''}`))
  return name === '' ? undefined : name
}

/** example.com for "https://www.Example.com./about": scheme, www., path, port, trailing dots gone. */
export function normalizeDomainKey(domain: string | null | undefined): string | undefined {
  if (!domain) return undefined
  const host = lowerAscii(trimAscii(domain))
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .match(/^[^/?#:]*/)?.[0]
    .replace(/\.+$/, '')
  return host ? host : undefined
}

const suffixPattern = new RegExp(`( (${legalSuffixes.join('|')}))+$`)

/** "acme robotics" for "ACME Robotics, Inc.": case, punctuation and trailing legal forms removed. */
export function normalizeCompanyName(name: string | null | undefined): string | undefined {
  if (!name) return undefined
  const words = collapse(lowerAscii(name).replace(new RegExp(asciiNoise, 'g'), ' '))
  const stripped = words.replace(suffixPattern, '')
  return stripped === '' ? (words === '' ? undefined : words) : stripped
}

export interface ContactKeys {
  email?: string | null
  firstName?: string | null
  lastName?: string | null
  phone?: string | null
  accountId?: string | null
}

/** The key a contact is grouped under for one reason, or undefined when it cannot match on it. */
export function contactDuplicateKey(
  reason: ContactDuplicateReason,
  contact: ContactKeys,
): string | undefined {
  if (reason === 'email') return normalizeEmailKey(contact.email)
  const name = normalizePersonName(contact.firstName, contact.lastName)
  if (!name) return undefined
  const other = reason === 'name_phone' ? normalizePhoneKey(contact.phone) : contact.accountId
  return other ? `${name}|${other}` : undefined
}

/** The key an account is grouped under for one reason, or undefined when it cannot match on it. */
export function accountDuplicateKey(
  reason: AccountDuplicateReason,
  account: { name?: string | null; domain?: string | null },
): string | undefined {
  return reason === 'domain'
    ? normalizeDomainKey(account.domain)
    : normalizeCompanyName(account.name)
}

/** Records grouped by a key: only groups of two or more, in the order the keys first appear. */
export function groupDuplicates<T>(
  records: readonly T[],
  keyOf: (record: T) => string | undefined,
): { key: string; records: T[] }[] {
  const groups = new Map<string, T[]>()
  for (const record of records) {
    const key = keyOf(record)
    if (key === undefined) continue
    const group = groups.get(key)
    if (group) group.push(record)
    else groups.set(key, [record])
  }
  return [...groups]
    .filter(([, members]) => members.length > 1)
    .map(([key, members]) => ({ key, records: members }))
}
