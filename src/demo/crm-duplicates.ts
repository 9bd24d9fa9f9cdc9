import type { Insertable, Kysely } from 'kysely'
import type { DB } from '../server/db/schema.ts'
import type { SeededRandom } from './random.ts'

const day = 86_400_000

interface DuplicateOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
}

/**
 * Plants the duplicates a real CRM collects, so Contacts → Duplicates and Accounts → Duplicates
 * have work to show: a person who signed up again with a plus-address, one re-entered by hand
 * with a personal address on the same account, one met at an event with the same phone, and
 * companies entered twice ("Acme Inc." beside "Acme", "www.acme.example" beside "acme.example").
 * Runs after everything else so the rest of the world is the same with or without it.
 */
export async function plantDuplicates(db: Kysely<DB>, options: DuplicateOptions) {
  const { workspaceId, rng, asOf } = options
  const people = await db
    .selectFrom('contacts')
    .select(['id', 'email', 'firstName', 'lastName', 'accountId', 'ownerId', 'title', 'persona'])
    .where('workspaceId', '=', workspaceId)
    .where('email', 'is not', null)
    .orderBy('id')
    .limit(3000)
    .execute()
  const picked = rng.shuffle(people).slice(0, 30)
  const contacts: Insertable<DB['contacts']>[] = []
  const entries: Insertable<DB['lifecycleEntries']>[] = []
  for (const [index, person] of picked.entries()) {
    const [local, domain] = (person.email ?? '').split('@')
    const createdAt = new Date(asOf.getTime() - rng.int(1, 120) * day)
    const kind = index % 3
    let email = `${local}+events@${domain}`
    let accountId = person.accountId
    let phone: string | null = null
    if (kind === 1) email = `${local}.${index}@mail.example`
    if (kind === 2) {
      // Met at an event: another address, no account, the same phone written another way.
      const digits = `${rng.int(200, 999)}${rng.int(100, 999)}${rng.int(1000, 9999)}`
      await db
        .updateTable('contacts')
        .set({ phone: `+1 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', person.id)
        .execute()
      phone = `+1 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`
      email = `${local}.${index}@event-badge.example`
      accountId = null
    }
    const id = rng.uuidv7(createdAt)
    contacts.push({
      workspaceId,
      id,
      email,
      firstName: person.firstName,
      lastName: person.lastName,
      title: person.title,
      persona: person.persona,
      phone,
      accountId,
      ownerId: person.ownerId,
      lifecycleStage: 'subscriber',
      source: kind === 2 ? 'event' : 'import',
      createdAt,
      updatedAt: createdAt,
    })
    entries.push({
      workspaceId,
      id: rng.uuidv7(createdAt),
      entity: 'contact',
      recordId: id,
      stage: 'subscriber',
      enteredAt: createdAt,
    })
  }

  const companies = await db
    .selectFrom('accounts')
    .select(['id', 'name', 'domain', 'industry', 'country', 'region', 'ownerId'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('id')
    .limit(2000)
    .execute()
  const accounts: Insertable<DB['accounts']>[] = []
  for (const [index, company] of rng.shuffle(companies).slice(0, 8).entries()) {
    const createdAt = new Date(asOf.getTime() - rng.int(1, 120) * day)
    const id = rng.uuidv7(createdAt)
    const byDomain = index % 2 === 0
    accounts.push({
      workspaceId,
      id,
      // The same company by its web address, or by its name with a legal form and no domain.
      name: byDomain ? company.name.toUpperCase() : `${company.name}, Inc.`,
      domain: byDomain && company.domain ? `www.${company.domain}` : null,
      industry: company.industry,
      country: company.country,
      region: company.region,
      ownerId: company.ownerId,
      lifecycleStage: 'lead',
      createdAt,
      updatedAt: createdAt,
    })
    entries.push({
      workspaceId,
      id: rng.uuidv7(createdAt),
      entity: 'account',
      recordId: id,
      stage: 'lead',
      enteredAt: createdAt,
    })
  }
  await db.insertInto('contacts').values(contacts).execute()
  await db.insertInto('accounts').values(accounts).execute()
  await db.insertInto('lifecycleEntries').values(entries).execute()
  return { duplicateContacts: contacts.length, duplicateAccounts: accounts.length }
}
