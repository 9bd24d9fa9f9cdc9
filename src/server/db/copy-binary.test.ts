import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { BinaryCopyParser, copyBinaryRows, microsToMs, readMicros } from './copy-binary.ts'
import { poolOf, withConnection } from './database.ts'
import { UuidIndex, uuidText } from './uuid-index.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

/** A binary COPY stream by hand: the header, rows of text fields (null: −1), the trailer. */
function stream(rows: (string | null)[][]) {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]
  for (const row of rows) {
    const count = Buffer.alloc(2)
    count.writeInt16BE(row.length)
    parts.push(count)
    for (const field of row) {
      const length = Buffer.alloc(4)
      length.writeInt32BE(field === null ? -1 : Buffer.byteLength(field))
      parts.push(length)
      if (field !== null) parts.push(Buffer.from(field))
    }
  }
  parts.push(Buffer.from([0xff, 0xff]))
  return Buffer.concat(parts)
}

function parseIn(chunks: Buffer[], fields: number) {
  const rows: (string | null)[][] = []
  const parser = new BinaryCopyParser(fields, (buf, starts, lengths) => {
    const row: (string | null)[] = []
    for (let f = 0; f < fields; f++) {
      const start = starts[f] as number
      const length = lengths[f] as number
      row.push(length < 0 ? null : buf.toString('utf8', start, start + length))
    }
    rows.push(row)
  })
  for (const chunk of chunks) parser.push(chunk)
  parser.finish()
  return rows
}

describe('binary COPY', () => {
  it('parses rows whatever the chunk boundaries', () => {
    const rows = [
      ['a', null, 'ünïcode'],
      ['', 'bb', null],
      ['x'.repeat(300), 'y', 'z'],
    ]
    const bytes = stream(rows)
    for (let cut = 1; cut < bytes.length; cut++) {
      // The chunk is reused afterwards by the socket: the parser must have copied what it keeps.
      const first = Buffer.from(bytes.subarray(0, cut))
      const parsed = parseIn([first, Buffer.from(bytes.subarray(cut))], 3)
      expect(parsed, `cut at byte ${cut}`).toEqual(rows)
    }
    expect(
      parseIn(
        [...bytes].map((byte) => Buffer.from([byte])),
        3,
      ),
    ).toEqual(rows)
  })

  it('refuses a stream cut short or with rows of another width', () => {
    const bytes = stream([['a', 'b']])
    expect(() => parseIn([bytes.subarray(0, bytes.length - 2)], 2)).toThrow(/middle of a row/)
    expect(() => parseIn([bytes], 3)).toThrow(/a row of 2 fields where 3 were expected/)
    expect(() => parseIn([Buffer.from('COPY!!!!!!!!!!!!!!!!!!!!')], 1)).toThrow(/signature/)
  })

  it('reads uuids, timestamps to the microsecond and nulls from PostgreSQL', async () => {
    const ids = Array.from({ length: 3 }, () => randomUUID())
    const read = await withConnection(poolOf(t.ctx.db), async (_db, client) => {
      const rows: { id: string; ms: number | null; micros: number | null }[] = []
      const count = await copyBinaryRows(
        client,
        `select id::uuid, at from (values ('${ids[0]}', '2026-03-04 05:06:07.123456+00'::timestamptz),
          ('${ids[1]}', null), ('${ids[2]}', '1999-12-31 23:59:59.999999+00')) v(id, at)`,
        2,
        (buf, starts, lengths) => {
          const micros = lengths[1] === 8 ? readMicros(buf, starts[1] as number) : null
          rows.push({
            id: uuidText(buf, starts[0] as number),
            ms: micros === null ? null : microsToMs(micros),
            micros,
          })
        },
      )
      return { rows, count }
    })
    expect(read.count).toBe(3)
    expect(read.rows.map((r) => r.id)).toEqual(ids)
    expect(read.rows.map((r) => r.ms)).toEqual([
      Date.parse('2026-03-04T05:06:07.123Z'),
      null,
      Date.parse('1999-12-31T23:59:59.999Z'),
    ])
    // Microseconds since 2000-01-01, the sub-millisecond part kept.
    expect(read.rows[0]?.micros).toBe(
      (Date.parse('2026-03-04T05:06:07.123Z') - Date.parse('2000-01-01T00:00:00Z')) * 1000 + 456,
    )
  })

  it('reads a large result through many socket chunks, and the connection stays usable', async () => {
    const result = await withConnection(poolOf(t.ctx.db), async (_db, client) => {
      let sum = 0
      const count = await copyBinaryRows(
        client,
        "select g, repeat('x', g % 50) from generate_series(1, 200000) g",
        2,
        (buf, starts, lengths) => {
          sum += buf.readInt32BE(starts[0] as number) + (lengths[1] as number)
        },
      )
      const after = await client.query('select 41 + 1 as answer')
      return { count, sum, answer: after.rows[0]?.answer }
    })
    expect(result.count).toBe(200_000)
    let expected = 0
    for (let g = 1; g <= 200_000; g++) expected += g + (g % 50)
    expect(result.sum).toBe(expected)
    expect(result.answer).toBe(42)
  })

  it('answers the query error of a COPY that fails midway, and the connection stays usable', async () => {
    await withConnection(poolOf(t.ctx.db), async (_db, client) => {
      let rows = 0
      await expect(
        copyBinaryRows(
          client,
          'select 1 / (g - 150000) from generate_series(1, 200000) g',
          1,
          () => {
            rows++
          },
        ),
      ).rejects.toThrow(/division by zero/)
      expect(rows).toBeGreaterThan(0)
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }])
    })
  })
})

describe('uuid numbers', () => {
  it('numbers uuids in the order first seen, from bytes or text, through growth', () => {
    const index = new UuidIndex()
    const ids = Array.from({ length: 5000 }, () => randomUUID())
    const bytes = Buffer.from(ids.map((id) => id.replaceAll('-', '')).join(''), 'hex')
    ids.forEach((_, i) => {
      expect(index.at(bytes, 16 * i, true)).toBe(i)
    })
    expect(index.size).toBe(5000)
    ids.forEach((id, i) => {
      expect(index.of(id)).toBe(i)
      expect(index.of(id.toUpperCase())).toBe(i)
      expect(index.text(i)).toBe(id)
      expect(index.at(bytes, 16 * i, false)).toBe(i)
    })
    expect(index.of(randomUUID())).toBe(-1)
    expect(index.size).toBe(5000)
    expect(() => index.of('not-a-uuid')).toThrow(/not a uuid/)
  })
})
