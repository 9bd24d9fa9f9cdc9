import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import type { Database } from '../src/server/db/database.ts'

/** How much to load into the workspace, and in how many steps (one progress tick each). */
export interface ContactsVolume {
  contacts: number
  accounts: number
  /** Members who own records, besides the person who signed up. */
  owners: number
  chunk: number
}

/** Where the load's time went: writing the rows, rebuilding the indexes, VACUUM ANALYZE. */
export interface LoadSeconds {
  rows: number
  indexes: number
  vacuum: number
}

/** Reports the load's steps to a progress bar: the number of indexes to rebuild, each step done. */
export interface LoadSteps {
  indexes(count: number): void
  tick(status: string): void
}

const firstNames = (
  'Anna,Ben,Carla,David,Elena,Felix,Grace,Hugo,Ines,Jonas,Kira,Lukas,Maria,Noah,' +
  'Olivia,Paul,Quinn,Rosa,Samuel,Tara,Uma,Victor,Wen,Xavier,Yara,Zoe,Ahmed,Beatriz,' +
  'Chen,Dmitri,Emma,Fatima,Giulia,Hannah,Ivan,Julia,Kenji,Lea,Mateo,Nadia,Oscar,' +
  'Priya,Rafael,Sofia,Tomasz,Valentina,William,Yuki,Aisha,Bruno,Clara,Diego,Erik,' +
  'Freya,Hiroshi,Isabel,James,Katarzyna,Liam,Mia'
).split(',')
const lastNames = (
  'Schmidt,Schneider,Smith,Johnson,Garcia,Rossi,Dubois,Kowalski,Nowak,Jansen,' +
  'Andersson,Nielsen,Silva,Santos,Tanaka,Sato,Kim,Lee,Wang,Li,Patel,Singh,Brown,' +
  'Taylor,Wilson,Martin,Bernard,Moreau,Fischer,Weber,Meyer,Wagner,Becker,Hoffmann,' +
  'Lopez,Martinez,Fernandez,Romano,Colombo,Ricci,De Vries,Van Dijk,Bakker,Visser,' +
  'Larsen,Olsen,Hansen,Virtanen,Korhonen,Novak,Horvat,Popescu,Ivanov,Petrov,' +
  "O'Brien,Murphy,Kelly,Walsh,Campbell,Stewart,Clarke,Evans,Hughes,Edwards,Nguyen," +
  'Tran,Yilmaz,Kaya,Cohen,Levi,Haddad,Mensah,Okafor,Adeyemi,Costa,Pereira,Almeida,' +
  'Gomez,Diaz,Reyes'
).split(',')
const titles = (
  'VP Operations,COO,Head of Supply Chain,CFO,Plant Director,Head of Automation,' +
  'Engineering Manager,IT Director,Robotics Lead,Warehouse Manager,' +
  'Shift Supervisor,Process Engineer,Logistics Coordinator,' +
  'Operations Excellence Manager,Buyer'
).split(',')
const personas = ['economic_buyer', 'technical_buyer', 'user', 'champion']
const freeMail = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'gmx.de', 'icloud.com']
const industries = [
  'manufacturing',
  'logistics',
  'retail',
  'automotive',
  'food',
  'pharma',
  'electronics',
  'energy',
]
const companyWords = [
  'Acme',
  'Nordic',
  'Atlas',
  'Vertex',
  'Blue',
  'Summit',
  'Pioneer',
  'Orbit',
  'Delta',
  'Harbor',
  'Granite',
  'Falcon',
  'Crescent',
  'Evergreen',
  'Iron',
  'Lumen',
  'Quantum',
  'Rhine',
  'Sierra',
  'Zen',
]
const companyKinds = ['Robotics', 'Logistics', 'Foods', 'Motors', 'Systems', 'Labs', 'Industries']

/** Expands [value, weight] pairs into a list a uniform random index picks from with those odds. */
function weighted(entries: readonly (readonly [string, number])[]): string[] {
  return entries.flatMap(([value, weight]) => Array.from({ length: weight }, () => value))
}

// ISO country, its region and its weight among accounts: Germany is one account in ten.
const countries = [
  ['US', 'na', 28],
  ['CA', 'na', 5],
  ['DE', 'emea', 10],
  ['GB', 'emea', 8],
  ['FR', 'emea', 6],
  ['NL', 'emea', 4],
  ['ES', 'emea', 3],
  ['IT', 'emea', 3],
  ['SE', 'emea', 3],
  ['PL', 'emea', 3],
  ['IN', 'apac', 5],
  ['JP', 'apac', 5],
  ['AU', 'apac', 4],
  ['SG', 'apac', 3],
  ['BR', 'latam', 5],
  ['MX', 'latam', 5],
] as const
const countryPicks = weighted(countries.map(([code, , weight]) => [code, weight]))
const regionOf = (column: string) =>
  sql`case ${sql.ref(column)} ${sql.join(
    countries.map(([code, region]) => sql`when ${code} then ${region}`),
    sql` `,
  )} end`

// Lifecycle states of DEFINITIONS.md, most contacts early in the funnel.
const stagePicks = weighted([
  ['subscriber', 22],
  ['lead', 30],
  ['mql', 12],
  ['sal', 5],
  ['sql', 5],
  ['opportunity', 4],
  ['customer', 10],
  ['evangelist', 2],
  ['disqualified', 6],
  ['recycled', 4],
])
const leadStatusPicks = weighted([
  ['new', 4],
  ['attempting', 3],
  ['connected', 2],
  ['qualified', 1],
])
const sourcePicks = weighted([
  ['website', 40],
  ['paid', 20],
  ['event', 12],
  ['referral', 8],
  ['import', 15],
  ['form', 5],
])
const utmSources = ['google', 'linkedin', 'newsletter', 'bing', 'partner', 'facebook']
const utmMediums = ['cpc', 'social', 'email', 'organic', 'referral']

const pick = (list: readonly string[], random: string) =>
  sql<string>`(${list}::text[])[1 + floor(${sql.ref(random)} * ${list.length})::int]`

/**
 * Owners, accounts and contacts of one workspace, written with INSERT … SELECT generate_series in
 * chunks (ids are uuidv7 stamped with each record's creation time). The contacts table's secondary
 * indexes are dropped during the load and rebuilt from their own definitions afterwards, the usual
 * way to bulk-load PostgreSQL; then VACUUM ANALYZE, as autovacuum would do on a table this size.
 */
export async function loadContacts(
  db: Database,
  workspaceId: string,
  volume: ContactsVolume,
  step: LoadSteps,
): Promise<{ ownerIds: string[]; seconds: LoadSeconds }> {
  const started = performance.now()
  const since = (at: number) => (performance.now() - at) / 1000
  await sql`select setseed(0.42)`.execute(db)
  const ownerIds = await addOwners(db, workspaceId, volume.owners)
  step.tick(`${ownerIds.length} owners`)
  await addAccounts(db, workspaceId, volume.accounts, ownerIds)
  step.tick(`${volume.accounts.toLocaleString('en')} accounts`)

  const indexes = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = 'contacts'
      and indexname <> 'contacts_pkey'`.execute(db)
  step.indexes(indexes.rows.length)
  for (const index of indexes.rows) await sql`drop index ${sql.ref(index.name)}`.execute(db)

  const ownerPicks = [...ownerIds, ...ownerIds.slice(0, 2)]
  for (let from = 1; from <= volume.contacts; from += volume.chunk) {
    const to = Math.min(volume.contacts, from + volume.chunk - 1)
    await addContacts(db, workspaceId, from, to, volume.accounts, ownerPicks)
    step.tick(`${to.toLocaleString('en')} contacts`)
  }

  const rows = since(started)

  const indexStart = performance.now()
  await sql`set maintenance_work_mem = '1GB'`.execute(db)
  for (const index of indexes.rows) {
    await sql.raw(index.definition).execute(db)
    step.tick(`index ${index.name}`)
  }
  await sql`reset maintenance_work_mem`.execute(db)
  const indexSeconds = since(indexStart)

  const vacuumStart = performance.now()
  await sql`vacuum (analyze) contacts, accounts, users, memberships`.execute(db)
  step.tick('vacuum analyze')
  return { ownerIds, seconds: { rows, indexes: indexSeconds, vacuum: since(vacuumStart) } }
}

/** Members of the workspace who own records: the person who signed up and `count` sales people. */
async function addOwners(db: Database, workspaceId: string, count: number): Promise<string[]> {
  await sql`
    insert into users (id, name, email, email_verified)
    select 'bench-owner-' || n, (${firstNames}::text[])[n] || ' ' || (${lastNames}::text[])[n],
      'owner' || n || '@bench.example', true
    from generate_series(1, ${count}) as n`.execute(db)
  await sql`
    insert into memberships (workspace_id, user_id, role)
    select ${workspaceId}::uuid, 'bench-owner-' || n, case when n = 1 then 'sales_manager' else 'sales' end
    from generate_series(1, ${count}) as n`.execute(db)
  await sql`
    insert into personas (workspace_id, key, label, position)
    select ${workspaceId}::uuid, key, initcap(replace(key, '_', ' ')), position
    from unnest(${personas}::text[]) with ordinality as p (key, position)
    on conflict do nothing`.execute(db)
  const members = await sql<{ userId: string }>`
    select user_id from memberships where workspace_id = ${workspaceId} order by user_id`.execute(
    db,
  )
  return members.rows.map((row) => row.userId)
}

/** Accounts with unique domains, spread over 3 years; `bench_accounts` numbers them for contacts. */
async function addAccounts(db: Database, workspaceId: string, count: number, ownerIds: string[]) {
  await sql`
    create temp table bench_accounts as
    with drawn as materialized (
      select n, now() - random() * interval '1095 days' as created_at, random() as r_word,
        random() as r_kind, random() as r_country, random() as r_industry, random() as r_size,
        random() as r_owner
      from generate_series(1, ${count}) as n
    )
    select n, uuidv7(created_at - now()) as id, created_at,
      ${pick(companyWords, 'r_word')} || ' ' || ${pick(companyKinds, 'r_kind')} as name,
      ${pick(countryPicks, 'r_country')} as country, ${pick(industries, 'r_industry')} as industry,
      round(exp(2 + r_size * 7))::int as employees, ${pick(ownerIds, 'r_owner')} as owner_id
    from drawn`.execute(db)
  await sql`alter table bench_accounts add primary key (n)`.execute(db)
  await sql`
    insert into accounts (workspace_id, id, name, domain, industry, employees, country, region, tier,
      owner_id, lifecycle_stage, created_at, updated_at)
    select ${workspaceId}::uuid, id, name || ' ' || n,
      lower(replace(name, ' ', '-')) || '-' || n || '.example', industry, employees, country,
      ${regionOf('country')},
      case when employees >= 2000 then 'enterprise' when employees >= 200 then 'mid_market'
        else 'smb' end,
      owner_id, 'lead', created_at, created_at
    from bench_accounts`.execute(db)
  await sql`analyze bench_accounts`.execute(db)
}

/** Contacts number `from`…`to`: 60 % at an account, the rest on a free-mail address. */
async function addContacts(
  db: Database,
  workspaceId: string,
  from: number,
  to: number,
  accounts: number,
  ownerPicks: string[],
) {
  await sql`
    insert into contacts (workspace_id, id, email, first_name, last_name, title, persona, phone,
      account_id, lifecycle_stage, lead_status, owner_id, source, first_touch_utm, last_touch_utm,
      email_opt_in, do_not_contact, recycle_until, created_at, updated_at)
    with drawn as materialized (
      select n,
        -- more contacts lately: the business grew over the 3 years
        now() - (1 - sqrt(random())) * interval '1095 days' as created_at,
        random() as r_first, random() as r_last, random() as r_title, random() as r_persona,
        random() as r_stage, random() as r_lead, random() as r_owner, random() as r_source,
        random() as r_utm, random() as r_medium, random() as r_updated, random() as r_flags,
        random() as r_phone, random() as r_mail,
        case when random() < 0.6 then 1 + floor(random() * ${accounts})::int end as account_n
      from generate_series(${from}::int, ${to}::int) as n
    ),
    contact as (
      select d.*, ${pick(firstNames, 'r_first')} as first_name,
        ${pick(lastNames, 'r_last')} as last_name, ${pick(stagePicks, 'r_stage')} as stage,
        a.id as account_id, a.name as account_name, a.n as account_number
      from drawn as d left join bench_accounts as a on a.n = d.account_n
    )
    select ${workspaceId}::uuid, uuidv7(created_at - now()),
      case when r_mail >= 0.02 then
        regexp_replace(lower(first_name || '.' || last_name), '[^a-z.]', '', 'g') || '.' || n || '@'
          || coalesce(lower(replace(account_name, ' ', '-')) || '-' || account_number || '.example',
            (${freeMail}::text[])[1 + n % ${freeMail.length}])
      end,
      first_name, last_name, ${pick(titles, 'r_title')},
      case when r_persona < 0.5 then ${pick(personas, 'r_persona')} end,
      case when r_phone < 0.3 then '+1 555 ' || lpad((n % 10000000)::text, 7, '0') end,
      account_id, stage,
      case when stage in ('mql', 'sal') then ${pick(leadStatusPicks, 'r_lead')} end,
      case when r_owner >= 0.1 then ${pick(ownerPicks, 'r_owner')} end,
      ${pick(sourcePicks, 'r_source')},
      case when r_utm < 0.5 then jsonb_build_object('utm_source', ${pick(utmSources, 'r_utm')},
        'utm_medium', ${pick(utmMediums, 'r_medium')}, 'utm_campaign', 'campaign-' || n % 40) end,
      case when r_utm < 0.3 then jsonb_build_object('utm_source', ${pick(utmSources, 'r_medium')},
        'utm_medium', ${pick(utmMediums, 'r_utm')}) end,
      r_flags < 0.7, r_flags > 0.97,
      case when stage = 'recycled' then current_date + (r_lead * 90)::int end,
      created_at,
      -- 40 % were changed after they were created
      case when r_updated < 0.4 then created_at + r_updated / 0.4 * (now() - created_at)
        else created_at end
    from contact`.execute(db)
}
