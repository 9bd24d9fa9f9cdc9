import { uuidv7 } from 'uuidv7'
import type { Database } from '../db/database.ts'

// Rows written straight to the database, so tests of activities, timelines and the Trash do not
// depend on the contacts and deals APIs. Each creates the parents it needs.

export async function insertAccount(
  db: Database,
  workspaceId: string,
  values: { name?: string; domain?: string | null } = {},
) {
  const id = uuidv7()
  await db
    .insertInto('accounts')
    .values({ workspaceId, id, name: values.name ?? `Account ${id.slice(-6)}`, ...values })
    .execute()
  return { id }
}

export async function insertContact(
  db: Database,
  workspaceId: string,
  values: { accountId?: string | null; email?: string | null; firstName?: string } = {},
) {
  const id = uuidv7()
  await db
    .insertInto('contacts')
    .values({
      workspaceId,
      id,
      firstName: values.firstName ?? 'Casey',
      lastName: `Contact ${id.slice(-6)}`,
      email: values.email ?? null,
      accountId: values.accountId ?? null,
    })
    .execute()
  return { id }
}

export async function insertDeal(
  db: Database,
  workspaceId: string,
  values: { accountId?: string | null; name?: string; contactIds?: string[] } = {},
) {
  const pipelineId = uuidv7()
  const stageId = uuidv7()
  await db.insertInto('pipelines').values({ workspaceId, id: pipelineId, name: 'Sales' }).execute()
  await db
    .insertInto('stages')
    .values({
      workspaceId,
      id: stageId,
      pipelineId,
      name: 'Discovery',
      position: 0,
      winProbability: 0.1,
    })
    .execute()
  const id = uuidv7()
  await db
    .insertInto('deals')
    .values({
      workspaceId,
      id,
      name: values.name ?? `Deal ${id.slice(-6)}`,
      accountId: values.accountId ?? null,
      pipelineId,
      stageId,
      currency: 'USD',
    })
    .execute()
  for (const contactId of values.contactIds ?? []) {
    await db.insertInto('dealContacts').values({ workspaceId, dealId: id, contactId }).execute()
  }
  return { id }
}
