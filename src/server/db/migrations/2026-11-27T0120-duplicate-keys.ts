import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The duplicate keys of src/domain/duplicates.ts
// (issue 4), stored on each contact and account so finding duplicates reads an index instead of
// normalising every record of the workspace on each request. Copied from
// src/server/merges/keys.ts as it was on this date; keys.test.ts checks that the stored keys equal
// the domain's. Every function here is IMMUTABLE (regexp_replace, lower over collate "C", ...), and
// the keys are collate "C" so their order does not depend on the database's locale. A change to
// the rules needs a new migration that drops and adds the columns again.

const spaces = '[\\t\\n\\v\\f\\r ]+'
const edges = `^${spaces}|${spaces}$`
const noise = '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+'
const legalSuffixes =
  'ab|ag|as|bv|co|company|corp|corporation|gmbh|inc|incorporated|kg|limited|llc|llp|lp|ltd|nv|oy|' +
  'plc|pty|sa|sarl|sas|spa|srl'

const fold = (value: string) => `lower(regexp_replace(${value}, '${edges}', '', 'g') collate "C")`
const collapse = (value: string) =>
  `regexp_replace(regexp_replace(${value}, '${spaces}', ' ', 'g'), '${edges}', '', 'g')`

const fullName = `coalesce(first_name, '') || ' ' || coalesce(last_name, '')`
const personName = `nullif(${collapse(fold(fullName))}, '')`
const phoneDigits = `regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')`
const companyWords = collapse(`regexp_replace(${fold('name')}, '${noise}', ' ', 'g')`)

const contactKeys = {
  dup_email: `nullif(regexp_replace(${fold('email')}, '\\+[^@]*@', '@'), '')`,
  dup_name_phone: `case when length(${phoneDigits}) >= 7
    then ${personName} || '|' || ${phoneDigits} end`,
  dup_name_company: `${personName} || '|' || account_id::text`,
}
const accountKeys = {
  dup_domain: `nullif(rtrim(substring(regexp_replace(regexp_replace(${fold('domain')},
    '^[a-z][a-z0-9+.-]*://', ''), '^www\\.', '') from '^[^/?#:]*'), '.'), '')`,
  dup_name: `coalesce(nullif(regexp_replace(${companyWords}, '( (${legalSuffixes}))+$', ''), ''),
    nullif(${companyWords}, ''))`,
}

// One rewrite per table: every column in one ALTER TABLE. Each index holds only live records
// (not in the Trash, not merged) that have the key, ordered by key and then oldest first, so a
// page of groups is an index-only scan and a group's first members are its first entries.
function addKeys(table: string, keys: Record<string, string>) {
  const columns = Object.entries(keys).map(
    ([column, expression]) =>
      `add column ${column} text collate "C" generated always as (${expression}) stored`,
  )
  const indexes = Object.keys(keys).map(
    (column) => `create index ${table}_${column}_idx on ${table}
      (workspace_id, ${column}, created_at, id)
      where ${column} is not null and deleted_at is null and merged_into is null;`,
  )
  return `alter table ${table} ${columns.join(',\n')};\n${indexes.join('\n')}`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(addKeys('contacts', contactKeys)).execute(db)
  await sql.raw(addKeys('accounts', accountKeys)).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const drop = (table: string, keys: Record<string, string>) =>
    `alter table ${table} ${Object.keys(keys)
      .map((column) => `drop column if exists ${column}`)
      .join(', ')};`
  await sql.raw(`${drop('contacts', contactKeys)}\n${drop('accounts', accountKeys)}`).execute(db)
}
