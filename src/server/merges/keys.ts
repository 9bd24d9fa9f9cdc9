import { type RawBuilder, sql } from 'kysely'
import {
  type AccountDuplicateReason,
  asciiNoise,
  asciiSpaces,
  type ContactDuplicateReason,
  legalSuffixes,
  minPhoneDigits,
} from '../../domain/duplicates.ts'

// The duplicate keys of src/domain/duplicates.ts as SQL over a row aliased `x`. Contacts and
// accounts store them in generated columns (migration 2026-11-27T0120-duplicate-keys, a frozen copy
// of these expressions) with an index each, so finding duplicates never normalises a whole
// workspace; keys.test.ts checks the domain rules, these expressions and the stored columns agree.
// Case folding is ASCII-only (collate "C") so the keys do not depend on the database's locale.
// Changing a rule means a new migration that generates the columns again.

const edges = `^${asciiSpaces}|${asciiSpaces}$`
const fold = (value: RawBuilder<unknown>) =>
  sql<string>`lower(regexp_replace(${value}, ${edges}, '', 'g') collate "C")`
const collapse = (value: RawBuilder<string>) =>
  sql<string>`regexp_replace(regexp_replace(${value}, ${asciiSpaces}, ' ', 'g'), ${edges}, '', 'g')`

const personName = sql<string | null>`nullif(${collapse(
  fold(sql`coalesce(x.first_name, '') || ' ' || coalesce(x.last_name, '')`),
)}, '')`

const phoneDigits = sql<string>`regexp_replace(coalesce(x.phone, ''), '[^0-9]', '', 'g')`

const email = sql<
  string | null
>`nullif(regexp_replace(${fold(sql`x.email`)}, '\\+[^@]*@', '@'), '')`

const companyWords = collapse(sql`regexp_replace(${fold(sql`x.name`)}, ${asciiNoise}, ' ', 'g')`)
const suffixes = `( (${legalSuffixes.join('|')}))+$`

const domain = sql<string | null>`nullif(rtrim(substring(regexp_replace(regexp_replace(
  ${fold(sql`x.domain`)}, '^[a-z][a-z0-9+.-]*://', ''), '^www\\.', '') from '^[^/?#:]*'), '.'), '')`

export const contactKeySql: Record<ContactDuplicateReason, RawBuilder<string | null>> = {
  email,
  name_phone: sql`case when length(${phoneDigits}) >= ${minPhoneDigits}
    then ${personName} || '|' || ${phoneDigits} end`,
  name_company: sql`${personName} || '|' || x.account_id::text`,
}

export const accountKeySql: Record<AccountDuplicateReason, RawBuilder<string | null>> = {
  domain,
  name: sql`coalesce(nullif(regexp_replace(${companyWords}, ${suffixes}, ''), ''),
    nullif(${companyWords}, ''))`,
}

/** The stored, indexed column of each key (same rules as the expressions above). */
export const contactKeyColumn = {
  email: 'dup_email',
  name_phone: 'dup_name_phone',
  name_company: 'dup_name_company',
} as const satisfies Record<ContactDuplicateReason, string>

export const accountKeyColumn = {
  domain: 'dup_domain',
  name: 'dup_name',
} as const satisfies Record<AccountDuplicateReason, string>

export type KeyColumn =
  | (typeof contactKeyColumn)[ContactDuplicateReason]
  | (typeof accountKeyColumn)[AccountDuplicateReason]
