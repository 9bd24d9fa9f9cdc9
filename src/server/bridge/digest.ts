/**
 * The Bridge's weekly digest (issue 8): every Monday between 08:00 and 08:59 in a workspace's time
 * zone, the alignment index, its parts with owners and the three biggest problems, with links, go
 * by email (HTML and plain text) to the workspace's admins, marketing and sales managers, and as a
 * `bridge.digest` webhook event. A bridge_digests row per (workspace, week) makes it once-only,
 * even with several workers: the row is inserted first (on conflict do nothing) and only the
 * process that inserted it queues the event and sends the emails.
 */
import { createHash } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { DateTime } from 'luxon'
import type { DB, Role } from '../db/schema.ts'
import type { Env } from '../env.ts'
import type { Mailer } from '../mail/mailer.ts'
import { computeAlignment } from '../reports/alignment.ts'
import type { AlignmentReport } from '../reports/alignment-types.ts'
import { queueDeliveries, type WebhookEvent } from '../webhooks/events.ts'
import {
  type BridgeDigest,
  digestHtml,
  digestSubject,
  digestText,
  signedChange,
} from './digest-html.ts'

/** Who receives the digest: the people who act on the Bridge (not reps, not viewers). */
export const digestRoles: readonly Role[] = ['admin', 'marketing', 'sales_manager']
/** Local hour of Monday at which a workspace's digest goes out. */
export const digestHour = 8

export interface DigestLogger {
  info(details: Record<string, unknown>, message: string): void
  error(details: Record<string, unknown>, message: string): void
}

export interface DigestDeps {
  db: Kysely<DB>
  mailer: Mailer
  /** Tandem's public address, e.g. https://tandem.example.com (no trailing slash needed). */
  baseUrl: string
  log: DigestLogger
}

export interface DigestSent {
  workspaceId: string
  week: string
  recipients: number
  /** Emails the mailer accepted (SMTP, or the log without SMTP). */
  emailed: number
}

/** Tandem's public address for links in emails sent by a job: TANDEM_BASE_URL, else localhost. */
export function digestBaseUrl(env: Pick<Env, 'TANDEM_BASE_URL' | 'PORT'>): string {
  return (env.TANDEM_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '')
}

/** The Monday (YYYY-MM-DD) of `now`'s week in the time zone, and whether it is Monday 08:xx there. */
export function digestMoment(now: Date, timeZone: string): { week: string; isDue: boolean } {
  const local = DateTime.fromJSDate(now, { zone: timeZone })
  return {
    week: local.startOf('week').toISODate() ?? '',
    isDue: local.weekday === 1 && local.hour === digestHour,
  }
}

/**
 * The event id of a workspace's digest of a week: the same on every run, so a receiver can tell a
 * digest it already has (a UUID, version 8, from a SHA-256 of the workspace and the week).
 */
export function digestEventId(workspaceId: string, week: string): string {
  const bytes = createHash('sha256').update(`tandem:bridge.digest:${workspaceId}:${week}`).digest()
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The digest's content from the alignment report, its links made absolute. */
export function buildDigest(
  report: AlignmentReport,
  workspace: { name: string; week: string },
  baseUrl: string,
): BridgeDigest {
  const base = baseUrl.replace(/\/+$/, '')
  const absolute = (link: string) => `${base}${link.startsWith('/') ? '' : '/'}${link}`
  const previousPeriod = DateTime.fromISO(`${report.indexPeriod}-01`, { zone: 'utc' })
    .minus({ months: 1 })
    .toFormat('yyyy-MM')
  const previousIndex = report.series.find((p) => p.period === previousPeriod)?.value ?? null
  const change =
    report.index === null || previousIndex === null
      ? null
      : Math.round((report.index - previousIndex) * 10) / 10
  return {
    workspaceName: workspace.name,
    week: workspace.week,
    timeZone: report.timeZone,
    index: report.index,
    indexPeriod: report.indexPeriod,
    previousIndex,
    change,
    parts: report.parts.map((part) => ({
      key: part.key,
      label: part.label,
      owner: part.owner,
      value: part.value,
      detail: part.detail,
      url: absolute(part.link),
      shortfallUrl: part.shortfallLink === null ? null : absolute(part.shortfallLink),
    })),
    problems: report.problemDetails.slice(0, 3).map((problem) => ({
      text: problem.text,
      owner: problem.owner,
      url: absolute(problem.link),
    })),
    bridgeUrl: `${base}/bridge`,
  }
}

/** The sentence Slack-format subscriptions show: the subject, the problems and the Bridge's link. */
function slackText(digest: BridgeDigest): string {
  const problems = digest.problems.map((p, i) => `${i + 1}. ${p.text}: ${p.url}`)
  return [digestSubject(digest), ...problems, `The Bridge: ${digest.bridgeUrl}`].join('\n')
}

/** Workspaces at Monday 08:xx local time without a digest for this week yet. */
async function findDueWorkspaces(db: Kysely<DB>, now: Date) {
  const local = sql`(${now}::timestamptz at time zone w.time_zone)`
  const result = await sql<{ id: string; name: string; timeZone: string }>`
    select w.id, w.name, w.time_zone
    from workspaces w
    where extract(isodow from ${local}) = 1 and extract(hour from ${local}) = ${digestHour}
      and not exists (
        select 1 from bridge_digests d
        where d.workspace_id = w.id and d.week = ${local}::date
      )
    order by w.id`.execute(db)
  return result.rows
}

/** Emails of the workspace's admins, marketing and sales managers. */
async function findRecipients(db: Kysely<DB>, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select('u.email')
    .where('m.workspaceId', '=', workspaceId)
    .where('m.role', 'in', [...digestRoles])
    .orderBy('u.email')
    .execute()
  return [...new Set(rows.map((r) => r.email))]
}

/**
 * Records the digest of the week and queues its webhook event in one transaction; false when
 * another process recorded it first (then it sends nothing).
 */
async function claimDigest(
  db: Kysely<DB>,
  workspaceId: string,
  digest: BridgeDigest,
  recipients: number,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('bridgeDigests')
      .values({ workspaceId, week: digest.week, sentAt: now, recipients })
      .onConflict((oc) => oc.columns(['workspaceId', 'week']).doNothing())
      .returning('week')
      .executeTakeFirst()
    if (!claimed) return false
    const targets = await trx
      .selectFrom('webhookSubscriptions')
      .select(['id', 'format'])
      .where('workspaceId', '=', workspaceId)
      .where('isActive', '=', true)
      .where(sql<boolean>`${'bridge.digest'} = any(event_types)`)
      .execute()
    const event: WebhookEvent = {
      id: digestEventId(workspaceId, digest.week),
      type: 'bridge.digest',
      createdAt: now.toISOString(),
      workspaceId,
      data: { ...digest, subject: digestSubject(digest) },
    }
    await queueDeliveries(trx, event, targets, slackText(digest))
    return true
  })
}

/**
 * The hourly job: each workspace whose local time is Monday 08:xx and that has not had this week's
 * digest gets it. A workspace with nothing to say yet (no index, no problems) is skipped. One
 * workspace's failure is logged and does not stop the others.
 */
export async function sendWeeklyDigests(
  deps: DigestDeps,
  now: Date = new Date(),
): Promise<DigestSent[]> {
  const sent: DigestSent[] = []
  for (const workspace of await findDueWorkspaces(deps.db, now)) {
    try {
      const result = await sendDigest(deps, workspace, now)
      if (result) sent.push(result)
    } catch (error) {
      deps.log.error(
        { err: error, workspaceId: workspace.id },
        'Bridge weekly digest failed for a workspace',
      )
    }
  }
  return sent
}

async function sendDigest(
  deps: DigestDeps,
  workspace: { id: string; name: string; timeZone: string },
  now: Date,
): Promise<DigestSent | null> {
  const { week, isDue } = digestMoment(now, workspace.timeZone)
  if (!isDue) return null
  // Up to yesterday: at 08:00 on a month's last day that month is not complete yet. On every other
  // day the index month is the one the Bridge page shows.
  const yesterday = DateTime.fromJSDate(now, { zone: workspace.timeZone }).minus({ days: 1 })
  const report = await computeAlignment(
    deps.db,
    workspace.id,
    { to: yesterday.toISODate() ?? undefined },
    now,
  )
  if (report.index === null && report.problemDetails.length === 0) return null
  const digest = buildDigest(report, { name: workspace.name, week }, deps.baseUrl)
  const recipients = await findRecipients(deps.db, workspace.id)
  if (!(await claimDigest(deps.db, workspace.id, digest, recipients.length, now))) return null

  // After the commit: a digest is sent at most once, even if an SMTP server fails half-way.
  const subject = digestSubject(digest)
  const text = digestText(digest)
  const html = digestHtml(digest)
  let emailed = 0
  for (const to of recipients) {
    try {
      await deps.mailer.send(to, subject, text, html)
      emailed += 1
    } catch (error) {
      deps.log.error(
        { err: error, workspaceId: workspace.id, to },
        'Bridge weekly digest email failed',
      )
    }
  }
  deps.log.info(
    {
      workspaceId: workspace.id,
      week,
      recipients: recipients.length,
      emailed,
      index: digest.index,
      change: digest.change === null ? null : signedChange(digest.change),
    },
    'Bridge weekly digest sent',
  )
  return { workspaceId: workspace.id, week, recipients: recipients.length, emailed }
}
