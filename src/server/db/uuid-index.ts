/**
 * Numbers uuids 0, 1, 2… in the order they are first added, read straight from binary rows (16
 * bytes) or from text: a hash table in typed arrays, so that millions of lookups make no strings.
 */
/** The big-endian 32-bit word at `buf[at]` (module level: no closure per call in hot loops). */
function wordAt(buf: Uint8Array, at: number): number {
  return (
    ((buf[at] as number) << 24) |
    ((buf[at + 1] as number) << 16) |
    ((buf[at + 2] as number) << 8) |
    (buf[at + 3] as number)
  )
}

export class UuidIndex {
  /** Four 32-bit words per numbered uuid, in number order. */
  private words = new Int32Array(4 * 1024)
  /**
   * The hash table: five words per slot, the uuid's four and its number + 1 (0: empty), so that a
   * lookup reads one place of memory. A power of two of slots, at most half full.
   */
  private table = new Int32Array(5 * 2048)
  size = 0

  private static hash(a: number, b: number, c: number, d: number): number {
    let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b)
    h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35)
    h = Math.imul(h ^ c ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ d ^ (h >>> 13), 0xc2b2ae35)
    return (h ^ (h >>> 16)) >>> 0
  }

  private find(a: number, b: number, c: number, d: number, add: boolean): number {
    const { table } = this
    const mask = table.length / 5 - 1
    let slot = UuidIndex.hash(a, b, c, d) & mask
    for (;;) {
      const at = slot * 5
      const entry = table[at + 4] as number
      if (entry === 0) break
      if (table[at] === a && table[at + 1] === b && table[at + 2] === c && table[at + 3] === d) {
        return entry - 1
      }
      slot = (slot + 1) & mask
    }
    if (!add) return -1
    const number = this.size++
    if (number * 4 + 4 > this.words.length) {
      const grown = new Int32Array(this.words.length * 2)
      grown.set(this.words)
      this.words = grown
    }
    this.words.set([a, b, c, d], number * 4)
    table.set([a, b, c, d, number + 1], slot * 5)
    if (this.size * 2 > table.length / 5) this.rehash()
    return number
  }

  private rehash() {
    const table = new Int32Array(this.table.length * 2)
    const mask = table.length / 5 - 1
    const { words } = this
    for (let n = 0; n < this.size; n++) {
      const w = n * 4
      const a = words[w] as number
      const b = words[w + 1] as number
      const c = words[w + 2] as number
      const d = words[w + 3] as number
      let slot = UuidIndex.hash(a, b, c, d) & mask
      while (table[slot * 5 + 4] !== 0) slot = (slot + 1) & mask
      table.set([a, b, c, d, n + 1], slot * 5)
    }
    this.table = table
  }

  /** The number of the 16-byte uuid at `buf[start]`, added when `add` and new; else −1. */
  at(buf: Buffer, start: number, add: boolean): number {
    return this.find(
      wordAt(buf, start),
      wordAt(buf, start + 4),
      wordAt(buf, start + 8),
      wordAt(buf, start + 12),
      add,
    )
  }

  /** The number of a uuid in text (any case, with or without dashes); −1 when unknown. */
  of(uuid: string, add = false): number {
    const hex = uuid.replaceAll('-', '')
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a uuid: ${uuid}`)
    const word = (i: number) => Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16) | 0
    return this.find(word(0), word(1), word(2), word(3), add)
  }

  /** The uuid numbered `number`, in PostgreSQL's text form. */
  text(number: number): string {
    if (number < 0 || number >= this.size) throw new RangeError(`no uuid numbered ${number}`)
    let hex = ''
    for (let i = 0; i < 4; i++) {
      hex += ((this.words[number * 4 + i] as number) >>> 0).toString(16).padStart(8, '0')
    }
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
}

/** The 16-byte uuid at `bytes[start]` in PostgreSQL's text form. */
export function uuidText(bytes: Uint8Array, start: number): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset + start, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
