import type pg from 'pg'

/**
 * Reads a query's rows through `COPY (…) TO STDOUT (FORMAT binary)`: no text formatting on the
 * server, no objects per row on our side. For each row `onRow` receives the buffer and where each
 * field starts and how long it is (−1: null); both are only valid during the call.
 */
export type BinaryRowHandler = (buf: Buffer, starts: Int32Array, lengths: Int32Array) => void

const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')

/** Parses the binary COPY stream of rows of `fields` columns, whatever the chunk boundaries. */
export class BinaryCopyParser {
  private pending: Buffer | null = null
  private headerRead = false
  private ended = false
  readonly starts: Int32Array
  readonly lengths: Int32Array
  rows = 0

  constructor(
    private readonly fields: number,
    private readonly onRow: BinaryRowHandler,
  ) {
    this.starts = new Int32Array(fields)
    this.lengths = new Int32Array(fields)
  }

  /**
   * Parses what `chunk[start … end − 1]` completes; copies an incomplete row's bytes for the next
   * chunk (the chunk itself may be reused after the call).
   */
  push(chunk: Buffer, start = 0, end = chunk.length): void {
    let buf = chunk
    let at = start
    let size = end
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk.subarray(start, end)])
      at = 0
      size = buf.length
      this.pending = null
    }
    if (!this.headerRead) {
      if (size - at < signature.length + 8) {
        this.pending = Buffer.from(buf.subarray(at, size))
        return
      }
      if (!buf.subarray(at, at + signature.length).equals(signature)) {
        throw new Error('COPY binary: the stream does not start with the PGCOPY signature')
      }
      const extension = buf.readInt32BE(at + signature.length + 4)
      if (size - at < signature.length + 8 + extension) {
        this.pending = Buffer.from(buf.subarray(at, size))
        return
      }
      at += signature.length + 8 + extension
      this.headerRead = true
    }
    const { fields, starts, lengths } = this
    while (at + 2 <= size) {
      const count = buf.readInt16BE(at)
      if (count === -1) {
        this.ended = true
        return
      }
      if (count !== fields) {
        throw new Error(`COPY binary: a row of ${count} fields where ${fields} were expected`)
      }
      let p = at + 2
      let complete = true
      for (let f = 0; f < fields; f++) {
        if (p + 4 > size) {
          complete = false
          break
        }
        const length = buf.readInt32BE(p)
        p += 4
        starts[f] = p
        lengths[f] = length
        if (length > 0) p += length
        if (p > size) {
          complete = false
          break
        }
      }
      if (!complete) break
      this.onRow(buf, starts, lengths)
      this.rows++
      at = p
    }
    // No closure here: this runs once per row, and tsx names every closure it makes.
    if (at < size) this.pending = Buffer.from(buf.subarray(at, size))
  }

  /** Throws unless the stream ended with its trailer and nothing after. */
  finish(): number {
    if (!this.ended || this.pending) {
      throw new Error('COPY binary: the stream ended in the middle of a row')
    }
    return this.rows
  }
}

/** Backend message codes of the COPY OUT flow (PostgreSQL protocol, "COPY Operations"). */
const message = {
  copyData: 0x64, // d
  copyDone: 0x63, // c
  copyOutResponse: 0x48, // H
  error: 0x45, // E
  notice: 0x4e, // N
  notification: 0x41, // A
  parameterStatus: 0x53, // S
}

/**
 * A query for node-postgres' `client.query` that reads COPY OUT itself: like pg-copy-streams'
 * copy-to, it takes the connection's socket data while the COPY runs, but parses the rows where they
 * lie in the socket's chunks (no buffer and no stream chunk per row), then gives the socket back.
 */
class BinaryCopyOut {
  private connection: { stream: NodeJS.EventEmitter; query(text: string): void } | undefined
  private pgData: ((chunk: Buffer) => void) | undefined
  private leftover: Buffer | null = null
  private failure: Error | null = null
  private settled = false
  readonly done: Promise<void>
  private resolve!: () => void
  private reject!: (error: Error) => void

  constructor(
    readonly text: string,
    private readonly parser: BinaryCopyParser,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
  }

  submit(connection: NonNullable<BinaryCopyOut['connection']>): Error | undefined {
    const listeners = connection.stream.listeners('data')
    if (listeners.length !== 1) return new Error('COPY binary: the connection is not idle')
    this.connection = connection
    this.pgData = listeners[0] as (chunk: Buffer) => void
    connection.stream.removeListener('data', this.pgData)
    connection.stream.on('data', this.onData)
    connection.query(this.text)
    return undefined
  }

  private readonly onData = (chunk: Buffer) => {
    const buf = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk
    this.leftover = null
    let at = 0
    while (at + 5 <= buf.length) {
      const code = buf[at] as number
      if (code === message.error) {
        this.detach(buf.subarray(at))
        return
      }
      const end = at + 1 + buf.readInt32BE(at + 1)
      if (end > buf.length) break
      if (code === message.copyData) {
        if (!this.failure) {
          try {
            this.parser.push(buf, at + 5, end)
          } catch (error) {
            // PostgreSQL sends the rest all the same: skipped, then the error is ours.
            this.failure = error as Error
          }
        }
      } else if (
        code !== message.copyOutResponse &&
        code !== message.notice &&
        code !== message.notification &&
        code !== message.parameterStatus
      ) {
        // CopyDone (or anything unexpected): node-postgres reads on from this message's end.
        this.detach(buf.subarray(code === message.copyDone ? end : at))
        return
      }
      at = end
    }
    if (at < buf.length) this.leftover = Buffer.from(buf.subarray(at))
  }

  private detached = false

  /** Gives the socket back to node-postgres (once), with the bytes that follow the COPY. */
  private detach(rest: Buffer) {
    const stream = this.connection?.stream
    if (!stream || !this.pgData || this.detached) return
    this.detached = true
    stream.removeListener('data', this.onData)
    stream.on('data', this.pgData)
    if (rest.length > 0) this.pgData(rest)
  }

  private settle(error: Error | null) {
    if (this.settled) return
    this.settled = true
    if (error) this.reject(error)
    else this.resolve()
  }

  handleError(error: Error) {
    this.detach(Buffer.alloc(0))
    this.settle(error)
  }

  handleCommandComplete() {}

  handleReadyForQuery() {
    let error = this.failure
    if (!error) {
      try {
        this.parser.finish()
      } catch (failure) {
        error = failure as Error
      }
    }
    this.settle(error)
  }
}

/** Runs `COPY (select) TO STDOUT (FORMAT binary)` on `client`; answers the number of rows. */
export async function copyBinaryRows(
  client: pg.ClientBase,
  select: string,
  fields: number,
  onRow: BinaryRowHandler,
): Promise<number> {
  const parser = new BinaryCopyParser(fields, onRow)
  const query = new BinaryCopyOut(`copy (${select}) to stdout (format binary)`, parser)
  client.query(query as unknown as pg.QueryConfig)
  await query.done
  return parser.rows
}

/** Milliseconds since 1970 of PostgreSQL's epoch (2000-01-01), in which timestamps are stored. */
const postgresEpochMs = 946_684_800_000

/** A binary `timestamptz` field's microseconds since 2000-01-01 (exact below 2^53). */
export function readMicros(buf: Buffer, start: number): number {
  return buf.readInt32BE(start) * 4_294_967_296 + buf.readUInt32BE(start + 4)
}

/** Milliseconds since 1970 of microseconds since 2000, truncated as node-postgres' Dates are. */
export function microsToMs(micros: number): number {
  return postgresEpochMs + Math.floor(micros / 1000)
}
