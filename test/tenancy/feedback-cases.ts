import { expect } from 'vitest'
import { asA, asAInB, asB, b, bActivity, createInA, notFound, refused, t } from './world.ts'

let bSetup: Promise<{ tagId: string }> | undefined

/** One objection of B, carried by B's activity (made once, on first use). */
function bTagOnce() {
  bSetup ??= (async () => {
    const created = await asB('POST', '/api/v1/feedback-tags', {
      kind: 'objection',
      name: 'B objection',
    })
    expect(created.statusCode, created.body).toBe(201)
    const tagId = String(created.json().data.id)
    const tagged = await asB('PATCH', `/api/v1/activities/${bActivity.id}`, { tagIds: [tagId] })
    expect(tagged.statusCode, tagged.body).toBe(200)
    return { tagId }
  })()
  return bSetup
}

/** B's tags as stored, to compare before and after A's attempt. */
async function bTags() {
  const db = t.ctx.db
  const { tagId } = await bTagOnce()
  return {
    tags: await db.selectFrom('feedbackTags').selectAll().where('id', '=', tagId).execute(),
    links: await db.selectFrom('feedbackTagLinks').selectAll().where('tagId', '=', tagId).execute(),
    count: await db
      .selectFrom('feedbackTags')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('workspaceId', '=', b.workspaceId)
      .executeTakeFirstOrThrow(),
  }
}

async function keepsBTags(attempt: () => Promise<void>) {
  const before = await bTags()
  await attempt()
  expect(await bTags()).toEqual(before)
}

/** Issue 8 (the Bridge): tenancy cases of the feedback operations. */
export const feedbackCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/feedback-tags': async () => {
    const { tagId } = await bTagOnce()
    notFound(await asAInB('GET', '/api/v1/feedback-tags'))
    const inA = await asA('GET', '/api/v1/feedback-tags?includeArchived=true')
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data.map((tag: { id: string }) => tag.id)).not.toContain(tagId)
  },
  'POST /api/v1/feedback-tags': async () => {
    const { tagId } = await bTagOnce()
    await keepsBTags(async () => {
      notFound(await asAInB('POST', '/api/v1/feedback-tags', { kind: 'objection', name: 'Sneaky' }))
    })
    // The same name in A is no duplicate of B's.
    const own = await asA('POST', '/api/v1/feedback-tags', {
      kind: 'objection',
      name: 'B objection',
    })
    expect(own.statusCode, own.body).toBe(201)
    // A cannot tag its own records with B's tag: refused as if it did not exist.
    const contactId = await createInA('/api/v1/contacts', { email: 'a-feedback@example.com' })
    refused(
      await asA('POST', '/api/v1/activities', {
        type: 'call',
        subject: 'A call',
        contactId,
        tagIds: [tagId],
      }),
      'tagIds',
    )
    const dealId = await createInA('/api/v1/deals', { name: 'A deal' })
    refused(await asA('PATCH', `/api/v1/deals/${dealId}`, { tagIds: [tagId] }), 'tagIds')
  },
  'POST /api/v1/feedback-tags/defaults': async () => {
    await keepsBTags(async () => {
      notFound(await asAInB('POST', '/api/v1/feedback-tags/defaults'))
    })
  },
  'PATCH /api/v1/feedback-tags/{id}': async () => {
    const { tagId } = await bTagOnce()
    await keepsBTags(async () => {
      notFound(await asA('PATCH', `/api/v1/feedback-tags/${tagId}`, { name: 'Taken' }))
      notFound(await asAInB('PATCH', `/api/v1/feedback-tags/${tagId}`, { archived: true }))
    })
  },
  'DELETE /api/v1/feedback-tags/{id}': async () => {
    const { tagId } = await bTagOnce()
    await keepsBTags(async () => {
      notFound(await asA('DELETE', `/api/v1/feedback-tags/${tagId}`))
      notFound(await asAInB('DELETE', `/api/v1/feedback-tags/${tagId}`))
    })
  },
}
