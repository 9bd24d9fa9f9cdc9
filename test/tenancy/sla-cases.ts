import { expect } from 'vitest'
import { asA, asAInB, asB, idsOf, notFound, refused, t } from './world.ts'

let bSla: Promise<{ calendarId: string; policyId: string }> | undefined

/** B's calendar and B's smb policy on it (a 7-minute first-touch window), made on first use. */
function bSlaOnce() {
  bSla ??= (async () => {
    const calendar = await asB('POST', '/api/v1/sla/calendars', {
      name: 'B hours',
      timeZone: 'Asia/Tokyo',
      isDefault: true,
    })
    if (calendar.statusCode !== 201) throw new Error(`setup failed: ${calendar.body}`)
    const calendarId: string = calendar.json().data.id
    const policy = await asB('POST', '/api/v1/sla/policies', {
      segment: 'smb',
      name: 'B smb',
      calendarId,
      firstTouchMinutes: 7,
    })
    if (policy.statusCode !== 201) throw new Error(`setup failed: ${policy.body}`)
    return { calendarId, policyId: policy.json().data.id as string }
  })()
  return bSla
}

/** B's calendar and policy as stored, to compare before and after A's attempt. */
async function bSlaRows() {
  const { calendarId, policyId } = await bSlaOnce()
  const db = t.ctx.db
  return {
    calendar: await db
      .selectFrom('businessCalendars')
      .selectAll()
      .where('id', '=', calendarId)
      .executeTakeFirst(),
    policy: await db
      .selectFrom('slaPolicies')
      .selectAll()
      .where('id', '=', policyId)
      .executeTakeFirst(),
  }
}

async function keepsBSla(attempt: () => Promise<void>) {
  const before = await bSlaRows()
  expect(before.calendar).toBeDefined()
  expect(before.policy).toBeDefined()
  await attempt()
  expect(await bSlaRows()).toEqual(before)
}

/** Business calendars and SLA policies (issue 7). */
export const slaCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/sla/calendars': async () => {
    const { calendarId } = await bSlaOnce()
    notFound(await asAInB('GET', '/api/v1/sla/calendars'))
    expect(idsOf(await asA('GET', '/api/v1/sla/calendars'))).not.toContain(calendarId)
  },
  'POST /api/v1/sla/calendars': async () => {
    await keepsBSla(async () => {
      notFound(await asAInB('POST', '/api/v1/sla/calendars', { name: 'Sneaky', isDefault: true }))
    })
  },
  'GET /api/v1/sla/calendars/{id}': async () => {
    const { calendarId } = await bSlaOnce()
    notFound(await asA('GET', `/api/v1/sla/calendars/${calendarId}`))
    notFound(await asAInB('GET', `/api/v1/sla/calendars/${calendarId}`))
  },
  'PATCH /api/v1/sla/calendars/{id}': async () => {
    const { calendarId } = await bSlaOnce()
    await keepsBSla(async () => {
      notFound(await asA('PATCH', `/api/v1/sla/calendars/${calendarId}`, { name: 'Taken' }))
      notFound(await asAInB('PATCH', `/api/v1/sla/calendars/${calendarId}`, { name: 'Taken' }))
    })
  },
  'DELETE /api/v1/sla/calendars/{id}': async () => {
    const { calendarId } = await bSlaOnce()
    await keepsBSla(async () => {
      notFound(await asA('DELETE', `/api/v1/sla/calendars/${calendarId}`))
      notFound(await asAInB('DELETE', `/api/v1/sla/calendars/${calendarId}`))
    })
  },
  'GET /api/v1/sla/policies': async () => {
    const { policyId } = await bSlaOnce()
    notFound(await asAInB('GET', '/api/v1/sla/policies'))
    expect(idsOf(await asA('GET', '/api/v1/sla/policies'))).not.toContain(policyId)
  },
  'POST /api/v1/sla/policies': async () => {
    const { calendarId } = await bSlaOnce()
    await keepsBSla(async () => {
      notFound(await asAInB('POST', '/api/v1/sla/policies', { segment: 'enterprise' }))
      // A's policy cannot run on B's calendar.
      refused(
        await asA('POST', '/api/v1/sla/policies', { segment: 'enterprise', calendarId }),
        'calendarId',
      )
    })
  },
  'GET /api/v1/sla/policies/{id}': async () => {
    const { policyId } = await bSlaOnce()
    notFound(await asA('GET', `/api/v1/sla/policies/${policyId}`))
    notFound(await asAInB('GET', `/api/v1/sla/policies/${policyId}`))
  },
  'PATCH /api/v1/sla/policies/{id}': async () => {
    const { policyId } = await bSlaOnce()
    await keepsBSla(async () => {
      notFound(await asA('PATCH', `/api/v1/sla/policies/${policyId}`, { firstTouchMinutes: 1 }))
      notFound(await asAInB('PATCH', `/api/v1/sla/policies/${policyId}`, { firstTouchMinutes: 1 }))
    })
  },
  'DELETE /api/v1/sla/policies/{id}': async () => {
    const { policyId } = await bSlaOnce()
    await keepsBSla(async () => {
      notFound(await asA('DELETE', `/api/v1/sla/policies/${policyId}`))
      notFound(await asAInB('DELETE', `/api/v1/sla/policies/${policyId}`))
    })
  },
  'GET /api/v1/sla/preview': async () => {
    const { policyId, calendarId } = await bSlaOnce()
    notFound(await asAInB('GET', '/api/v1/sla/preview?segment=smb'))
    // A's smb leads never run on B's policy or calendar.
    const preview = await asA('GET', '/api/v1/sla/preview?segment=smb')
    expect(preview.statusCode).toBe(200)
    const data = preview.json().data
    expect(data.policy.id).not.toBe(policyId)
    expect(data.calendar.id).not.toBe(calendarId)
  },
}
