import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { rejectionReasons } from '../../domain/handoff.ts'
import { allLifecycleStates } from '../../domain/lifecycle.ts'
import type { AppContext } from '../context.ts'
import { TagIds } from '../feedback/service.ts'
import { envelope, errorResponses, Id, IdParams } from '../http/schemas.ts'
import { IsoDate } from '../records/fields.ts'
import { acceptHandoff, rateHandoff, reassignHandoff, rejectHandoff } from './decide.ts'
import { moveContactLifecycle } from './lifecycle.ts'
import { getHandoff, handoffCounts, listHandoffs } from './service.ts'

const Ref = z.object({ id: z.string(), name: z.string() })
const ClockState = z.enum(['running', 'met', 'missed', 'closed'])

export const Handoff = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'accepted', 'rejected']),
    contact: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      title: z.string().nullable(),
      lifecycleStage: z.string().nullable(),
      leadStatus: z.string().nullable(),
    }),
    account: Ref.nullable(),
    owner: Ref.nullable(),
    team: Ref.nullable(),
    routingRuleId: z.string().nullable(),
    unassignedReason: z.string().nullable(),
    assignedAt: z.string().nullable(),
    campaign: z
      .object({ id: z.string(), name: z.string(), channel: z.string().nullable() })
      .nullable(),
    mqlSource: z.string(),
    mqlReason: z.string(),
    isReMql: z.boolean(),
    segment: z.string().nullable(),
    createdAt: z.string(),
    sla: z.object({
      policyId: z.string().nullable(),
      policyName: z.string(),
      firstTouchDueAt: z.string(),
      decisionDueAt: z.string(),
      escalateAt: z.string(),
      firstTouchAt: z.string().nullable(),
      firstTouch: ClockState,
      decision: ClockState.exclude(['closed']),
      timeToFirstTouchMinutes: z.number().nullable(),
      firstTouchMinutesLeft: z.number().nullable(),
      decisionMinutesLeft: z.number().nullable(),
      isClockOpen: z.boolean(),
      firstTouchBreachedAt: z.string().nullable(),
      decisionBreachedAt: z.string().nullable(),
      escalatedAt: z.string().nullable(),
    }),
    decidedAt: z.string().nullable(),
    decidedBy: Ref.nullable(),
    rejectionReason: z.string().nullable(),
    rejectionOutcome: z.enum(['recycle', 'disqualify']).nullable(),
    recycleOn: z.string().nullable(),
    rejectionNote: z.string().nullable(),
    quality: z.number().nullable(),
    ratedAt: z.string().nullable(),
  })
  .meta({ id: 'Handoff' })

const HandoffDetail = Handoff.extend({
  events: z.array(
    z.object({
      kind: z.string(),
      at: z.string(),
      actor: Ref.nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
}).meta({ id: 'HandoffDetail' })

const HandoffQuery = z.object({
  status: z.enum(['open', 'accepted', 'rejected']).optional(),
  ownerId: z
    .string()
    .max(200)
    .optional()
    .describe('A member id, `me`, or `none` for the unassigned queue'),
  contactId: Id.optional(),
  sort: z.enum(['due', '-createdAt']).default('-createdAt'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
})

export const RejectBody = z
  .object({
    reason: z.enum(rejectionReasons, {
      error: `must be one of ${rejectionReasons.join(', ')}`,
    }),
    outcome: z.enum(['recycle', 'disqualify']).optional(),
    recycleOn: IsoDate.optional(),
    note: z.string().trim().max(2000).optional(),
    tagIds: TagIds,
  })
  .strict()

const ReassignBody = z
  .object({
    ownerId: z.string().min(1).max(200).optional(),
    reroute: z.boolean().optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()

const LifecycleBody = z
  .object({
    stage: z.enum(allLifecycleStates),
    reason: z.string().trim().min(1).max(500).optional(),
    recycleOn: IsoDate.optional(),
  })
  .strict()

const Accepted = { 200: envelope(HandoffDetail), ...errorResponses }

export function handoffRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/handoffs',
      {
        schema: {
          tags: ['Handoffs'],
          summary: 'List handoffs (the inbox): by status and owner, newest or most urgent first',
          querystring: HandoffQuery,
          response: {
            200: z.object({ data: z.array(Handoff), nextCursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => listHandoffs(ctx.db, request.principal, request.query),
    )
    app.get(
      '/handoffs/counts',
      {
        schema: {
          tags: ['Handoffs'],
          summary: 'Open handoffs: all, mine, unassigned and overdue (the inbox tabs)',
          response: {
            200: envelope(
              z.object({
                open: z.number(),
                mine: z.number(),
                unassigned: z.number(),
                overdue: z.number(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => ({ data: await handoffCounts(ctx.db, request.principal) }),
    )
    app.get(
      '/handoffs/:id',
      {
        schema: {
          tags: ['Handoffs'],
          summary: 'One handoff with its SLA clocks and the history of its decisions',
          params: IdParams,
          response: Accepted,
        },
      },
      async (request) => ({ data: await getHandoff(ctx.db, request.principal, request.params.id) }),
    )
    app.post(
      '/handoffs/:id/accept',
      {
        schema: {
          tags: ['Handoffs'],
          summary: 'Accept: the contact becomes a sales-accepted lead (SAL); 409 once decided',
          params: IdParams,
          response: Accepted,
        },
      },
      async (request) => {
        await acceptHandoff(ctx.db, request.principal, request.params.id)
        return { data: await getHandoff(ctx.db, request.principal, request.params.id) }
      },
    )
    app.post(
      '/handoffs/:id/reject',
      {
        schema: {
          tags: ['Handoffs'],
          summary:
            'Reject with a reason: recycle (re-engage date, default +90 days) or disqualify, by the reason unless overridden',
          params: IdParams,
          body: RejectBody,
          response: Accepted,
        },
      },
      async (request) => {
        await rejectHandoff(ctx.db, request.principal, request.params.id, request.body)
        return { data: await getHandoff(ctx.db, request.principal, request.params.id) }
      },
    )
    app.post(
      '/handoffs/:id/reassign',
      {
        schema: {
          tags: ['Handoffs'],
          summary:
            'Give an open handoff to another rep, or route it again (the SLA clock keeps running)',
          params: IdParams,
          body: ReassignBody,
          response: Accepted,
        },
      },
      async (request) => {
        await reassignHandoff(ctx.db, request.principal, request.params.id, request.body)
        return { data: await getHandoff(ctx.db, request.principal, request.params.id) }
      },
    )
    app.post(
      '/handoffs/:id/rating',
      {
        schema: {
          tags: ['Handoffs'],
          summary: "Rate the handoff's quality 1-5",
          params: IdParams,
          body: z.object({ quality: z.number().int().min(1).max(5) }).strict(),
          response: Accepted,
        },
      },
      async (request) => {
        await rateHandoff(ctx.db, request.principal, request.params.id, request.body.quality)
        return { data: await getHandoff(ctx.db, request.principal, request.params.id) }
      },
    )
    app.post(
      '/contacts/:id/lifecycle',
      {
        schema: {
          tags: ['Contacts'],
          summary:
            'Move a contact to a lifecycle stage; `mql` opens its handoff (routed, with SLA clocks) in the same transaction',
          params: IdParams,
          body: LifecycleBody,
          response: {
            200: envelope(
              z.object({
                contactId: z.string(),
                lifecycleStage: z.string().nullable(),
                handoffId: z.string().nullable(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => ({
        data: await moveContactLifecycle(
          ctx.db,
          request.principal,
          request.params.id,
          request.body,
        ),
      }),
    )
  }
}
