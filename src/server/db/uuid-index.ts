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
  /** Four 32-bit words per numbered uuid. */
  private words = new Int32Array(4 * 1024)
  /** Slot → number + 1 (0: empty); the table is a power of two, at most half full. */
  private slots = new Int32Array(2048)
  size = 0

  private static hash(a: number, b: number, c: number, d: number): number {
    let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b)
    h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35)
    h = Math.imul(h ^ c ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ d ^ (h >>> 13), 0xc2b2ae35)
    return (h ^ (h >>> 16)) >>> 0
  }

  private find(a: number, b: number, c: number, d: number, add: boolean): number {
    const mask = this.slots.length - 1
    let slot = UuidIndex.hash(a, b, c, d) & mask
    const { words, slots } = this
    for (;;) {
      const entry = slots[slot] as number
      if (entry === 0) break
      const w = (entry - 1) * 4
      if (words[w] === a && words[w + 1] === b && words[w + 2] === c && words[w + 3] === d) {
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
    slots[slot] = number + 1
    if (this.size * 2 > slots.length) this.rehash()
    return number
  }

  private rehash() {
    const slots = new Int32Array(this.slots.length * 2)
    const mask = slots.length - 1
    const { words } = this
    for (let n = 0; n < this.size; n++) {
      const w = n * 4
      let slot =
        UuidIndex.hash(
          words[w] as number,
          words[w + 1] as number,
          words[w + 2] as number,
          words[w + 3] as number,
        ) & mask
      while (slots[slot] !== 0) slot = (slot + 1) & mask
      slots[slot] = n + 1
    }
    this.slots = slots
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
