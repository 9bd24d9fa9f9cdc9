import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { createMailer, type Mailer } from '../mail/mailer.ts'
import {
  type DigestDeps,
  type DigestLogger,
  digestEventId,
  digestMoment,
  sendWeeklyDigests,
} from './digest.ts'
import { type BridgeDigest, digestHtml, digestSubject, escapeHtml } from './digest-html.ts'

interface Received {
  to: string[]
  mail: ParsedMail
}

let t: TestApp
let smtp: SMTPServer
let smtpMailer: Mailer
const received: Received[] = []
const errors: unknown[] = []
const log: DigestLogger = {
  info: () => {},
  error: (details) => void errors.push(details.err),
}

let admin: Session
let marketing: Session
let manager: Session
let rep: Session
let viewer: Session
let workspaceId: string
let chicagoAdmin: Session
let chicagoId: string

const baseUrl = 'https://tandem.example.com/'
const campaignName = '<script>alert("x")</script> Webinar'

function deps(mailer: Mailer = smtpMailer): DigestDeps {
  return { db: t.ctx.db, mailer, baseUrl, log }
}

/** Handoffs written straight to the table: the digest reads history, tests cannot wait for it. */
async function addHandoffs(
  workspace: string,
  count: number,
  fields: {
    createdAt: string
    status: 'open' | 'accepted' | 'rejected'
    campaignId?: string | null
    quality?: number | null
    touched?: boolean
  },
) {
  for (let i = 0; i < count; i++) {
    const contactId = uuidv7()
    await t.ctx.db
      .insertInto('contacts')
      .values({ workspaceId: workspace, id: contactId, email: `${contactId}@example.com` })
      .execute()
    const created = new Date(fields.createdAt)
    const hours = (n: number) => new Date(created.getTime() + n * 3_600_000)
    const decided = fields.status !== 'open'
    await t.ctx.db
      .insertInto('handoffs')
      .values({
        workspaceId: workspace,
        id: uuidv7(),
        contactId,
        campaignId: fields.campaignId ?? null,
        mqlSource: 'form',
        mqlReason: 'Demo request',
        status: fields.status,
        createdAt: created,
        firstTouchDueAt: hours(4),
        decisionDueAt: hours(48),
        escalateAt: hours(8),
        firstTouchAt: fields.touched === false ? null : hours(1),
        decidedAt: decided ? hours(2) : null,
        rejectionReason: fields.status === 'rejected' ? 'no_budget' : null,
        rejectionOutcome: fields.status === 'rejected' ? 'recycle' : null,
        recycleOn: fields.status === 'rejected' ? '2027-01-15' : null,
        quality: fields.quality ?? null,
      })
      .execute()
  }
}

async function digestRows(workspace: string) {
  return t.ctx.db
    .selectFrom('bridgeDigests')
    .select(['week', 'recipients'])
    .where('workspaceId', '=', workspace)
    .orderBy('week')
    .execute()
}

async function deliveries(workspace: string) {
  return t.ctx.db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('workspaceId', '=', workspace)
    .orderBy('createdAt')
    .execute()
}

beforeAll(async () => {
  t = await createTestApp()
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail })
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const { port } = smtp.server.address() as AddressInfo
  smtpMailer = createMailer(`smtp://127.0.0.1:${port}`, log)

  ;({ owner: admin, workspaceId } = await makeWorkspace(t, 'Digest Co'))
  marketing = await addMember(t, admin, workspaceId, 'marketing')
  manager = await addMember(t, admin, workspaceId, 'sales_manager')
  rep = await addMember(t, admin, workspaceId, 'sales')
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  await t.ctx.db
    .updateTable('workspaces')
    .set({ timeZone: 'Europe/Berlin' })
    .where('id', '=', workspaceId)
    .execute()
  const campaignId = uuidv7()
  await t.ctx.db
    .insertInto('campaigns')
    .values({
      workspaceId,
      id: campaignId,
      name: campaignName,
      channel: 'events',
      type: 'webinar',
      currency: 'USD',
    })
    .execute()
  // September 2026: 4 accepted, first-touched in time, rated → SLA 100, acceptance 100, feedback
  // 100: index 100.
  await addHandoffs(workspaceId, 4, {
    createdAt: '2026-09-15T10:00:00Z',
    status: 'accepted',
    quality: 4,
  })
  // October 2026 (the index month of a Monday in late November), all of the campaign, first-touched
  // in time, none rated: SLA 12/12 = 100, acceptance 2/12 = 16.7, feedback 0/12 = 0 → index 38.9,
  // change −61.1. Problems: the campaign (10 of 12 rejected as no_budget: 83%), feedback (0%).
  await addHandoffs(workspaceId, 10, {
    createdAt: '2026-10-15T10:00:00Z',
    status: 'rejected',
    campaignId,
  })
  await addHandoffs(workspaceId, 2, {
    createdAt: '2026-10-15T10:00:00Z',
    status: 'accepted',
    campaignId,
  })
  // November: one unassigned MQL still waiting (the third problem).
  await addHandoffs(workspaceId, 1, {
    createdAt: '2026-11-20T10:00:00Z',
    status: 'open',
    touched: false,
  })
  const subscribed = await admin.request({
    method: 'POST',
    url: '/api/v1/webhooks',
    workspaceId,
    payload: {
      name: 'Digest receiver',
      url: 'http://127.0.0.1:9/digest',
      eventTypes: ['bridge.digest'],
      format: 'json',
    },
  })
  expect(subscribed.statusCode, subscribed.body).toBe(201)

  // A second workspace, in Chicago: only an unassigned MQL waiting (no index, one problem).
  ;({ owner: chicagoAdmin, workspaceId: chicagoId } = await makeWorkspace(t, 'Chicago Co'))
  await t.ctx.db
    .updateTable('workspaces')
    .set({ timeZone: 'America/Chicago' })
    .where('id', '=', chicagoId)
    .execute()
  await addHandoffs(chicagoId, 1, {
    createdAt: '2026-11-25T16:00:00Z',
    status: 'open',
    touched: false,
  })
}, 120_000)

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
  await t.close()
})

describe('the weekly digest moment', () => {
  it("is Monday 08:00-08:59 in the workspace's zone, its week that Monday", () => {
    const cases: [string, string, string, boolean][] = [
      ['2026-11-30T07:00:00Z', 'Europe/Berlin', '2026-11-30', true], // Monday 08:00
      ['2026-11-30T07:59:59Z', 'Europe/Berlin', '2026-11-30', true], // Monday 08:59
      ['2026-11-30T06:59:59Z', 'Europe/Berlin', '2026-11-30', false], // Monday 07:59
      ['2026-11-30T08:00:00Z', 'Europe/Berlin', '2026-11-30', false], // Monday 09:00
      ['2026-12-01T07:10:00Z', 'Europe/Berlin', '2026-11-30', false], // Tuesday 08:10
      ['2026-11-29T07:10:00Z', 'Europe/Berlin', '2026-11-23', false], // Sunday 08:10
      ['2026-11-30T14:30:00Z', 'America/Chicago', '2026-11-30', true], // Monday 08:30
      ['2026-11-30T02:45:00Z', 'Asia/Kolkata', '2026-11-30', true], // Monday 08:15 (+05:30)
    ]
    for (const [at, zone, week, isDue] of cases) {
      expect(digestMoment(new Date(at), zone), `${at} ${zone}`).toEqual({ week, isDue })
    }
  })

  it('gives each workspace and week one stable event id', () => {
    const id = digestEventId(workspaceId, '2026-11-30')
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(digestEventId(workspaceId, '2026-11-30')).toBe(id)
    expect(digestEventId(workspaceId, '2026-12-07')).not.toBe(id)
    expect(digestEventId(chicagoId, '2026-11-30')).not.toBe(id)
  })
})

describe('the weekly digest job', () => {
  it('sends nothing at another hour or day', async () => {
    for (const at of [
      '2026-11-30T06:59:00Z', // Monday 07:59 in Berlin
      '2026-11-30T08:00:00Z', // Monday 09:00
      '2026-12-01T07:10:00Z', // Tuesday 08:10
      '2026-11-29T07:10:00Z', // Sunday 08:10
    ]) {
      expect(await sendWeeklyDigests(deps(), new Date(at)), at).toEqual([])
    }
    expect(received).toHaveLength(0)
    expect(await digestRows(workspaceId)).toEqual([])
    expect(await deliveries(workspaceId)).toEqual([])
  })

  it('on Monday 08:xx sends it once to admins, marketing and sales managers', async () => {
    const sent = await sendWeeklyDigests(deps(), new Date('2026-11-30T07:20:00Z'))
    // Chicago is at 01:20: not yet.
    expect(sent).toEqual([{ workspaceId, week: '2026-11-30', recipients: 3, emailed: 3 }])
    expect(errors).toEqual([])
    expect(received.flatMap((r) => r.to).sort()).toEqual(
      [admin.email, marketing.email, manager.email].sort(),
    )
    const addresses = received.flatMap((r) => r.to)
    expect(addresses).not.toContain(rep.email)
    expect(addresses).not.toContain(viewer.email)
    expect(await digestRows(workspaceId)).toEqual([{ week: '2026-11-30', recipients: 3 }])

    const mail = received[0]?.mail
    if (!mail) throw new Error('no email arrived')
    expect(mail.subject).toBe('Bridge weekly: alignment 39 (-61) — 3 problems to look at')
    const text = mail.text ?? ''
    expect(text).toContain('Alignment index for October 2026: 39 of 100 (-61 on September 2026)')
    expect(text).toContain('SLA attainment (owner: sales): 100.0')
    expect(text).toContain('Acceptance rate (owner: marketing): 16.7: 2 of 12')
    expect(text).toContain(`1. ${campaignName} leads: 83% rejected as no_budget`)
    expect(text).toContain('1 MQL waiting in the unassigned queue')
    expect(text).toContain('Open the Bridge: https://tandem.example.com/bridge\n')
    expect(text).toMatch(/https:\/\/tandem\.example\.com\/bridge\/records\?kind=handoffs&/)

    const html = String(mail.html)
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Webinar leads: 83%')
    expect(html).toContain('<a href="https://tandem.example.com/bridge" ')
    expect(html).toMatch(
      /<a href="https:\/\/tandem\.example\.com\/bridge\/records\?kind=handoffs&amp;/,
    )
    expect(html).toContain('16.7')
  })

  it('queues one bridge.digest webhook event with a stable id and the digest as payload', async () => {
    const rows = await deliveries(workspaceId)
    expect(rows).toHaveLength(1)
    const row = rows[0]
    if (!row) throw new Error('no delivery')
    const eventId = digestEventId(workspaceId, '2026-11-30')
    expect(row).toMatchObject({ eventType: 'bridge.digest', eventId, status: 'pending' })
    expect(row.idempotencyKey).toBe(`${eventId}:${row.subscriptionId}`)
    const payload = row.payload as { id: string; type: string; data: BridgeDigest }
    expect(payload).toMatchObject({ id: eventId, type: 'bridge.digest', workspaceId })
    expect(payload.data).toMatchObject({
      week: '2026-11-30',
      workspaceName: 'Digest Co',
      timeZone: 'Europe/Berlin',
      index: 38.9,
      indexPeriod: '2026-10',
      previousIndex: 100,
      change: -61.1,
      bridgeUrl: 'https://tandem.example.com/bridge',
      subject: 'Bridge weekly: alignment 39 (-61) — 3 problems to look at',
    })
    expect(payload.data.parts.map((p) => [p.key, p.owner, p.value])).toEqual([
      ['sla_attainment', 'sales', 100],
      ['acceptance_rate', 'marketing', 16.7],
      ['feedback_coverage', 'sales', 0],
    ])
    expect(payload.data.problems.map((p) => p.text)).toEqual([
      `${campaignName} leads: 83% rejected as no_budget`,
      'Feedback given on 0% of decided handoffs and lost deals in October 2026 (0 of 12)',
      '1 MQL waiting in the unassigned queue',
    ])
    for (const url of [
      ...payload.data.parts.map((p) => p.url),
      ...payload.data.problems.map((p) => p.url),
    ]) {
      expect(url).toMatch(/^https:\/\/tandem\.example\.com\/bridge\/records\?kind=/)
    }
  })

  it('sends nothing on a second run the same week', async () => {
    const before = received.length
    expect(await sendWeeklyDigests(deps(), new Date('2026-11-30T07:50:00Z'))).toEqual([])
    expect(received).toHaveLength(before)
    expect(await deliveries(workspaceId)).toHaveLength(1)
  })

  it("sends each workspace's digest at 08:xx in its own zone", async () => {
    const before = received.length
    const sent = await sendWeeklyDigests(deps(), new Date('2026-11-30T14:30:00Z'))
    expect(sent).toEqual([
      { workspaceId: chicagoId, week: '2026-11-30', recipients: 1, emailed: 1 },
    ])
    const mails = received.slice(before)
    expect(mails.map((m) => m.to)).toEqual([[chicagoAdmin.email]])
    expect(mails[0]?.mail.subject).toBe(
      'Bridge weekly: no alignment index yet — 1 problem to look at',
    )
  })

  it('sends once when two workers run at the same moment', async () => {
    const before = received.length
    const at = new Date('2026-12-07T07:10:00Z')
    const [first, second] = await Promise.all([
      sendWeeklyDigests(deps(), at),
      sendWeeklyDigests(deps(), at),
    ])
    expect([...(first ?? []), ...(second ?? [])]).toEqual([
      { workspaceId, week: '2026-12-07', recipients: 3, emailed: 3 },
    ])
    expect(received.length - before).toBe(3)
    const events = (await deliveries(workspaceId)).map((d) => d.eventId)
    expect(events).toEqual([
      digestEventId(workspaceId, '2026-11-30'),
      digestEventId(workspaceId, '2026-12-07'),
    ])
  })

  it('without SMTP configured logs the email, does not crash, and still queues the webhook', async () => {
    const logged: { to: string; subject: string; text: string }[] = []
    const logMailer = createMailer(undefined, {
      info: (details) => void logged.push((details as { email: (typeof logged)[number] }).email),
    })
    const before = received.length
    const sent = await sendWeeklyDigests(deps(logMailer), new Date('2026-12-14T07:10:00Z'))
    expect(sent).toEqual([{ workspaceId, week: '2026-12-14', recipients: 3, emailed: 3 }])
    expect(received).toHaveLength(before)
    expect(logged.map((m) => m.to).sort()).toEqual(
      [admin.email, marketing.email, manager.email].sort(),
    )
    expect(logged[0]?.text).toContain('Open the Bridge: https://tandem.example.com/bridge')
    const last = (await deliveries(workspaceId)).at(-1)
    expect(last).toMatchObject({
      eventType: 'bridge.digest',
      eventId: digestEventId(workspaceId, '2026-12-14'),
    })
  })

  it('records the digest even when the SMTP server refuses, and logs each failure', async () => {
    const failing: Mailer = {
      send: async () => {
        throw new Error('SMTP refused')
      },
    }
    errors.length = 0
    const sent = await sendWeeklyDigests(deps(failing), new Date('2026-12-21T07:10:00Z'))
    expect(sent).toEqual([{ workspaceId, week: '2026-12-21', recipients: 3, emailed: 0 }])
    expect(errors).toHaveLength(3)
    expect(await sendWeeklyDigests(deps(), new Date('2026-12-21T07:40:00Z'))).toEqual([])
  })
})

describe('the digest email', () => {
  const digest: BridgeDigest = {
    workspaceName: 'A & B <Co>',
    week: '2026-11-30',
    timeZone: 'UTC',
    index: 72.4,
    indexPeriod: '2026-10',
    previousIndex: 69.2,
    change: 3.2,
    parts: [
      {
        key: 'sla_attainment',
        label: 'SLA attainment',
        owner: 'sales',
        value: 72.4,
        detail: '"quoted" & <b>bold</b>',
        url: 'https://x.example/bridge/records?kind=handoffs&a="b"',
        shortfallUrl: null,
      },
    ],
    problems: [],
    bridgeUrl: 'https://x.example/bridge',
  }

  it('states the index, its change and the number of problems in the subject', () => {
    expect(digestSubject(digest)).toBe('Bridge weekly: alignment 72 (+3) — no problems stand out')
    expect(digestSubject({ ...digest, change: null })).toBe(
      'Bridge weekly: alignment 72 — no problems stand out',
    )
    expect(digestSubject({ ...digest, change: -0.4 })).toBe(
      'Bridge weekly: alignment 72 (+0) — no problems stand out',
    )
  })

  it('escapes every interpolated value, in text and in attributes', () => {
    const html = digestHtml(digest)
    expect(html).toContain('A &amp; B &lt;Co&gt;')
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;')
    expect(html).toContain(
      'href="https://x.example/bridge/records?kind=handoffs&amp;a=&quot;b&quot;"',
    )
    expect(html).not.toContain('<b>')
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;')
  })
})
