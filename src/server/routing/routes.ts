import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { routingFields, routingOps } from '../../domain/routing.ts'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import { listReps, RepPatch, updateRep } from './reps-service.ts'
import {
  createRule,
  deleteRule,
  listRules,
  RoutingRuleInput,
  RoutingRulePatch,
  RuleOrder,
  reorderRules,
  updateRule,
} from './rules-service.ts'

const Ref = z.object({ id: z.string(), name: z.string() })

export const RoutingRule = z
  .object({
    id: z.string(),
    name: z.string(),
    position: z.number(),
    teamId: z.string(),
    team: Ref,
    conditions: z.array(
      z.object({
        field: z.enum(routingFields),
        op: z.enum(routingOps),
        value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]),
      }),
    ),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'RoutingRule' })

export const RoutingRep = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    teams: z.array(Ref),
    acceptsLeads: z.boolean(),
    capacity: z.number().nullable(),
    dailyCap: z.number().nullable(),
    absentFrom: z.string().nullable(),
    absentUntil: z.string().nullable(),
    isAbsent: z.boolean(),
    isEligible: z
      .boolean()
      .describe('Sells (sales, sales manager, admin), accepts leads and is not absent now'),
    openCount: z.number(),
    todayCount: z.number(),
  })
  .meta({ id: 'RoutingRep' })

const UserParams = z.object({ userId: z.string().min(1).max(100) })

const conditionsHelp =
  "Conditions use the filter language's shape and op names: text fields (country, region, industry, segment) take eq, neq, in, nin, exists; employees takes eq, gt, gte, lt, lte, exists. All must hold; a rule without conditions catches every lead."

export function routingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/routing/rules',
      {
        schema: {
          tags: ['Routing'],
          summary: 'Routing rules in the order they are tried',
          description:
            'All rules at once (nextCursor is always null). The first active rule that matches an MQL names the team; round robin picks its rep.',
          response: { 200: listEnvelope(RoutingRule), ...errorResponses },
        },
      },
      async (request) => listRules(ctx.db, request.principal),
    )
    app.post(
      '/routing/rules',
      {
        schema: {
          tags: ['Routing'],
          summary: 'Add a routing rule at the end of the order',
          description: conditionsHelp,
          body: RoutingRuleInput,
          response: { 201: envelope(RoutingRule), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send({ data: await createRule(ctx.db, request.principal, request.body) }),
    )
    app.patch(
      '/routing/rules/:id',
      {
        schema: {
          tags: ['Routing'],
          summary: 'Rename a rule, change its team or conditions, or (de)activate it',
          description: `conditions, when given, is the whole new list. ${conditionsHelp}`,
          params: IdParams,
          body: RoutingRulePatch,
          response: { 200: envelope(RoutingRule), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateRule(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/routing/rules/:id',
      {
        schema: {
          tags: ['Routing'],
          summary: 'Delete a routing rule',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteRule(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
    app.post(
      '/routing/rules/reorder',
      {
        schema: {
          tags: ['Routing'],
          summary: 'Set the order routing rules are tried in',
          description: 'ids is the full ordered list: every rule of the workspace, once.',
          body: RuleOrder,
          response: { 200: listEnvelope(RoutingRule), ...errorResponses },
        },
      },
      async (request) => reorderRules(ctx.db, request.principal, request.body),
    )
    app.get(
      '/routing/reps',
      {
        schema: {
          tags: ['Routing'],
          summary: 'Members of teams with their routing settings and load',
          description:
            'Every member in at least one team: accepts leads, capacity (open handoffs), daily cap, absence, open handoffs and handoffs assigned today (workspace time zone). nextCursor is always null.',
          response: { 200: listEnvelope(RoutingRep), ...errorResponses },
        },
      },
      async (request) => listReps(ctx.db, request.principal),
    )
    app.patch(
      '/routing/reps/:userId',
      {
        schema: {
          tags: ['Routing'],
          summary: "Set a member's routing settings",
          description:
            'capacity and dailyCap: whole numbers ≥ 0, null for no limit. The absence covers absentFrom up to absentUntil (either may be null for an open end); absentFrom must be before absentUntil.',
          params: UserParams,
          body: RepPatch,
          response: { 200: envelope(RoutingRep), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateRep(ctx.db, request.principal, request.params.userId, request.body),
      }),
    )
  }
}
