import type { Kysely } from 'kysely'
import type { DB, FormFieldRow } from '../server/db/schema.ts'
import type { SeededRandom } from './random.ts'

const day = 86_400_000

interface FormsOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
  createdBy: string | null
}

const fields: FormFieldRow[] = [
  { key: 'email', label: 'Work email', type: 'email', required: true, mapsTo: 'email' },
  { key: 'first_name', label: 'First name', type: 'text', required: true, mapsTo: 'firstName' },
  { key: 'last_name', label: 'Last name', type: 'text', required: false, mapsTo: 'lastName' },
  { key: 'company', label: 'Company', type: 'text', required: false, mapsTo: 'company' },
  {
    key: 'message',
    label: 'What would you like to automate?',
    type: 'textarea',
    required: false,
    mapsTo: null,
  },
]

/**
 * A hosted "Request a demo" form (high intent) with two weeks of daily views, whose submissions
 * are the demo leads' form fills planted by the tracking replay (their form_submit touches), so
 * Telescope → Forms shows a believable conversion rate. Runs last: it draws from the seeded
 * generator after everything else.
 */
export async function plantForms(db: Kysely<DB>, options: FormsOptions) {
  const { workspaceId, rng, asOf } = options
  const createdAt = new Date(asOf.getTime() - 30 * day)
  const formId = rng.uuidv7(createdAt)
  await db
    .insertInto('forms')
    .values({
      workspaceId,
      id: formId,
      name: 'Request a demo',
      fields: JSON.stringify(fields),
      consentText: 'I agree that Northwind Robotics may contact me about its products.',
      thankYouMessage: 'Thank you! A robotics specialist will call you within one business day.',
      redirectUrl: null,
      isHighIntent: true,
      createdBy: options.createdBy,
      updatedBy: options.createdBy,
      createdAt,
      updatedAt: createdAt,
    })
    .execute()
  for (let i = 14; i >= 0; i--) {
    const date = new Date(asOf.getTime() - i * day).toISOString().slice(0, 10)
    await db
      .insertInto('formViews')
      .values({ workspaceId, formId, day: date, views: rng.int(6, 24) })
      .execute()
  }
  const touches = await db
    .selectFrom('touchpoints as t')
    .innerJoin('contacts as c', (join) =>
      join.onRef('c.workspaceId', '=', 't.workspaceId').onRef('c.id', '=', 't.contactId'),
    )
    .select([
      't.id',
      't.occurredAt',
      't.contactId',
      't.anonymousId',
      'c.email',
      'c.firstName',
      'c.lastName',
    ])
    .where('t.workspaceId', '=', workspaceId)
    .where('t.type', '=', 'form_submit')
    .where('t.anonymousId', 'like', 'demo-lead-%')
    .orderBy('t.occurredAt')
    .orderBy('t.id')
    .execute()
  for (const touch of touches) {
    await db
      .insertInto('formSubmissions')
      .values({
        workspaceId,
        id: rng.uuidv7(touch.occurredAt),
        formId,
        contactId: touch.contactId,
        submittedAt: touch.occurredAt,
        values: JSON.stringify({
          email: touch.email ?? '',
          first_name: touch.firstName ?? '',
          last_name: touch.lastName ?? '',
          company: '',
          message: rng.pick(['Palletizing', 'Machine tending', 'Quality inspection', '']),
        }),
        isConsentGiven: true,
        ip: '203.0.113.10',
        anonymousId: touch.anonymousId,
        touchpointId: touch.id,
      })
      .execute()
  }
  return { formSubmissions: touches.length }
}
