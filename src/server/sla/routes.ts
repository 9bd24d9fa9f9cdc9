import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import {
  CalendarInput,
  CalendarPatch,
  createCalendar,
  deleteCalendar,
  getCalendar,
  listCalendars,
  updateCalendar,
} from './calendar-service.ts'
import {
  createPolicy,
  deletePolicy,
  getPolicy,
  listPolicies,
  PolicyInput,
  PolicyPatch,
  PreviewQuery,
  previewSla,
  Segment,
  updatePolicy,
} from './policy-service.ts'

const DayHours = z.object({ start: z.string(), end: z.string() }).nullable()
const Week = z
  .object({
    1: DayHours,
    2: DayHours,
    3: DayHours,
    4: DayHours,
    5: DayHours,
    6: DayHours,
    7: DayHours,
  })
  .meta({ id: 'BusinessWeek' })
const Ref = z.object({ id: z.string(), name: z.string() })

export const BusinessCalendar = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    week: Week,
    holidays: z.array(z.string()),
    isDefault: z.boolean(),
    usedBy: z.array(Ref).describe('The SLA policies whose clocks run on this calendar'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'BusinessCalendar' })

const windows = {
  firstTouchMinutes: z.number(),
  acceptanceMinutes: z.number(),
  escalationMinutes: z.number(),
  firstTouchHours: z.number(),
  acceptanceHours: z.number(),
  escalationHours: z.number(),
  reassignOnEscalation: z.boolean(),
}

export const SlaPolicy = z
  .object({
    id: z.string(),
    name: z.string(),
    segment: Segment.nullable(),
    calendarId: z.string().nullable(),
    calendar: Ref.nullable(),
    ...windows,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SlaPolicy' })

export const SlaPreview = z
  .object({
    segment: Segment.nullable(),
    at: z.string(),
    policy: z.object({ id: z.string().nullable(), name: z.string(), ...windows }),
    calendar: z.object({
      id: z.string().nullable(),
      name: z.string(),
      source: z.enum(['policy', 'workspace_default', 'built_in']),
      timeZone: z.string(),
      week: Week,
      holidays: z.array(z.string()),
    }),
    isOpen: z.boolean(),
    clockStartsAt: z.string(),
    firstTouchDueAt: z.string(),
    decisionDueAt: z.string(),
    escalateAt: z.string(),
  })
  .meta({ id: 'SlaPreview' })

const tags = ['SLA']

export function slaRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/sla/calendars',
      {
        schema: {
          tags,
          summary: 'List business calendars by name, with the SLA policies using each',
          querystring: PageQuery,
          response: { 200: listEnvelope(BusinessCalendar), ...errorResponses },
        },
      },
      async (request) => listCalendars(ctx.db, request.principal, request.query),
    )
    app.post(
      '/sla/calendars',
      {
        schema: {
          tags,
          summary: 'Create a business calendar (time zone, weekly hours, holidays)',
          description:
            'isDefault: true makes it the workspace calendar, replacing the previous one.',
          body: CalendarInput,
          response: { 201: envelope(BusinessCalendar), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createCalendar(ctx.db, request.principal, request.body) }),
    )
    app.get(
      '/sla/calendars/:id',
      {
        schema: {
          tags,
          summary: 'One business calendar',
          params: IdParams,
          response: { 200: envelope(BusinessCalendar), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getCalendar(ctx.db, request.principal, request.params.id),
      }),
    )
    app.patch(
      '/sla/calendars/:id',
      {
        schema: {
          tags,
          summary: 'Change a business calendar',
          description:
            'week and holidays, when given, replace the old ones whole. Open handoffs keep their due times.',
          params: IdParams,
          body: CalendarPatch,
          response: { 200: envelope(BusinessCalendar), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateCalendar(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/sla/calendars/:id',
      {
        schema: {
          tags,
          summary: 'Delete a business calendar no SLA policy uses (409 naming them otherwise)',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteCalendar(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
    app.get(
      '/sla/policies',
      {
        schema: {
          tags,
          summary: 'List SLA policies: smb, mid_market, enterprise, then every other lead',
          response: { 200: listEnvelope(SlaPolicy), ...errorResponses },
        },
      },
      async (request) => listPolicies(ctx.db, request.principal),
    )
    app.post(
      '/sla/policies',
      {
        schema: {
          tags,
          summary: 'Create the SLA policy of a segment (or of every other lead)',
          description: 'One policy per segment; windows are business minutes (1 to 100000).',
          body: PolicyInput,
          response: { 201: envelope(SlaPolicy), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createPolicy(ctx.db, request.principal, request.body) }),
    )
    app.get(
      '/sla/policies/:id',
      {
        schema: {
          tags,
          summary: 'One SLA policy',
          params: IdParams,
          response: { 200: envelope(SlaPolicy), ...errorResponses },
        },
      },
      async (request) => ({ data: await getPolicy(ctx.db, request.principal, request.params.id) }),
    )
    app.patch(
      '/sla/policies/:id',
      {
        schema: {
          tags,
          summary: 'Change an SLA policy (new handoffs get the new windows)',
          params: IdParams,
          body: PolicyPatch,
          response: { 200: envelope(SlaPolicy), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updatePolicy(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/sla/policies/:id',
      {
        schema: {
          tags,
          summary: 'Delete an SLA policy (its segment falls back to the catch-all or the defaults)',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deletePolicy(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
    app.get(
      '/sla/preview',
      {
        schema: {
          tags,
          summary: 'The SLA a handoff would get: policy, calendar and due times',
          querystring: PreviewQuery,
          response: { 200: envelope(SlaPreview), ...errorResponses },
        },
      },
      async (request) => ({
        data: await previewSla(ctx.db, request.principal, request.query),
      }),
    )
  }
}
