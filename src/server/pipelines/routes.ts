import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses, IdParams, listEnvelope, noContent } from '../http/schemas.ts'
import { replaceStages } from './replace-stages.ts'
import {
  createPipeline,
  deletePipeline,
  getPipeline,
  listPipelines,
  PipelineInput,
  PipelinePatch,
  updatePipeline,
} from './service.ts'
import { StageList } from './stages.ts'

export const Stage = z
  .object({
    id: z.string(),
    pipelineId: z.string(),
    name: z.string(),
    position: z.number(),
    winProbability: z.number(),
    isWon: z.boolean(),
    isLost: z.boolean(),
    isProposalOrLater: z.boolean(),
  })
  .meta({ id: 'Stage' })

export const Pipeline = z
  .object({
    id: z.string(),
    name: z.string(),
    isDefault: z.boolean(),
    position: z.number(),
    stages: z.array(Stage),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Pipeline' })

export function pipelineRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/pipelines',
      {
        schema: {
          tags: ['Pipelines'],
          summary: 'Every pipeline with its stages in order',
          description:
            'All pipelines at once (a workspace has few; nextCursor is always null). A workspace without any pipeline gets the default "Sales" pipeline on this first read.',
          response: { 200: listEnvelope(Pipeline), ...errorResponses },
        },
      },
      async (request) => listPipelines(ctx.db, request.principal),
    )
    app.post(
      '/pipelines',
      {
        schema: {
          tags: ['Pipelines'],
          summary: 'Create a pipeline with its stages',
          description:
            'Stages in order: at least one open stage, exactly one won stage (isWon), at least one lost stage (isLost), none both.',
          body: PipelineInput,
          response: { 201: envelope(Pipeline), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ data: await createPipeline(ctx.db, request.principal, request.body) }),
    )
    app.get(
      '/pipelines/:id',
      {
        schema: {
          tags: ['Pipelines'],
          summary: 'One pipeline with its stages in order',
          params: IdParams,
          response: { 200: envelope(Pipeline), ...errorResponses },
        },
      },
      async (request) => ({
        data: await getPipeline(ctx.db, request.principal, request.params.id),
      }),
    )
    app.patch(
      '/pipelines/:id',
      {
        schema: {
          tags: ['Pipelines'],
          summary: 'Rename a pipeline or make it the default',
          params: IdParams,
          body: PipelinePatch,
          response: { 200: envelope(Pipeline), ...errorResponses },
        },
      },
      async (request) => ({
        data: await updatePipeline(ctx.db, request.principal, request.params.id, request.body),
      }),
    )
    app.put(
      '/pipelines/:id/stages',
      {
        schema: {
          tags: ['Pipelines'],
          summary: "Replace or reorder a pipeline's stages",
          description:
            'The whole list, in order. A stage given with its id keeps it; a stage left out is removed (409 while deals are in it); a stage with deals cannot change isWon or isLost.',
          params: IdParams,
          body: z.object({ stages: StageList }),
          response: { 200: envelope(Pipeline), ...errorResponses },
        },
      },
      async (request) => ({
        data: await replaceStages(
          ctx.db,
          request.principal,
          request.params.id,
          request.body.stages,
        ),
      }),
    )
    app.delete(
      '/pipelines/:id',
      {
        schema: {
          tags: ['Pipelines'],
          summary: 'Move a pipeline to the Trash (not the default, nor one with open deals)',
          params: IdParams,
          response: { ...noContent, ...errorResponses },
        },
      },
      async (request, reply) => {
        await deletePipeline(ctx.db, request.principal, request.params.id)
        return reply.status(204).send(null)
      },
    )
  }
}
