import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { errorResponses, Id } from '../http/schemas.ts'
import { exportEntities } from './entities.ts'
import {
  type ExportFormat,
  ExportQuery,
  exportFileName,
  prepareExport,
  streamExport,
} from './service.ts'

const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
}

const description =
  'Streams every record of the entity that the list would show, in one file: `format=csv` (a header of field keys, docs/export.md) or `jsonl` (one JSON object per line). q, filter and sort work as on the list (without sort the rows come in storage order). A signed-in browser, which cannot set X-Workspace-Id on a download link, may name the workspace in `workspaceId` instead.'

export function exportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/exports/:entity',
      {
        config: { workspaceFromQuery: true },
        schema: {
          tags: ['Exports'],
          summary: 'Download all records of one kind as CSV or JSON Lines',
          description,
          params: z.object({ entity: z.enum(exportEntities) }),
          querystring: ExportQuery.extend({
            workspaceId: Id.optional().describe('cookie sessions only: like X-Workspace-Id'),
          }),
          produces: ['text/csv', 'application/x-ndjson'],
          response: {
            200: z.unknown().meta({
              type: 'string',
              format: 'binary',
              description: 'The file: CSV or JSON Lines, streamed',
            }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const prepared = await prepareExport(
          ctx.db,
          request.principal,
          request.params.entity,
          request.query,
        )
        const fileName = await exportFileName(ctx.db, prepared)
        const stream = await streamExport(ctx.handle.pool, prepared)
        return reply
          .header('content-type', contentTypes[prepared.format])
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .header('cache-control', 'no-store')
          .send(stream)
      },
    )
  }
}
