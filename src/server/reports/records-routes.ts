import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { lifecycleStages } from '../../domain/lifecycle.ts'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { BridgeRangeQuery } from './bridge-common.ts'
import { listDrillRecords } from './records.ts'
import {
  couldHelpValues,
  drillKinds,
  handoffStatuses,
  segments,
  slaStates,
} from './records-filters.ts'

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `must be one of ${values.join(', ')}` })

const uuid = z.uuid({ error: 'must be a uuid' })
const uuidOrNone = z.union([uuid, z.literal('none')], { error: 'must be a uuid or none' })
const word = z.string().trim().min(1).max(100)

const DrillQuery = BridgeRangeQuery.extend({
  kind: oneOf(drillKinds).describe(
    'handoffs (created in the range), deals (closed in it) or contacts (entered `stage` in it)',
  ),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  campaignId: uuidOrNone.optional().describe('none: without a campaign'),
  channel: word.optional().describe('A channel slug; none: without a channel'),
  segment: oneOf(segments).optional(),
  ownerId: uuidOrNone.optional().describe('none: unassigned'),
  teamId: uuidOrNone
    .optional()
    .describe("handoffs: the handoff's team; deals and contacts: the owner's teams; none: no team"),
  productId: uuidOrNone
    .optional()
    .describe('deals: with a line of this product; none: without lines'),
  regret: oneOf(['yes', 'no'])
    .optional()
    .describe(
      'deals: mature won deals (closed at least 180 days ago) that are (yes) or are not (no) regretted: churned, refunded or downgraded within 180 days of closing (the deal or its account), or won while flagged poor fit',
    ),
  status: oneOf(handoffStatuses).optional().describe('handoffs'),
  reason: word.optional().describe('handoffs: a rejection reason'),
  sla: oneOf(slaStates).optional().describe('handoffs: first-touch SLA state'),
  rated: oneOf(['yes', 'no']).optional().describe('handoffs: quality rated'),
  tagId: uuid.optional().describe('handoffs and deals: linked to this feedback tag'),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be YYYY-MM' })
    .optional()
    .describe('YYYY-MM (workspace time zone) of creation, closing or entry'),
  outcome: oneOf(['won', 'lost']).optional().describe('deals'),
  lossReason: word.optional().describe('deals'),
  competitor: word
    .optional()
    .describe('deals: loss competitor (any case) or a competitor tag of that name'),
  marketingCouldHelp: oneOf(couldHelpValues).optional().describe('deals; known = yes or no'),
  stage: oneOf(lifecycleStages).optional().describe('contacts: required'),
  reached: oneOf(lifecycleStages)
    .optional()
    .describe('contacts: reached this later stage within 90 days'),
  notReached: oneOf(lifecycleStages)
    .optional()
    .describe('contacts: did not reach this later stage within 90 days'),
})

const Ref = z.object({ id: z.string(), name: z.string() })

const HandoffRecord = z.object({
  id: z.string(),
  createdAt: z.string(),
  contact: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }),
  owner: Ref.nullable(),
  campaign: Ref.nullable(),
  status: z.enum(['open', 'accepted', 'rejected']),
  rejectionReason: z.string().nullable(),
  quality: z.number().int().nullable(),
  firstTouchAt: z.string().nullable(),
  slaState: z.enum(['running', 'met', 'missed', 'closed']),
  link: z.string(),
})

const DealRecord = z.object({
  id: z.string(),
  name: z.string(),
  account: Ref.nullable(),
  owner: Ref.nullable(),
  amount: z.number().int().describe('Minor units'),
  currency: z.string(),
  closedAt: z.string(),
  outcome: z.enum(['won', 'lost']).nullable(),
  lossReason: z.string().nullable(),
  lossCompetitor: z.string().nullable(),
  marketingCouldHelp: z.enum(['yes', 'no', 'unsure']).nullable(),
  link: z.string(),
})

const ContactRecord = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  account: Ref.nullable(),
  enteredAt: z.string(),
  reachedAt: z.string().nullable(),
  link: z.string(),
})

const DrillRecords = z
  .object({
    kind: z.enum(drillKinds),
    total: z.number().int().describe('Every record matching: the number the report showed'),
    description: z.string().describe('The filter in plain words'),
    nextCursor: z.string().nullable(),
    rows: z.array(z.union([HandoffRecord, DealRecord, ContactRecord])),
  })
  .meta({ id: 'DrillRecords' })

export function drillRecordsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/reports/records',
      {
        schema: {
          tags: ['Reports'],
          summary: 'The records behind a Bridge number (drill-down)',
          description:
            'Handoffs created, deals closed or contacts that entered a stage in [from, to], filtered as the report counted them; newest first, keyset pages; `total` counts them all.',
          querystring: DrillQuery,
          response: { 200: envelope(DrillRecords), ...errorResponses },
        },
      },
      async (request) => ({
        data: await listDrillRecords(ctx.db, request.principal, request.query),
      }),
    )
  }
}
