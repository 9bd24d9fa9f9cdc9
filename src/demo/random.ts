/** A small seeded generator (mulberry32): the same seed gives the same demo world. */
export class SeededRandom {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[out[i], out[j]] = [out[j] as T, out[i] as T]
    }
    return out
  }

  /** A UUIDv7 whose time part is `at` and whose random part comes from this generator. */
  uuidv7(at: Date): string {
    const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0')
    const ms = at.getTime()
    const time = hex(ms, 12)
    const rand = Array.from({ length: 5 }, () => hex(this.next() * 0x10000, 4)).join('')
    const variant = hex(0x8000 | (this.next() * 0x3fff), 4)
    return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rand.slice(0, 3)}-${variant}-${rand.slice(3, 15)}`
  }
}
