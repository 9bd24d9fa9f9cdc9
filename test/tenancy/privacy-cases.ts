import { expect } from 'vitest'
import { uniqueEmail } from '../factories.ts'
import { asA, asAInB, asB, b, bContact, idsOf, keepsUnchanged, notFound, t } from './world.ts'

let bSuppressionId: string | undefined

/** A suppression of B: a contact of B erased by B's owner (made once, on first use). */
async function bSuppression(): Promise<string> {
  if (bSuppressionId) return bSuppressionId
  const email = uniqueEmail('b-erased')
  const created = await asB('POST', '/api/v1/contacts', { email })
  expect(created.statusCode, created.body).toBe(201)
  const erased = await asB('POST', `/api/v1/contacts/${created.json().data.id}/erase`, {
    confirm: email,
  })
  expect(erased.statusCode, erased.body).toBe(200)
  const listed = await asB('GET', `/api/v1/suppressions?email=${encodeURIComponent(email)}`)
  const [id] = idsOf(listed)
  if (!id) throw new Error('setup failed: no suppression')
  bSuppressionId = id
  return id
}

const suppressionExists = async (id: string) =>
  (await t.ctx.db.selectFrom('suppressions').select('id').where('id', '=', id).execute()).length

/** Privacy per contact (issue 6): personal-data export, erasure and suppressions. */
export const privacyCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/contacts/{id}/personal-data': async () => {
    notFound(await asA('GET', `/api/v1/contacts/${bContact.id}/personal-data`))
    notFound(await asAInB('GET', `/api/v1/contacts/${bContact.id}/personal-data`))
    notFound(
      await asA(
        'GET',
        `/api/v1/contacts/${bContact.id}/personal-data?workspaceId=${b.workspaceId}`,
      ),
    )
  },
  'POST /api/v1/contacts/{id}/erase': async () => {
    await keepsUnchanged('contacts', bContact.id, async () => {
      const confirm = { confirm: 'b-contact@example.com' }
      notFound(await asA('POST', `/api/v1/contacts/${bContact.id}/erase`, confirm))
      notFound(await asAInB('POST', `/api/v1/contacts/${bContact.id}/erase`, confirm))
    })
  },
  'GET /api/v1/suppressions': async () => {
    const id = await bSuppression()
    notFound(await asAInB('GET', '/api/v1/suppressions'))
    expect(idsOf(await asA('GET', '/api/v1/suppressions?limit=200'))).not.toContain(id)
  },
  'DELETE /api/v1/suppressions/{id}': async () => {
    const id = await bSuppression()
    notFound(await asA('DELETE', `/api/v1/suppressions/${id}`))
    notFound(await asAInB('DELETE', `/api/v1/suppressions/${id}`))
    expect(await suppressionExists(id)).toBe(1)
  },
}
