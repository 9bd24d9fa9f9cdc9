import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { errorResponses, Id } from '../http/schemas.ts'
import { listStageProbabilities } from './probabilities.ts'

const LearnedStage = z
  .object({
    stageId: z.string(),
    pipelineId: z.string(),
    name: z.string(),
    position: z.number().int(),
    isWon: z.boolean(),
    isLost: z.boolean(),
    prior: z.number().describe("The stage's configured win probability, 0-1"),
    closed: z.number().int().describe('Closed deals that were ever in the stage'),
    won: z.number().int().describe('Of those, the ones won'),
    probability: z
      .number()
      .describe('(won + 10 × prior) ÷ (closed + 10); 1 for a won stage, 0 for a lost one'),
  })
  .meta({ id: 'LearnedStageProbability' })

export function forecastRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/forecast/stage-probabilities',
      {
        schema: {
          tags: ['Forecast'],
          summary: "Each stage's win probability, learned from the workspace's closed deals",
          description:
            'DEFINITIONS.md "Weighted pipeline": a Beta prior of 10 deals at the stage\'s configured probability, updated by the closed deals that were ever in the stage (by their stage changes). What weighted pipeline multiplies amounts by.',
          querystring: z.object({ pipelineId: Id.optional() }),
          response: { 200: z.object({ data: z.array(LearnedStage) }), ...errorResponses },
        },
      },
      async (request) => ({
        data: await listStageProbabilities(ctx.db, request.principal, request.query),
      }),
    )
  }
}
