import { expect } from 'vitest'
import {
  asA,
  asAInB,
  bAccount,
  bAccountName,
  bContact,
  createInA,
  keepsUnchanged,
  notFound,
  refused,
} from './world.ts'

type Group = { records: { id: string }[] }
const memberIds = (groups: Group[]) => groups.flatMap((g) => g.records.map((r) => r.id))

/** Duplicates and merges (issue 4). */
export const mergeCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/duplicates/contacts': async () => {
    notFound(await asAInB('GET', '/api/v1/duplicates/contacts'))
    // A contact of A that would match B's by email is never grouped with it.
    await createInA('/api/v1/contacts', { email: 'b-contact+a@example.com' })
    const own = await asA('GET', '/api/v1/duplicates/contacts?limit=200')
    expect(own.statusCode).toBe(200)
    expect(memberIds(own.json().data)).not.toContain(bContact.id)
  },
  'GET /api/v1/duplicates/accounts': async () => {
    notFound(await asAInB('GET', '/api/v1/duplicates/accounts'))
    await createInA('/api/v1/accounts', { name: 'B Account Ltd' })
    const own = await asA('GET', '/api/v1/duplicates/accounts?limit=200')
    expect(own.statusCode).toBe(200)
    expect(memberIds(own.json().data)).not.toContain(bAccount.id)
  },
  'POST /api/v1/contacts/{id}/merge': async () => {
    const mine = await createInA('/api/v1/contacts', { lastName: 'Absorber' })
    await keepsUnchanged('contacts', bContact.id, async () => {
      refused(
        await asA('POST', `/api/v1/contacts/${mine}/merge`, { otherIds: [bContact.id] }),
        'otherIds',
      )
      notFound(await asA('POST', `/api/v1/contacts/${bContact.id}/merge`, { otherIds: [mine] }))
      notFound(await asAInB('POST', `/api/v1/contacts/${bContact.id}/merge`, { otherIds: [mine] }))
    })
  },
  'POST /api/v1/accounts/{id}/merge': async () => {
    const mine = await createInA('/api/v1/accounts', { name: 'Absorber Inc' })
    await keepsUnchanged('accounts', bAccount.id, async () => {
      refused(
        await asA('POST', `/api/v1/accounts/${mine}/merge`, { otherIds: [bAccount.id] }),
        'otherIds',
      )
      notFound(await asA('POST', `/api/v1/accounts/${bAccount.id}/merge`, { otherIds: [mine] }))
    })
    expect(await bAccountName()).toBe('B Account')
  },
}
