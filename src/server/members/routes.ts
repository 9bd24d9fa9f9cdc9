import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import {
  envelope,
  errorResponses,
  IdParams,
  listEnvelope,
  noContent,
  RoleSchema,
} from '../http/schemas.ts'
import {
  acceptInvitation,
  inviteMember,
  listInvitations,
  previewInvitation,
  revokeInvitation,
} from './invitations.ts'
import { changeMemberRole, listMembers, removeMember } from './service.ts'

const Member = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: RoleSchema,
    joinedAt: z.string(),
  })
  .meta({ id: 'Member' })
const Invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: RoleSchema,
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    expiresAt: z.string(),
    createdAt: z.string(),
    invitedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  })
  .meta({ id: 'Invitation' })
const UserParams = z.object({ userId: z.string().min(1).max(100) })

export function memberRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/members',
      {
        schema: {
          tags: ['Members'],
          summary: 'People in the workspace, by email',
          querystring: PageQuery,
          response: { 200: listEnvelope(Member), ...errorResponses },
        },
      },
      async (request) => listMembers(ctx.db, request.principal, request.query),
    )
    app.patch(
      '/members/:userId',
      {
        schema: {
          tags: ['Members'],
          summary: "Change a member's role (admins)",
          params: UserParams,
          body: z.object({ role: RoleSchema }),
          response: { 200: envelope(Member), ...errorResponses },
        },
      },
      async (request) => ({
        data: await changeMemberRole(
          ctx.db,
          request.principal,
          request.params.userId,
          request.body.role,
        ),
      }),
    )
    app.delete(
      '/members/:userId',
      {
        schema: {
          tags: ['Members'],
          summary: 'Remove a member (admins)',
          params: UserParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await removeMember(ctx.db, request.principal, request.params.userId)
        return reply.status(204).send(null)
      },
    )
    app.get(
      '/invitations',
      {
        schema: {
          tags: ['Members'],
          summary: 'Pending invitations (admins)',
          response: { 200: listEnvelope(Invitation), ...errorResponses },
        },
      },
      async (request) => listInvitations(ctx.db, request.principal),
    )
    app.post(
      '/invitations',
      {
        schema: {
          tags: ['Members'],
          summary: 'Invite someone by email with a role (admins); returns the accept link',
          body: z.object({ email: z.email().max(254), role: RoleSchema }),
          response: {
            201: envelope(Invitation.extend({ acceptUrl: z.string() })),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const origin = ctx.env.TANDEM_BASE_URL ?? `${request.protocol}://${request.host}`
        const data = await inviteMember(ctx.db, ctx.mailer, request.principal, {
          ...request.body,
          origin,
        })
        return reply.status(201).send({ data })
      },
    )
    app.delete(
      '/invitations/:id',
      {
        schema: {
          tags: ['Members'],
          summary: 'Revoke an invitation (admins)',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await revokeInvitation(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
    app.get(
      '/invitations/by-token/:token',
      {
        config: { public: true },
        schema: {
          tags: ['Members'],
          summary: 'What an invitation link offers (no sign-in needed)',
          params: z.object({ token: z.string().min(1).max(200) }),
          response: {
            200: envelope(
              z.object({
                workspaceName: z.string(),
                email: z.string(),
                role: RoleSchema,
                status: z.string(),
                expiresAt: z.string(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (request) => ({ data: await previewInvitation(ctx.db, request.params.token) }),
    )
    app.post(
      '/invitations/accept',
      {
        schema: {
          tags: ['Members'],
          summary: 'Accept an invitation as the signed-in person it was sent to',
          body: z.object({ token: z.string().min(1).max(200) }),
          response: { 200: envelope(z.object({ workspaceId: z.string() })), ...errorResponses },
        },
      },
      async (request) => ({
        data: await acceptInvitation(ctx.db, request.principal, request.body.token),
      }),
    )
  }
}
