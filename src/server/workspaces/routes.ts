import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, RoleSchema } from '../http/schemas.ts'
import {
  createWorkspace,
  getMe,
  getWorkspace,
  updateWorkspace,
  WorkspaceInput,
  WorkspacePatch,
} from './service.ts'

export const Workspace = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    baseCurrency: z.string(),
    fiscalYearStartMonth: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'Workspace' })

const Me = z
  .object({
    user: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    apiKey: z.object({ id: z.string(), name: z.string() }).nullable(),
    workspace: Workspace.nullable(),
    role: RoleSchema.nullable(),
    permissions: z.array(z.string()),
    workspaces: z.array(
      z.object({ id: z.string(), name: z.string(), role: RoleSchema.nullable() }),
    ),
  })
  .meta({ id: 'Me' })

export function workspaceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/me',
      {
        schema: {
          tags: ['Workspaces'],
          summary: 'Who is calling, the active workspace, role and permissions',
          response: { 200: envelope(Me), ...errorResponses },
        },
      },
      async (request) => ({ data: await getMe(ctx.db, ctx.workspaces, request.principal) }),
    )
    app.post(
      '/workspaces',
      {
        schema: {
          tags: ['Workspaces'],
          summary: 'Create a workspace (the caller becomes its admin)',
          body: WorkspaceInput,
          response: { 201: envelope(Workspace), ...errorResponses },
        },
      },
      async (request, reply) => {
        const data = await createWorkspace(ctx.db, request.principal, request.body)
        return reply.status(201).send({ data })
      },
    )
    app.get(
      '/workspace',
      {
        schema: {
          tags: ['Workspaces'],
          summary: 'The active workspace and its settings',
          response: { 200: envelope(Workspace), ...errorResponses },
        },
      },
      async (request) => ({ data: await getWorkspace(ctx.db, ctx.workspaces, request.principal) }),
    )
    app.patch(
      '/workspace',
      {
        schema: {
          tags: ['Workspaces'],
          summary: 'Change the workspace settings (admins)',
          body: WorkspacePatch,
          response: { 200: envelope(Workspace), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updateWorkspace(ctx.db, ctx.workspaces, request.principal, request.body),
      }),
    )
  }
}
