import { expect } from 'vitest'
import { asA, asAInB, asB, idsOf, notFound, t } from './world.ts'

let bMerge: Promise<{ id: string; contactId: string }> | undefined

/** A merge in B: an anonymous page view, then an identify through B's write key. */
function bMergeOnce() {
  bMerge ??= (async () => {
    const key = await asB('POST', '/api/v1/write-keys', { name: 'B tracking' })
    if (key.statusCode !== 201) throw new Error(`setup failed: ${key.body}`)
    const authorization = `Basic ${Buffer.from(`${key.json().data.key}:`).toString('base64')}`
    const batch = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization, 'content-type': 'application/json' },
      payload: {
        batch: [
          { type: 'page', anonymousId: 'b-visitor', properties: { url: 'https://b.example/' } },
          {
            type: 'identify',
            anonymousId: 'b-visitor',
            userId: 'b-user',
            traits: { email: 'b-user@b.example' },
          },
        ],
      },
    })
    if (batch.statusCode !== 200) throw new Error(`setup failed: ${batch.body}`)
    await t.app.ingest.settle()
    const merges = await asB('GET', '/api/v1/identity-merges')
    const merge = merges.json().data[0]
    if (!merge) throw new Error('setup failed: no merge')
    return { id: merge.id, contactId: merge.contactId }
  })()
  return bMerge
}

/** Identity merges of ingestion (issue 5). */
export const identityCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/identity-merges': async () => {
    const merge = await bMergeOnce()
    notFound(await asAInB('GET', '/api/v1/identity-merges'))
    expect(idsOf(await asA('GET', '/api/v1/identity-merges'))).not.toContain(merge.id)
    expect(idsOf(await asA('GET', `/api/v1/identity-merges?contactId=${merge.contactId}`))).toEqual(
      [],
    )
  },
  'POST /api/v1/identity-merges/{id}/undo': async () => {
    const merge = await bMergeOnce()
    notFound(await asA('POST', `/api/v1/identity-merges/${merge.id}/undo`))
    notFound(await asAInB('POST', `/api/v1/identity-merges/${merge.id}/undo`))
    const still = (await asB('GET', '/api/v1/identity-merges')).json().data
    expect(still.find((m: { id: string }) => m.id === merge.id)?.undoneAt).toBeNull()
    const touches = await asB('GET', `/api/v1/touchpoints?contactId=${merge.contactId}`)
    expect(idsOf(touches)).toHaveLength(1)
  },
  'GET /api/v1/tracking/live': async () => {
    const merge = await bMergeOnce()
    notFound(await asAInB('GET', '/api/v1/tracking/live'))
    const mine = (await asA('GET', '/api/v1/tracking/live')).json().data
    expect(
      mine.events.filter(
        (e: { contact: { id: string } | null }) => e.contact?.id === merge.contactId,
      ),
    ).toEqual([])
    const theirs = (await asB('GET', '/api/v1/tracking/live')).json().data
    expect(theirs.events.map((e: { contact: { id: string } | null }) => e.contact?.id)).toContain(
      merge.contactId,
    )
  },
}
