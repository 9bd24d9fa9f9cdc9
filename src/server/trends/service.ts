/**
 * The Telescope's trends use cases (issue 14): the week's changes (through the day's snapshot) and
 * one channel's or campaign's weekly series of all five metrics with their change tests.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { metricSpecs, testChange, trendMetrics } from '../../domain/decay.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { snapshot } from '../telescope/snapshots.ts'
import { computeChanges, linkOf, pointOf, unitOf, wordsOf } from './changes.ts'
import { loadTrends } from './weekly.ts'

const flag = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true')

export const ChangesQuery = z.object({ refresh: flag })
export type ChangesQuery = z.infer<typeof ChangesQuery>

export const TrendsQuery = z
  .object({
    channel: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,60}$/, 'must be a channel slug such as paid_social')
      .optional(),
    campaignId: z.uuid({ error: 'must be a campaign id (uuid)' }).optional(),
  })
  .refine((q) => (q.channel === undefined) !== (q.campaignId === undefined), {
    message: 'give exactly one of channel or campaignId',
    path: ['channel'],
  })
export type TrendsQuery = z.infer<typeof TrendsQuery>

/** This week's flags, kept for the workspace's local day (refresh computes them again). */
export async function getChanges(db: Kysely<DB>, principal: Principal, query: ChangesQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const stored = await snapshot(db, workspaceId, 'changes', () => computeChanges(db, workspaceId), {
    refresh: query.refresh,
  })
  return { ...stored.body, computedAt: stored.computedAt }
}

/** One subject's 52 weeks of each metric, with the change test of its latest 4 weeks. */
export async function getTrends(db: Kysely<DB>, principal: Principal, query: TrendsQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  if (query.campaignId) {
    const campaign = await db
      .selectFrom('campaigns')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', query.campaignId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst()
    if (!campaign) throw new AppError('not_found', 'campaignId: no such campaign')
  }
  const trends = await loadTrends(db, workspaceId)
  const kind = query.campaignId ? 'campaign' : 'channel'
  const id = (query.campaignId ?? query.channel) as string
  const found = trends.series.find((s) => s.subject.kind === kind && s.subject.id === id)
  const campaign = trends.campaigns.get(id)
  const subject = found?.subject ?? {
    kind,
    id,
    name: campaign?.name ?? id,
    channel: campaign?.channel ?? id,
  }
  return {
    asOf: trends.asOf,
    currency: trends.currency,
    subject,
    link: linkOf(subject),
    weeks: trends.weeks,
    metrics: trendMetrics.map((metric) => {
      const weeks =
        found?.metrics[metric] ??
        trends.weeks.map((w) => ({ week: w.week, numerator: 0, denominator: 0 }))
      const result = testChange(metric, weeks)
      return {
        metric,
        label: metricSpecs[metric].label,
        unit: unitOf(metric),
        upIsWorse: metricSpecs[metric].upIsWorse,
        status: result.status,
        words: wordsOf(subject, result, trends.currency),
        changePct: result.changePct === null ? null : Math.round(result.changePct * 10) / 10,
        current: result.current,
        baseline: result.baseline,
        range: result.range,
        series: weeks.map((w) => pointOf(metric, w)),
      }
    }),
  }
}
