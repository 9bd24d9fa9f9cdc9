import { expect } from 'vitest'
import { notify } from '../../src/server/notifications/service.ts'
import { asA, asAInB, asB, b, idsOf, notFound, t } from './world.ts'

let bSetup: Promise<{ notificationId: string }> | undefined

/** B's owner has one unread notification, B's MQL rules say fit ≥ 77, B targets 2026-02 and 2026-04. */
function bOnce() {
  bSetup ??= (async () => {
    await t.ctx.db.transaction().execute((trx) =>
      notify(trx, {
        workspaceId: b.workspaceId,
        userIds: [b.owner.userId],
        kind: 'handoff_assigned',
        title: 'B handoff',
      }),
    )
    const row = await t.ctx.db
      .selectFrom('notifications')
      .select('id')
      .where('workspaceId', '=', b.workspaceId)
      .where('title', '=', 'B handoff')
      .executeTakeFirstOrThrow()
    for (const [method, url, payload] of [
      ['PATCH', '/api/v1/mql/rules', { fitMin: 77 }],
      ['PUT', '/api/v1/mql/targets/2026-02', { target: 321 }],
      ['PUT', '/api/v1/mql/targets/2026-04', { target: 654 }],
    ] as const) {
      const response = await asB(method, url, payload)
      if (response.statusCode !== 200) throw new Error(`setup failed: ${response.body}`)
    }
    return { notificationId: row.id }
  })()
  return bSetup
}

async function bNotificationUnread() {
  const { notificationId } = await bOnce()
  const row = await t.ctx.db
    .selectFrom('notifications')
    .select('readAt')
    .where('id', '=', notificationId)
    .executeTakeFirstOrThrow()
  expect(row.readAt).toBeNull()
}

async function bTargets() {
  const response = await asB('GET', '/api/v1/mql/targets?from=2026-02&to=2026-04')
  return response.json().data.map((m: { target: number | null }) => m.target)
}

async function bUntouched() {
  expect((await asB('GET', '/api/v1/mql/rules')).json().data.fitMin).toBe(77)
  expect(await bTargets()).toEqual([321, null, 654])
}

/** The notification centre and the MQL settings (issue 7). */
export const notificationCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/notifications': async () => {
    const { notificationId } = await bOnce()
    notFound(await asAInB('GET', '/api/v1/notifications'))
    expect(idsOf(await asA('GET', '/api/v1/notifications'))).not.toContain(notificationId)
  },
  'GET /api/v1/notifications/unread-count': async () => {
    await bOnce()
    notFound(await asAInB('GET', '/api/v1/notifications/unread-count'))
    // Other cases may notify B's owner too (an unassigned handoff tells the admins): compare
    // with what B's owner really has unread.
    const unread = await t.ctx.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('workspaceId', '=', b.workspaceId)
      .where('userId', '=', b.owner.userId)
      .where('readAt', 'is', null)
      .executeTakeFirstOrThrow()
    const count = (await asB('GET', '/api/v1/notifications/unread-count')).json().data.count
    expect(count).toBeGreaterThanOrEqual(1)
    expect(count).toBe(Number(unread.n))
  },
  'POST /api/v1/notifications/read-all': async () => {
    await bOnce()
    notFound(await asAInB('POST', '/api/v1/notifications/read-all'))
    expect((await asA('POST', '/api/v1/notifications/read-all')).statusCode).toBe(200)
    await bNotificationUnread()
  },
  'POST /api/v1/notifications/{id}/read': async () => {
    const { notificationId } = await bOnce()
    notFound(await asA('POST', `/api/v1/notifications/${notificationId}/read`))
    notFound(await asAInB('POST', `/api/v1/notifications/${notificationId}/read`))
    await bNotificationUnread()
  },
  'GET /api/v1/mql/rules': async () => {
    await bOnce()
    notFound(await asAInB('GET', '/api/v1/mql/rules'))
    expect((await asA('GET', '/api/v1/mql/rules')).json().data.fitMin).not.toBe(77)
  },
  'PATCH /api/v1/mql/rules': async () => {
    await bOnce()
    notFound(await asAInB('PATCH', '/api/v1/mql/rules', { fitMin: 12 }))
    expect((await asA('PATCH', '/api/v1/mql/rules', { fitMin: 12 })).statusCode).toBe(200)
    await bUntouched()
  },
  'GET /api/v1/mql/targets': async () => {
    await bOnce()
    notFound(await asAInB('GET', '/api/v1/mql/targets'))
    const mine = await asA('GET', '/api/v1/mql/targets?from=2026-02&to=2026-04')
    expect(mine.json().data.map((m: { target: number | null }) => m.target)).not.toContain(321)
  },
  'PUT /api/v1/mql/targets/{month}': async () => {
    await bOnce()
    notFound(await asAInB('PUT', '/api/v1/mql/targets/2026-02', { target: 5 }))
    expect((await asA('PUT', '/api/v1/mql/targets/2026-02', { target: 5 })).statusCode).toBe(200)
    await bUntouched()
  },
  'DELETE /api/v1/mql/targets/{month}': async () => {
    await bOnce()
    notFound(await asAInB('DELETE', '/api/v1/mql/targets/2026-04'))
    notFound(await asA('DELETE', '/api/v1/mql/targets/2026-04'))
    await bUntouched()
  },
}
