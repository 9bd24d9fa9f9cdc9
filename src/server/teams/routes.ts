import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import {
  createTeam,
  deleteTeam,
  getTeam,
  getTeamHistory,
  listTeams,
  TeamInput,
  TeamPatch,
  updateTeam,
} from './service.ts'

const Person = z.object({ id: z.string(), name: z.string() })

export const Team = z
  .object({
    id: z.string(),
    name: z.string(),
    managerId: z.string().nullable(),
    manager: Person.nullable(),
    members: z.array(Person),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Team' })

export function teamRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/teams',
      {
        schema: {
          tags: ['Teams'],
          summary: 'List teams by name, with manager and members',
          querystring: PageQuery,
          response: { 200: listEnvelope(Team), ...errorResponses },
        },
      },
      async (request) => listTeams(ctx.db, request.principal, request.query),
    )
    app.post(
      '/teams',
      {
        schema: {
          tags: ['Teams'],
          summary: 'Create a team of workspace members',
          body: TeamInput,
          response: { 201: envelope(Team), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send({ data: await createTeam(ctx.db, request.principal, request.body) }),
    )
    app.get(
      '/teams/:id',
      {
        schema: {
          tags: ['Teams'],
          summary: 'One team with manager and members',
          params: IdParams,
          response: { 200: envelope(Team), ...errorResponses },
        },
      },
      async (request) => ({ data: await getTeam(ctx.db, request.principal, request.params.id) }),
    )
    app.get(
      '/teams/:id/history',
      {
        schema: {
          tags: ['Teams'],
          summary: 'Who was in the team and when',
          description:
            "Every stretch of membership, the latest first (leftAt null: still a member). A rep moved between teams leaves one and joins the other at the same moment; a team's target progress counts each member's work only within their stretches.",
          params: IdParams,
          response: {
            200: envelope(
              z.array(
                z.object({
                  userId: z.string(),
                  name: z.string(),
                  joinedAt: z.date(),
                  leftAt: z.date().nullable(),
                }),
              ),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => ({
        data: await getTeamHistory(ctx.db, request.principal, request.params.id),
      }),
    )
    app.patch(
      '/teams/:id',
      {
        schema: {
          tags: ['Teams'],
          summary: 'Rename a team, change its manager or replace its members',
          description: 'memberIds, when given, is the whole new set of members.',
          params: IdParams,
          body: TeamPatch,
          response: { 200: envelope(Team), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateTeam(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.delete(
      '/teams/:id',
      {
        schema: {
          tags: ['Teams'],
          summary: 'Delete a team (its people stay in the workspace)',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deleteTeam(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
  }
}
