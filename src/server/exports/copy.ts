import { PassThrough, type Readable } from 'node:stream'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { AppError } from '../errors.ts'

/** A PostgreSQL array literal ('{"a","b"}') of text values. */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) =>
    v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, (ch) => `\\${ch}`)}"`,
  )
  return `{${items.join(',')}}`
}

/**
 * One bound value as a SQL literal of unknown type, exactly as node-postgres sends parameters (text,
 * type left to the server), so the statement means the same inlined as bound.
 */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  let text: string
  if (value instanceof Date) text = value.toISOString()
  else if (Array.isArray(value)) text = arrayLiteral(value)
  else if (typeof value === 'object') text = JSON.stringify(value)
  else text = String(value)
  if (text.includes('\0')) throw new AppError('invalid_input', 'filter: text may not contain NUL')
  return pg.escapeLiteral(text)
}

/**
 * COPY takes no bound parameters, so the values Kysely bound are written into the statement as
 * escaped literals. Only our own SQL text is around them: every value from a request is a
 * parameter, and none of our statements contains `$` otherwise.
 */
export function inlineParameters(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1
    if (index < 0 || index >= parameters.length) throw new Error(`No parameter $${n}`)
    return literal(parameters[index])
  })
}

/**
 * Runs `COPY … TO STDOUT` on a connection of its own and answers a stream of `prefix` and the
 * rows once PostgreSQL has started to send them (or finished with none): a bad statement rejects
 * here instead of cutting a file short. The connection goes back to the pool when the stream
 * ends, fails or is destroyed (a client that hangs up).
 */
export async function copyOut(pool: pg.Pool, statement: string, prefix: string): Promise<Readable> {
  const client = await pool.connect()
  let released = false
  const release = (error?: Error) => {
    if (released) return
    released = true
    client.release(error)
  }
  const source = client.query(copyTo(statement))
  const out = new PassThrough({ highWaterMark: 256 * 1024 })
  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        cleanup()
        reject(error)
      }
      const onReady = () => {
        cleanup()
        resolve()
      }
      const cleanup = () => {
        source.off('error', onError)
        source.off('readable', onReady)
        source.off('end', onReady)
      }
      source.once('error', onError)
      source.once('readable', onReady)
      source.once('end', onReady)
    })
  } catch (error) {
    release(error instanceof Error ? error : undefined)
    throw error
  }
  if (prefix) out.write(prefix)
  source.on('error', (error) => {
    release(error)
    out.destroy(error)
  })
  source.on('end', () => release())
  out.on('close', () => {
    // The client went away mid-file: stop PostgreSQL's COPY by dropping the connection.
    if (!released) {
      source.destroy()
      release(new Error('export stopped before its end'))
    }
  })
  source.pipe(out)
  return out
}
