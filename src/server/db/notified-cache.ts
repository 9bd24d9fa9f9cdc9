/**
 * An in-process cache whose entries every process drops at once when a change is announced with
 * PostgreSQL NOTIFY on its channel (see db/notify.ts). Entries also expire after `ttlMs`.
 */
export class NotifiedCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>()
  /** Bumped by every purge: a load that started before one must not store what it read. */
  private generation = 0

  constructor(
    readonly channel: string,
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.entries.get(key)
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value
    const generation = this.generation
    const value = await load()
    if (value === undefined) {
      this.entries.delete(key)
      return undefined
    }
    if (generation !== this.generation) return value
    if (this.entries.size >= this.maxEntries) this.entries.clear()
    this.entries.set(key, { value, at: Date.now() })
    return value
  }

  purge(key: string): void {
    this.generation += 1
    this.entries.delete(key)
  }
}
