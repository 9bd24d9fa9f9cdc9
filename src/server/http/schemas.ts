import { z } from 'zod'
import { roles } from '../auth/permissions.ts'

/** Shapes shared by many routes, named so OpenAPI shows them once. */
export const Id = z.uuid()
export const RoleSchema = z.enum(roles)
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown(),
    requestId: z.string(),
  }),
})
export const IdParams = z.object({ id: Id })

export function envelope<T extends z.ZodType>(item: T) {
  return z.object({ data: item })
}

export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() })
}

export const noContent = { 204: z.null().describe('No content') }

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
}
