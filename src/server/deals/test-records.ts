import { uuidv7 } from 'uuidv7'
import type { Session } from '../../../test/factories.ts'
import type { TestApp } from '../../../test/harness.ts'

// Records deals point at, for the deal tests: accounts and products through their APIs, contacts
// and campaigns straight into the database (their APIs are other features').

export async function makeAccount(session: Session, ws: string, body: Record<string, unknown>) {
  const response = await session.request({
    method: 'POST',
    url: '/api/v1/accounts',
    workspaceId: ws,
    payload: body,
  })
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json().data.id as string
}

export async function makeProduct(session: Session, ws: string, name: string, price = 1000) {
  const response = await session.request({
    method: 'POST',
    url: '/api/v1/products',
    workspaceId: ws,
    payload: { name, price },
  })
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json().data.id as string
}

export async function makeContact(t: TestApp, ws: string, firstName: string, email: string) {
  const id = uuidv7()
  await t.ctx.db
    .insertInto('contacts')
    .values({ workspaceId: ws, id, firstName, lastName: 'Buyer', email })
    .execute()
  return id
}

export async function makeCampaign(t: TestApp, ws: string) {
  const id = uuidv7()
  await t.ctx.db
    .insertInto('campaigns')
    .values({
      workspaceId: ws,
      id,
      name: 'Webinar',
      channel: 'events',
      type: 'webinar',
      currency: 'USD',
    })
    .execute()
  return id
}
