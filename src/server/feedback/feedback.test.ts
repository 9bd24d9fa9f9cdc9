import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { defaultObjections } from './service.ts'

let t: TestApp
let admin: Session
let marketing: Session
let sales: Session
let viewer: Session
let workspaceId: string
let other: { owner: Session; workspaceId: string }
let contactId: string

type Tag = { id: string; kind: string; name: string; archived: boolean; usage: number }
type Ref = { id: string; kind: string; name: string }

const call = (
  who: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
  ws = workspaceId,
) =>
  who.request({
    method,
    url,
    workspaceId: ws,
    ...(payload !== undefined ? { payload } : {}),
  })

async function createTag(kind: string, name: string, by: Session = admin) {
  const response = await call(by, 'POST', '/api/v1/feedback-tags', { kind, name })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data as Tag
}

async function listTags(query = '') {
  const response = await call(sales, 'GET', `/api/v1/feedback-tags${query}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data as Tag[]
}

const linkCount = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('feedbackTagLinks')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspaceId', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

function badRequest(response: { statusCode: number; json(): { error: { message: string } } }) {
  expect(response.statusCode).toBe(400)
  return response.json().error.message
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t, 'Feedback Co'))
  marketing = await addMember(t, admin, workspaceId, 'marketing')
  sales = await addMember(t, admin, workspaceId, 'sales')
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  other = await makeWorkspace(t, 'Other Co')
  const contact = await call(admin, 'POST', '/api/v1/contacts', {
    email: 'buyer@feedback.example',
    firstName: 'Bea',
    lastName: 'Buyer',
  })
  expect(contact.statusCode, contact.body).toBe(201)
  contactId = contact.json().data.id
})
afterAll(async () => t?.close())

describe('the taxonomy', () => {
  it('starts empty, then lists objections before competitors by name with their usage', async () => {
    expect(await listTags()).toEqual([])
    await createTag('competitor', 'Zeta CRM')
    await createTag('objection', 'too slow', marketing)
    await createTag('competitor', 'Acme Suite')
    await createTag('objection', 'Price too high')
    const all = await listTags()
    expect(all.map((tag) => `${tag.kind}:${tag.name}:${tag.usage}`)).toEqual([
      'objection:Price too high:0',
      'objection:too slow:0',
      'competitor:Acme Suite:0',
      'competitor:Zeta CRM:0',
    ])
    expect((await listTags('?kind=competitor')).map((tag) => tag.name)).toEqual([
      'Acme Suite',
      'Zeta CRM',
    ])
  })

  it('refuses a duplicate name of the same kind (any case) with 409 naming name', async () => {
    const duplicate = await call(admin, 'POST', '/api/v1/feedback-tags', {
      kind: 'competitor',
      name: '  zeta crm ',
    })
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.json().error.message).toMatch(/^name: a competitor called "Zeta CRM"/)
    // The same name as another kind is fine.
    await createTag('objection', 'Zeta CRM')
  })

  it('validates kind, name and the list query', async () => {
    expect(
      badRequest(await call(admin, 'POST', '/api/v1/feedback-tags', { kind: 'rumour', name: 'x' })),
    ).toMatch(/kind/)
    expect(
      badRequest(
        await call(admin, 'POST', '/api/v1/feedback-tags', { kind: 'objection', name: ' ' }),
      ),
    ).toMatch(/name/)
    expect(
      badRequest(
        await call(admin, 'POST', '/api/v1/feedback-tags', {
          kind: 'objection',
          name: 'x'.repeat(101),
        }),
      ),
    ).toMatch(/name/)
    expect(badRequest(await call(admin, 'GET', '/api/v1/feedback-tags?kind=rumour'))).toMatch(
      /kind/,
    )
    expect(
      badRequest(await call(admin, 'GET', '/api/v1/feedback-tags?includeArchived=maybe')),
    ).toMatch(/includeArchived/)
    expect(
      (await call(admin, 'PATCH', '/api/v1/feedback-tags/not-a-uuid', { name: 'x' })).statusCode,
    ).toBe(400)
  })

  it('lets only feedback:manage roles change the taxonomy; everyone reads it', async () => {
    for (const who of [sales, viewer]) {
      expect(
        (await call(who, 'POST', '/api/v1/feedback-tags', { kind: 'objection', name: 'Nope' }))
          .statusCode,
      ).toBe(403)
      expect((await call(who, 'POST', '/api/v1/feedback-tags/defaults')).statusCode).toBe(403)
    }
    const [tag] = await listTags('?kind=competitor')
    expect(
      (await call(sales, 'PATCH', `/api/v1/feedback-tags/${tag?.id}`, { name: 'Mine' })).statusCode,
    ).toBe(403)
    expect((await call(sales, 'DELETE', `/api/v1/feedback-tags/${tag?.id}`)).statusCode).toBe(403)
    expect((await call(viewer, 'GET', '/api/v1/feedback-tags')).statusCode).toBe(200)
  })

  it('renames, archives and restores a tag, and audits each change', async () => {
    const tag = await createTag('objection', 'Old name')
    const renamed = await call(marketing, 'PATCH', `/api/v1/feedback-tags/${tag.id}`, {
      name: 'New name',
      description: 'Said often',
    })
    expect(renamed.statusCode, renamed.body).toBe(200)
    expect(renamed.json().data).toMatchObject({ name: 'New name', description: 'Said often' })
    const clash = await call(admin, 'PATCH', `/api/v1/feedback-tags/${tag.id}`, {
      name: 'PRICE TOO HIGH',
    })
    expect(clash.statusCode).toBe(409)
    expect(clash.json().error.message).toMatch(/^name: /)
    const archived = await call(admin, 'PATCH', `/api/v1/feedback-tags/${tag.id}`, {
      archived: true,
    })
    expect(archived.json().data.archived).toBe(true)
    expect((await listTags()).map((t) => t.id)).not.toContain(tag.id)
    expect((await listTags('?includeArchived=true')).map((t) => t.id)).toContain(tag.id)
    const restored = await call(admin, 'PATCH', `/api/v1/feedback-tags/${tag.id}`, {
      archived: false,
    })
    expect(restored.json().data).toMatchObject({ archived: false, archivedAt: null })
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('workspaceId', '=', workspaceId)
      .where('targetId', '=', tag.id)
      .orderBy('at')
      .orderBy('id')
      .execute()
    expect(audit.map((row) => row.action)).toEqual([
      'feedback_tag.create',
      'feedback_tag.update',
      'feedback_tag.update',
      'feedback_tag.update',
    ])
    expect(audit[1]?.details).toMatchObject({ name: { from: 'Old name', to: 'New name' } })
  })

  it('adds the default objections once, keeping the ones the workspace already has', async () => {
    const first = await call(admin, 'POST', '/api/v1/feedback-tags/defaults')
    expect(first.statusCode, first.body).toBe(200)
    // "Price too high" existed already (created above): every other default is new.
    expect(first.json().data.added).toBe(defaultObjections.length - 1)
    const again = await call(marketing, 'POST', '/api/v1/feedback-tags/defaults')
    expect(again.json().data.added).toBe(0)
    const names = (await listTags('?kind=objection')).map((tag) => tag.name)
    for (const { name } of defaultObjections) expect(names).toContain(name)
    expect(names.filter((name) => name === 'Price too high')).toHaveLength(1)
  })
})

describe('tagging records', () => {
  let objection: Tag
  let competitor: Tag

  beforeAll(async () => {
    objection = await createTag('objection', 'Needs a pilot')
    competitor = await createTag('competitor', 'Rival One')
  })

  it('tags an activity as a sales rep, reads the tags back, and replaces the set on patch', async () => {
    const created = await call(sales, 'POST', '/api/v1/activities', {
      type: 'call',
      subject: 'Discovery call',
      contactId,
      tagIds: [competitor.id, objection.id, objection.id],
    })
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json().data.id
    const names = (tags: Ref[]) => tags.map((tag) => `${tag.kind}:${tag.name}`)
    expect(names(created.json().data.tags)).toEqual([
      'objection:Needs a pilot',
      'competitor:Rival One',
    ])
    const got = await call(viewer, 'GET', `/api/v1/activities/${id}`)
    expect(names(got.json().data.tags)).toEqual(['objection:Needs a pilot', 'competitor:Rival One'])
    const patched = await call(sales, 'PATCH', `/api/v1/activities/${id}`, {
      tagIds: [competitor.id],
    })
    expect(names(patched.json().data.tags)).toEqual(['competitor:Rival One'])
    // A patch without tagIds keeps them.
    const kept = await call(sales, 'PATCH', `/api/v1/activities/${id}`, { outcome: 'Interested' })
    expect(names(kept.json().data.tags)).toEqual(['competitor:Rival One'])
    const list = await call(sales, 'GET', '/api/v1/activities')
    const rows = list.json().data as { id: string; tags: Ref[] }[]
    expect(rows.find((row) => row.id === id)?.tags.map((tag) => tag.name)).toEqual(['Rival One'])
    const usage = (await listTags()).find((tag) => tag.id === competitor.id)?.usage
    expect(usage).toBe(1)
  })

  it('refuses an unknown, archived or other workspace tag with 400 naming tagIds, writing nothing', async () => {
    const foreign = await call(
      other.owner,
      'POST',
      '/api/v1/feedback-tags',
      { kind: 'objection', name: 'Foreign' },
      other.workspaceId,
    )
    const foreignId = foreign.json().data.id as string
    const archived = await createTag('objection', 'Gone soon')
    await call(admin, 'PATCH', `/api/v1/feedback-tags/${archived.id}`, { archived: true })
    const unknown = '01900000-0000-7000-8000-000000000000'
    const linksBefore = await linkCount()
    const activitiesBefore = (await call(admin, 'GET', '/api/v1/activities')).json().data.length
    for (const bad of [foreignId, archived.id, unknown]) {
      const response = await call(sales, 'POST', '/api/v1/activities', {
        type: 'note',
        subject: 'Should not exist',
        contactId,
        tagIds: [objection.id, bad],
      })
      const message = badRequest(response)
      expect(message).toMatch(/^tagIds: /)
      expect(message).toContain(bad)
    }
    expect(await linkCount()).toBe(linksBefore)
    expect((await call(admin, 'GET', '/api/v1/activities')).json().data.length).toBe(
      activitiesBefore,
    )
    expect(
      badRequest(
        await call(sales, 'POST', '/api/v1/activities', {
          type: 'note',
          subject: 'x',
          contactId,
          tagIds: ['nope'],
        }),
      ),
    ).toMatch(/tagIds/)
  })

  it('tags a handoff rejection; a bad tag leaves the handoff open', async () => {
    const lead = await call(admin, 'POST', '/api/v1/contacts', { email: 'mql@feedback.example' })
    const marked = await call(
      marketing,
      'POST',
      `/api/v1/contacts/${lead.json().data.id}/lifecycle`,
      {
        stage: 'mql',
        reason: 'Downloaded the guide',
      },
    )
    expect(marked.statusCode, marked.body).toBe(200)
    const handoffId = marked.json().data.handoffId as string
    const refused = await call(admin, 'POST', `/api/v1/handoffs/${handoffId}/reject`, {
      reason: 'no_budget',
      tagIds: ['01900000-0000-7000-8000-000000000001'],
    })
    expect(badRequest(refused)).toMatch(/^tagIds: /)
    expect((await call(admin, 'GET', `/api/v1/handoffs/${handoffId}`)).json().data.status).toBe(
      'open',
    )
    const linksBefore = await linkCount()
    const rejected = await call(admin, 'POST', `/api/v1/handoffs/${handoffId}/reject`, {
      reason: 'no_budget',
      tagIds: [objection.id, competitor.id],
    })
    expect(rejected.statusCode, rejected.body).toBe(200)
    expect(await linkCount()).toBe(linksBefore + 2)
    const links = await t.ctx.db
      .selectFrom('feedbackTagLinks')
      .select(['tagId', 'createdBy'])
      .where('entity', '=', 'handoff')
      .where('entityId', '=', handoffId)
      .orderBy('tagId')
      .execute()
    expect(links).toEqual(
      [objection.id, competitor.id].sort().map((tagId) => ({ tagId, createdBy: admin.userId })),
    )
    const event = (
      rejected.json().data.events as { kind: string; details: { tags?: Ref[] } }[]
    ).find((e) => e.kind === 'rejected')
    expect(event?.details.tags?.map((tag) => tag.name)).toEqual(['Needs a pilot', 'Rival One'])
  })

  it('tags a lost deal and reads the tags in the deal and the list', async () => {
    const [pipeline] = (await call(admin, 'GET', '/api/v1/pipelines')).json().data
    const lost = pipeline.stages.find((s: { isLost: boolean }) => s.isLost)
    const created = await call(sales, 'POST', '/api/v1/deals', { name: 'Tagged deal', amount: 500 })
    expect(created.json().data.tags).toEqual([])
    const id = created.json().data.id
    const closed = await call(sales, 'PATCH', `/api/v1/deals/${id}`, {
      stageId: lost.id,
      lossReason: 'competitor',
      lossCompetitor: 'Rival One',
      marketingCouldHelp: 'yes',
      tagIds: [competitor.id],
    })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json().data.tags).toEqual([
      { id: competitor.id, kind: 'competitor', name: 'Rival One' },
    ])
    const list = (await call(viewer, 'GET', '/api/v1/deals')).json().data as {
      id: string
      tags: Ref[]
    }[]
    expect(list.find((deal) => deal.id === id)?.tags.map((tag) => tag.id)).toEqual([competitor.id])
    // An archived tag stays on the deal, and resending it unchanged is allowed.
    await call(admin, 'PATCH', `/api/v1/feedback-tags/${competitor.id}`, { archived: true })
    const resent = await call(sales, 'PATCH', `/api/v1/deals/${id}`, { tagIds: [competitor.id] })
    expect(resent.statusCode, resent.body).toBe(200)
    expect(resent.json().data.tags.map((tag: Ref) => tag.id)).toEqual([competitor.id])
    await call(admin, 'PATCH', `/api/v1/feedback-tags/${competitor.id}`, { archived: false })
    const cleared = await call(sales, 'PATCH', `/api/v1/deals/${id}`, { tagIds: [] })
    expect(cleared.json().data.tags).toEqual([])
  })

  it('archives a used tag on delete and deletes an unused one', async () => {
    const used = await call(admin, 'DELETE', `/api/v1/feedback-tags/${objection.id}`)
    expect(used.statusCode, used.body).toBe(200)
    // The activity lost it on patch; the handoff rejection keeps it.
    expect(used.json().data).toEqual({ id: objection.id, result: 'archived', usage: 1 })
    // Still on the records that carry it.
    expect(
      await t.ctx.db
        .selectFrom('feedbackTagLinks')
        .select('entity')
        .where('tagId', '=', objection.id)
        .orderBy('entity')
        .execute(),
    ).toEqual([{ entity: 'handoff' }])
    const unused = await createTag('competitor', 'Never mentioned')
    const gone = await call(admin, 'DELETE', `/api/v1/feedback-tags/${unused.id}`)
    expect(gone.json().data).toEqual({ id: unused.id, result: 'deleted', usage: 0 })
    expect(
      (await call(admin, 'GET', '/api/v1/feedback-tags?includeArchived=true'))
        .json()
        .data.map((tag: Tag) => tag.id),
    ).not.toContain(unused.id)
    expect((await call(admin, 'DELETE', `/api/v1/feedback-tags/${unused.id}`)).statusCode).toBe(404)
  })
})
