/**
 * A small world for the Telescope's trends (issue 14), placed in the 12 complete weeks before `now`
 * in the workspace's time zone: the campaign "Paid social spring" (paid_social, lead_gen) with 40
 * leads a week, 20 MQLs a week for 8 weeks then 11 a week for the last 4, all accepted, and a
 * steady $700 of spend a week; the email channel with a steady 30 leads a week and no campaign.
 * Hand-computed in src/server/trends/trends.test.ts: the campaign's (and paid social's) MQL rate
 * falls from 50% to 27.5% and its cost per MQL rises from $35 to $63.64, both decays; nothing else
 * is flagged.
 */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import type { DB } from '../src/server/db/schema.ts'
import { completeWeeks } from '../src/server/trends/weekly.ts'

export const trendWorld = {
  campaignName: 'Paid social spring',
  leadsPerWeek: 40,
  baselineMqls: 20,
  recentMqls: 11,
  weeklySpend: 70_000,
  emailLeadsPerWeek: 30,
}

/** `count` leads made at `at` by a form on `channel` (and `campaignId`); answers their ids. */
async function leads(
  db: Kysely<DB>,
  workspaceId: string,
  at: Date,
  count: number,
  channel: string,
  campaignId: string | null,
) {
  const people = Array.from({ length: count }, () => ({ id: randomUUID(), touchId: randomUUID() }))
  await db
    .insertInto('contacts')
    .values(
      people.map((p) => ({
        workspaceId,
        id: p.id,
        leadCreationTouchpointId: p.touchId,
        leadCreationAt: at,
        leadCreationType: 'form',
      })),
    )
    .execute()
  await db
    .insertInto('touchpoints')
    .values(
      people.map((p) => ({
        workspaceId,
        id: p.touchId,
        occurredAt: at,
        contactId: p.id,
        type: 'form_submit',
        channel,
        campaignId,
      })),
    )
    .execute()
  return people.map((p) => p.id)
}

/** Plants the world; answers the campaign's id and the 12 weeks' keys, oldest first. */
export async function plantTrendWorld(db: Kysely<DB>, workspaceId: string, now = new Date()) {
  const { timeZone } = await db
    .selectFrom('workspaces')
    .select('timeZone')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  const weeks = completeWeeks(now, timeZone).periods.slice(-12)
  const first = weeks[0]
  if (!first) throw new Error('no weeks')
  const campaignId = randomUUID()
  const startsOn = DateTime.fromJSDate(first.start, { zone: timeZone })
    .minus({ weeks: 4 })
    .toISODate() as string
  await db
    .insertInto('campaigns')
    .values({
      workspaceId,
      id: campaignId,
      name: trendWorld.campaignName,
      channel: 'paid_social',
      type: 'lead_gen',
      startsOn,
      currency: 'USD',
      budget: null,
      goalLeads: null,
      goalMqls: null,
      goalPipeline: null,
      ownerId: null,
      externalSource: null,
      externalId: null,
    })
    .execute()
  for (const [i, week] of weeks.entries()) {
    // Wednesday noon, local time: well inside the week whatever the zone.
    const at = DateTime.fromJSDate(week.start, { zone: timeZone }).plus({ days: 2, hours: 12 })
    const when = at.toJSDate()
    const contacts = await leads(
      db,
      workspaceId,
      when,
      trendWorld.leadsPerWeek,
      'paid_social',
      campaignId,
    )
    await leads(db, workspaceId, when, trendWorld.emailLeadsPerWeek, 'email', null)
    const mqls = i < 8 ? trendWorld.baselineMqls : trendWorld.recentMqls
    const created = at.plus({ hours: 1 }).toJSDate()
    await db
      .insertInto('handoffs')
      .values(
        contacts.slice(0, mqls).map((contactId) => ({
          workspaceId,
          id: randomUUID(),
          contactId,
          campaignId,
          mqlSource: 'form' as const,
          mqlReason: 'Asked for a demo',
          status: 'accepted' as const,
          createdAt: created,
          firstTouchDueAt: created,
          decisionDueAt: created,
          escalateAt: created,
          decidedAt: created,
        })),
      )
      .execute()
    // A cost every Monday: each covers its week (spread to the next cost's day).
    await db
      .insertInto('campaignCosts')
      .values({
        workspaceId,
        id: randomUUID(),
        campaignId,
        incurredOn: DateTime.fromJSDate(week.start, { zone: timeZone }).toISODate() as string,
        amount: trendWorld.weeklySpend,
        currency: 'USD',
        note: 'Weekly spend',
      })
      .execute()
  }
  // The week after the last complete one (this week) also has its cost, so the last one spans 7 days.
  const thisWeek = DateTime.fromJSDate(weeks[weeks.length - 1]?.end ?? now, { zone: timeZone })
  await db
    .insertInto('campaignCosts')
    .values({
      workspaceId,
      id: randomUUID(),
      campaignId,
      incurredOn: thisWeek.toISODate() as string,
      amount: trendWorld.weeklySpend,
      currency: 'USD',
      note: 'Weekly spend',
    })
    .execute()
  return { campaignId, weeks: weeks.map((w) => w.key) }
}
