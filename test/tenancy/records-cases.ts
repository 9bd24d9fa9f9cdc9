import { expect } from 'vitest'
import {
  a,
  asA,
  asAInB,
  asB,
  b,
  bAccount,
  bAccountName,
  bContact,
  bMember,
  bTeam,
  createInA,
  idsOf,
  inB,
  keepsUnchanged,
  notFound,
  refused,
  t,
} from './world.ts'

/** Accounts, contacts, personas and teams. */
export const recordsCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/accounts': async () => {
    notFound(await a.owner.request({ method: 'GET', url: '/api/v1/accounts', ...inB() }))
    const own = (
      await a.owner.request({ method: 'GET', url: '/api/v1/accounts?q=b%20account' })
    ).json().data
    expect(own).toEqual([])
  },
  'POST /api/v1/accounts': async () => {
    notFound(
      await a.owner.request({
        method: 'POST',
        url: '/api/v1/accounts',
        ...inB(),
        payload: { name: 'Planted' },
      }),
    )
    // The same domain is free in A: uniqueness is per workspace and reveals nothing of B.
    const own = await a.owner.request({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { name: 'A copy', domain: 'b-account.example' },
    })
    expect(own.statusCode).toBe(201)
  },
  'PATCH /api/v1/accounts/bulk': async () => {
    notFound(
      await a.owner.request({
        method: 'PATCH',
        url: '/api/v1/accounts/bulk',
        payload: { ids: [bAccount.id], patch: { name: 'Taken' } },
      }),
    )
    expect(await bAccountName()).toBe('B Account')
  },
  'GET /api/v1/accounts/{id}': async () => {
    notFound(await a.owner.request({ method: 'GET', url: `/api/v1/accounts/${bAccount.id}` }))
  },
  'PATCH /api/v1/accounts/{id}': async () => {
    notFound(
      await a.owner.request({
        method: 'PATCH',
        url: `/api/v1/accounts/${bAccount.id}`,
        payload: { name: 'Taken' },
      }),
    )
    expect(await bAccountName()).toBe('B Account')
  },
  'DELETE /api/v1/accounts/{id}': async () => {
    notFound(await a.owner.request({ method: 'DELETE', url: `/api/v1/accounts/${bAccount.id}` }))
    expect(await bAccountName()).toBe('B Account')
  },
  'GET /api/v1/contacts': async () => {
    notFound(await asAInB('GET', '/api/v1/contacts'))
    expect(idsOf(await asA('GET', '/api/v1/contacts?q=b-contact'))).not.toContain(bContact.id)
    expect(idsOf(await asA('GET', '/api/v1/contacts?limit=200'))).not.toContain(bContact.id)
  },
  'POST /api/v1/contacts': async () => {
    notFound(await asAInB('POST', '/api/v1/contacts', { lastName: 'Planted' }))
    // B's account, person and persona given as links are unknown in A: 400 naming the field.
    refused(
      await asA('POST', '/api/v1/contacts', { lastName: 'L', accountId: bAccount.id }),
      'accountId',
    )
    refused(
      await asA('POST', '/api/v1/contacts', { lastName: 'L', ownerId: bMember.userId }),
      'ownerId',
    )
    refused(
      await asA('POST', '/api/v1/contacts', { lastName: 'L', persona: 'b_persona' }),
      'persona',
    )
    // B's email is free in A: uniqueness is per workspace and reveals nothing of B.
    expect(
      (await asA('POST', '/api/v1/contacts', { email: 'b-contact@example.com' })).statusCode,
    ).toBe(201)
  },
  'PATCH /api/v1/contacts/bulk': async () => {
    const own = await createInA('/api/v1/contacts', { lastName: 'Own bulk' })
    await keepsUnchanged('contacts', bContact.id, async () => {
      notFound(
        await asA('PATCH', '/api/v1/contacts/bulk', {
          ids: [bContact.id],
          patch: { title: 'Taken' },
        }),
      )
      notFound(
        await asA('PATCH', '/api/v1/contacts/bulk', {
          ids: [own, bContact.id],
          patch: { title: 'Taken' },
        }),
      )
    })
    refused(
      await asA('PATCH', '/api/v1/contacts/bulk', {
        ids: [own],
        patch: { accountId: bAccount.id },
      }),
      'accountId',
    )
  },
  'GET /api/v1/contacts/{id}': async () => {
    notFound(await asA('GET', `/api/v1/contacts/${bContact.id}`))
  },
  'PATCH /api/v1/contacts/{id}': async () => {
    await keepsUnchanged('contacts', bContact.id, async () => {
      notFound(await asA('PATCH', `/api/v1/contacts/${bContact.id}`, { title: 'Taken' }))
    })
    const own = await createInA('/api/v1/contacts', { lastName: 'Own' })
    refused(await asA('PATCH', `/api/v1/contacts/${own}`, { accountId: bAccount.id }), 'accountId')
    refused(await asA('PATCH', `/api/v1/contacts/${own}`, { ownerId: bMember.userId }), 'ownerId')
  },
  'DELETE /api/v1/contacts/{id}': async () => {
    await keepsUnchanged('contacts', bContact.id, async () => {
      notFound(await asA('DELETE', `/api/v1/contacts/${bContact.id}`))
    })
  },
  'GET /api/v1/personas': async () => {
    notFound(await asAInB('GET', '/api/v1/personas'))
    const own = (await asA('GET', '/api/v1/personas')).json().data
    expect(own.map((p: { key: string }) => p.key)).not.toContain('b_persona')
  },
  'PUT /api/v1/personas': async () => {
    const before = await personasOf(b.workspaceId)
    notFound(
      await asAInB('PUT', '/api/v1/personas', { personas: [{ key: 'planted', label: 'Planted' }] }),
    )
    // A replacing its own list leaves B's alone.
    const own = await asA('PUT', '/api/v1/personas', { personas: [{ key: 'a_only', label: 'A' }] })
    expect(own.statusCode).toBe(200)
    expect(await personasOf(b.workspaceId)).toEqual(before)
  },
  'GET /api/v1/teams': async () => {
    notFound(await asAInB('GET', '/api/v1/teams'))
    expect(idsOf(await asA('GET', '/api/v1/teams'))).not.toContain(bTeam.id)
  },
  'POST /api/v1/teams': async () => {
    notFound(await asAInB('POST', '/api/v1/teams', { name: 'Planted' }))
    // B's people are not members of A: 400 naming the field, nothing written.
    refused(
      await asA('POST', '/api/v1/teams', { name: 'A team', memberIds: [bMember.userId] }),
      'memberIds',
    )
    refused(
      await asA('POST', '/api/v1/teams', { name: 'A team', managerId: bMember.userId }),
      'managerId',
    )
    expect(idsOf(await asA('GET', '/api/v1/teams'))).toEqual([])
  },
  'GET /api/v1/teams/{id}': async () => {
    notFound(await asA('GET', `/api/v1/teams/${bTeam.id}`))
  },
  'GET /api/v1/teams/{id}/history': async () => {
    notFound(await asA('GET', `/api/v1/teams/${bTeam.id}/history`))
    notFound(await asAInB('GET', `/api/v1/teams/${bTeam.id}/history`))
    const inB = await asB('GET', `/api/v1/teams/${bTeam.id}/history`)
    expect(inB.statusCode, inB.body).toBe(200)
    expect(inB.json().data.map((r: { userId: string }) => r.userId)).toEqual([bMember.userId])
  },
  'PATCH /api/v1/teams/{id}': async () => {
    const members = await membersOf(bTeam.id)
    expect(members).toEqual([{ userId: bMember.userId }])
    await keepsUnchanged('teams', bTeam.id, async () => {
      notFound(await asA('PATCH', `/api/v1/teams/${bTeam.id}`, { name: 'Taken', memberIds: [] }))
    })
    expect(await membersOf(bTeam.id)).toEqual(members)
    const own = await createInA('/api/v1/teams', { name: 'A own team' })
    refused(
      await asA('PATCH', `/api/v1/teams/${own}`, { memberIds: [bMember.userId] }),
      'memberIds',
    )
  },
  'DELETE /api/v1/teams/{id}': async () => {
    const members = await membersOf(bTeam.id)
    await keepsUnchanged('teams', bTeam.id, async () => {
      notFound(await asA('DELETE', `/api/v1/teams/${bTeam.id}`))
    })
    expect(await membersOf(bTeam.id)).toEqual(members)
  },
}

function personasOf(workspaceId: string) {
  return t.ctx.db
    .selectFrom('personas')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .orderBy('position')
    .execute()
}

function membersOf(teamId: string) {
  return t.ctx.db
    .selectFrom('teamMembers')
    .select('userId')
    .where('teamId', '=', teamId)
    .orderBy('userId')
    .execute()
}
