import fastifyMultipart from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../context.ts'
import { PageQuery } from '../http/pagination.ts'
import { envelope, errorResponses, IdParams, listEnvelope } from '../http/schemas.ts'
import { ImportPreviewSchema, ImportRecord, presentImport } from './present.ts'
import {
  createImport,
  type FormPart,
  getImport,
  listImports,
  maxUploadBytes,
  openImportErrors,
  previewUpload,
  tooLarge,
} from './service.ts'

const tags = ['Imports']
const formHelp =
  'multipart/form-data with the parts `file` (the CSV), `entity` (accounts, contacts, products, deals, activities, campaigns or touchpoints) and optionally `preset` (hubspot|salesforce), `map` (JSON: csvColumn → field), `values` (JSON: field → csvValue → our value), `dryRun` and `route` (true|false). Files up to 512 MB.'

async function* formParts(request: FastifyRequest): AsyncIterable<FormPart> {
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      yield {
        type: 'file',
        name: part.fieldname,
        fileName: part.filename,
        contentType: part.mimetype,
        stream: part.file,
      }
    } else {
      yield { type: 'field', name: part.fieldname, value: String(part.value) }
    }
  }
}

/** A client that says its body is over the limit is refused before a byte is read. */
async function refuseOversized(request: FastifyRequest) {
  const length = Number(request.headers['content-length'] ?? 0)
  if (length > maxUploadBytes + 64 * 1024) throw tooLarge()
}

function attachmentName(fileName: string) {
  return fileName.replace(/[^\w.-]+/g, '_')
}

export function importRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Only these routes take multipart bodies; the rest of the API keeps its 1 MB JSON limit.
    await app.register(fastifyMultipart, {
      limits: { fileSize: maxUploadBytes, files: 1, fields: 20, fieldSize: 1024 * 1024 },
    })

    app.post(
      '/imports/preview',
      {
        preValidation: refuseOversized,
        schema: {
          tags,
          summary: 'The mapping step: a file’s columns, first rows and proposed mapping',
          description: `${formHelp} Only the first 64 KB are read.`,
          consumes: ['multipart/form-data'],
          response: { 200: envelope(ImportPreviewSchema), ...errorResponses },
        },
      },
      async (request) => ({
        data: await previewUpload(ctx, request.principal, formParts(request)),
      }),
    )

    app.post(
      '/imports',
      {
        preValidation: refuseOversized,
        schema: {
          tags,
          summary: 'Upload a CSV and queue its import; poll GET /imports/{id} for progress',
          description: formHelp,
          consumes: ['multipart/form-data'],
          response: { 202: envelope(ImportRecord), ...errorResponses, 413: errorResponses[400] },
        },
      },
      async (request, reply) => {
        const row = await createImport(ctx, request.principal, formParts(request))
        return reply.status(202).send({ data: presentImport(row) })
      },
    )

    app.get(
      '/imports',
      {
        schema: {
          tags,
          summary: 'The workspace’s imports, newest first',
          querystring: PageQuery,
          response: { 200: listEnvelope(ImportRecord), ...errorResponses },
        },
      },
      async (request) => {
        const page = await listImports(ctx, request.principal, request.query)
        return { data: page.data.map(presentImport), nextCursor: page.nextCursor }
      },
    )

    app.get(
      '/imports/:id',
      {
        schema: {
          tags,
          summary: 'One import: status, progress and counts',
          params: IdParams,
          response: { 200: envelope(ImportRecord), ...errorResponses },
        },
      },
      async (request) => ({
        data: presentImport(await getImport(ctx, request.principal, request.params.id)),
      }),
    )

    app.get(
      '/imports/:id/errors.csv',
      {
        schema: {
          tags,
          summary: 'The rows an import rejected, as CSV: line,column,reason',
          params: IdParams,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const file = await openImportErrors(ctx, request.principal, request.params.id)
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${attachmentName(file.fileName)}"`)
          .send(file.stream)
      },
    )
  }
}
