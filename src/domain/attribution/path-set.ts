/**
 * Journeys as channel paths, packed for the data-driven models: each path is a sequence of channel
 * indexes with how many journeys followed it and converted, did not convert, and the value converted.
 */
export interface PathSet {
  /** Channel names; a path's steps index into this list. */
  channels: string[]
  /** Path p's steps are steps[offsets[p]] … steps[offsets[p + 1] − 1]. */
  offsets: Int32Array
  steps: Int32Array
  conversions: Float64Array
  nulls: Float64Array
  values: Float64Array
}

/** Collects paths one by one into a PathSet. */
export class PathSetBuilder {
  private readonly index = new Map<string, number>()
  private readonly channels: string[] = []
  private readonly offsets: number[] = [0]
  private readonly steps: number[] = []
  private readonly conversions: number[] = []
  private readonly nulls: number[] = []
  private readonly values: number[] = []

  /** The index of a channel, added on first sight. */
  channelIndex(channel: string): number {
    let found = this.index.get(channel)
    if (found === undefined) {
      found = this.channels.length
      this.index.set(channel, found)
      this.channels.push(channel)
    }
    return found
  }

  add(path: readonly string[], conversions: number, nulls: number, value: number): void {
    for (const channel of path) this.steps.push(this.channelIndex(channel))
    this.offsets.push(this.steps.length)
    this.conversions.push(conversions)
    this.nulls.push(nulls)
    this.values.push(value)
  }

  /** Adds touches[start … end − 1] as one path of value 0, without copying them first. */
  addSteps(
    touches: ReadonlyArray<{ channel: string }>,
    start: number,
    end: number,
    conversions: number,
    nulls: number,
  ): void {
    for (let i = start; i < end; i++) this.steps.push(this.channelIndex(touches[i]?.channel ?? ''))
    this.offsets.push(this.steps.length)
    this.conversions.push(conversions)
    this.nulls.push(nulls)
    this.values.push(0)
  }

  /** Adds a path of channel indexes (from `channelIndex`) of value 0. */
  addIndexes(steps: readonly number[], conversions: number, nulls: number): void {
    for (const step of steps) this.steps.push(step)
    this.offsets.push(this.steps.length)
    this.conversions.push(conversions)
    this.nulls.push(nulls)
    this.values.push(0)
  }

  get size(): number {
    return this.conversions.length
  }

  build(): PathSet {
    return {
      channels: [...this.channels],
      offsets: Int32Array.from(this.offsets),
      steps: Int32Array.from(this.steps),
      conversions: Float64Array.from(this.conversions),
      nulls: Float64Array.from(this.nulls),
      values: Float64Array.from(this.values),
    }
  }
}

/** Number of paths in a set. */
export function pathCount(set: PathSet): number {
  return set.conversions.length
}
