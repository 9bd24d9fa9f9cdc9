import { promisify } from 'node:util'
import { gunzip, inflate } from 'node:zlib'
import { AppError } from '../errors.ts'
import { ingestLimits } from './spec.ts'

/**
 * The request side of the tracking API before the spec: which write key a request carries, how
 * its body is decompressed and read as JSON (docs/ingestion.md).
 */

const gunzipAsync = promisify(gunzip)
const inflateAsync = promisify(inflate)

// Longer than any key Tandem issues: not worth hashing and looking up.
const maxWriteKeyLength = 200

function keyOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const key = value.trim()
  return key !== '' && key.length <= maxWriteKeyLength ? key : undefined
}

/**
 * The write key of a request: the username of `Authorization: Basic base64(key:)` (the password is
 * empty and ignored; a value without a colon is the key, as Segment still accepts), else `writeKey`
 * in the body, as analytics.js sends it. Undefined when neither is there: the route answers 401.
 */
export function writeKeyFrom(authorization: string | undefined, body: unknown): string | undefined {
  const basic = /^basic\s+(\S+)\s*$/i.exec(authorization ?? '')
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    const key = keyOf(colon === -1 ? decoded : decoded.slice(0, colon))
    if (key) return key
  }
  if (typeof body === 'object' && body !== null && 'writeKey' in body) return keyOf(body.writeKey)
  return undefined
}

/**
 * Undoes `Content-Encoding: gzip` (or deflate) with a cap on the output, so a small zip bomb cannot
 * fill memory: past `maxBytes` decompressed it is refused as over the limit. Segment's own
 * analytics-node and analytics.js send plain JSON; other Segment-spec clients may compress.
 */
export async function decodeBody(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number = ingestLimits.batchBytes,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase()
  if (encoding === '' || encoding === 'identity') return raw
  const decode =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? gunzipAsync
      : encoding === 'deflate'
        ? inflateAsync
        : undefined
  if (!decode) {
    throw new AppError(
      'invalid_input',
      `Content-Encoding "${encoding.slice(0, 40)}" is not supported: send gzip, deflate or none`,
      { field: 'content-encoding' },
    )
  }
  try {
    return await decode(raw, { maxOutputLength: maxBytes })
  } catch (error) {
    if (error instanceof RangeError) {
      throw new AppError(
        'invalid_input',
        `body: over the ${maxBytes / 1024} KB limit once decompressed`,
        { field: 'body', limit: maxBytes },
      )
    }
    throw new AppError('invalid_input', `body: not valid ${encoding} data`, { field: 'body' })
  }
}

/**
 * Reads a tracking request body as a JSON object. JSON arrives as application/json, or as
 * text/plain from analytics.js and navigator.sendBeacon (which avoids a CORS preflight); a request
 * without a Content-Type is read as JSON too.
 */
export function parseJsonBody(
  raw: Buffer | string,
  contentType: string | undefined,
): Record<string, unknown> {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const isJson =
    mediaType === '' ||
    mediaType === 'application/json' ||
    mediaType === 'text/plain' ||
    mediaType.endsWith('+json')
  if (!isJson) {
    throw new AppError(
      'invalid_input',
      `Send JSON with Content-Type: application/json or text/plain (not ${mediaType.slice(0, 60)})`,
      { field: 'content-type' },
    )
  }
  const text = (typeof raw === 'string' ? raw : raw.toString('utf8')).replace(/^\uFEFF/, '')
  if (text.trim() === '') {
    throw new AppError('invalid_input', 'invalid JSON: the body is empty', { field: 'body' })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable'
    throw new AppError('invalid_input', `invalid JSON: ${reason.slice(0, 200)}`, { field: 'body' })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('invalid_input', 'body: must be a JSON object', { field: 'body' })
  }
  return value as Record<string, unknown>
}
