import { makeRandom } from '../random.ts'
import { type PathSet, pathCount } from './path-set.ts'

/** Up to this many channels the Shapley values are exact; above, sampled (DEFINITIONS.md). */
export const exactShapleyLimit = 16

export interface ShapleyOptions {
  seed?: number
  permutations?: number
}

export interface ShapleyResult {
  /** Per channel (PathSet order): the Shapley value φ of the game v. */
  values: Float64Array
  method: 'exact' | 'sampled'
}

interface Coalition {
  /** Channel indexes, ascending. */
  members: number[]
  /** v(S) = conversions ÷ journeys among the journeys whose distinct channels are exactly S. */
  worth: number
}

/** Up to this many channels coalitions are counted in arrays indexed by bit mask (2ⁿ entries). */
const denseLimit = 20

/**
 * The observed coalitions: each set of distinct channels some journey had, with its worth. Up to 20
 * channels sets are counted by bit mask in flat arrays (fast); above, keyed by their sorted members.
 */
function coalitionsOf(set: PathSet): Coalition[] {
  const n = set.channels.length
  const dense = n <= denseLimit
  const maskConversions = new Float64Array(dense ? 1 << n : 0)
  const maskJourneys = new Float64Array(dense ? 1 << n : 0)
  const groups = new Map<string, { members: number[]; conversions: number; journeys: number }>()
  const seen = new Int32Array(n).fill(-1)
  for (let p = 0; p < pathCount(set); p++) {
    const conversions = set.conversions[p] ?? 0
    const journeys = conversions + (set.nulls[p] ?? 0)
    const from = set.offsets[p] ?? 0
    const to = set.offsets[p + 1] ?? 0
    if (journeys <= 0 || to <= from) continue
    if (dense) {
      let mask = 0
      for (let s = from; s < to; s++) mask |= 1 << (set.steps[s] ?? 0)
      maskConversions[mask] = (maskConversions[mask] ?? 0) + conversions
      maskJourneys[mask] = (maskJourneys[mask] ?? 0) + journeys
      continue
    }
    const members: number[] = []
    for (let s = from; s < to; s++) {
      const channel = set.steps[s] ?? 0
      if (seen[channel] !== p) {
        seen[channel] = p
        members.push(channel)
      }
    }
    members.sort((a, b) => a - b)
    const key = members.join(',')
    const group = groups.get(key)
    if (group) {
      group.conversions += conversions
      group.journeys += journeys
    } else groups.set(key, { members, conversions, journeys })
  }
  const coalitions: Coalition[] = []
  for (let mask = 1; mask < maskJourneys.length; mask++) {
    const journeys = maskJourneys[mask] ?? 0
    if (journeys <= 0) continue
    const members: number[] = []
    for (let c = 0; c < n; c++) if (mask & (1 << c)) members.push(c)
    coalitions.push({ members, worth: (maskConversions[mask] ?? 0) / journeys })
  }
  for (const group of groups.values()) {
    coalitions.push({ members: group.members, worth: group.conversions / group.journeys })
  }
  return coalitions
}

/**
 * Exact Shapley values of a game that is 0 outside the observed coalitions:
 * φ_i = Σ_{T ∋ i} w(|T| − 1)·v(T) − Σ_{T ∌ i} w(|T|)·v(T), with w(s) = s!(n − s − 1)!/n!, which is
 * the textbook sum over all 2ⁿ coalitions with the zero terms left out.
 */
function exactValues(coalitions: Coalition[], n: number): Float64Array {
  const factorial = [1]
  for (let i = 1; i <= n; i++) factorial.push((factorial[i - 1] ?? 1) * i)
  const weight = (s: number) =>
    s < 0 || s > n - 1
      ? 0
      : ((factorial[s] ?? 1) * (factorial[n - s - 1] ?? 1)) / (factorial[n] ?? 1)
  const values = new Float64Array(n)
  for (const { members, worth } of coalitions) {
    if (worth === 0) continue
    const size = members.length
    const inside = weight(size - 1) * worth
    const outside = weight(size) * worth
    let m = 0
    for (let i = 0; i < n; i++) {
      if (members[m] === i) {
        values[i] = (values[i] ?? 0) + inside
        m++
      } else values[i] = (values[i] ?? 0) - outside
    }
  }
  return values
}

/**
 * Shapley values estimated from seeded random orders of the channels: each channel's mean marginal
 * worth when it joins the channels before it. Orders are drawn over the channels sorted by name, so
 * the result does not depend on the order of the paths. Prefixes are matched to observed coalitions
 * by an order-free hash, confirmed member by member.
 */
function sampledValues(
  coalitions: Coalition[],
  names: readonly string[],
  seed: number,
  permutations: number,
): Float64Array {
  const n = names.length
  const random = makeRandom(seed)
  const hashA = new Int32Array(n)
  const hashB = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    hashA[i] = Math.floor(random() * 4294967296) | 0
    hashB[i] = Math.floor(random() * 4294967296) | 0
  }
  const byHash = new Map<number, Array<{ b: number; coalition: Coalition }>>()
  let largest = 0
  for (const coalition of coalitions) {
    let a = 0
    let b = 0
    for (const member of coalition.members) {
      a ^= hashA[member] ?? 0
      b ^= hashB[member] ?? 0
    }
    const list = byHash.get(a) ?? []
    list.push({ b, coalition })
    byHash.set(a, list)
    largest = Math.max(largest, coalition.members.length)
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) =>
    (names[x] ?? '') < (names[y] ?? '') ? -1 : (names[x] ?? '') > (names[y] ?? '') ? 1 : x - y,
  )
  const position = new Int32Array(n)
  const sums = new Float64Array(n)
  const permutation = Int32Array.from(order)
  for (let round = 0; round < permutations; round++) {
    permutation.set(order)
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const t = permutation[i] ?? 0
      permutation[i] = permutation[j] ?? 0
      permutation[j] = t
    }
    for (let i = 0; i < n; i++) position[permutation[i] ?? 0] = i
    let a = 0
    let b = 0
    let before = 0
    // Beyond the largest observed coalition every prefix is worth 0: one more step closes the sum.
    const steps = Math.min(n, largest + 1)
    for (let i = 0; i < steps; i++) {
      const channel = permutation[i] ?? 0
      a ^= hashA[channel] ?? 0
      b ^= hashB[channel] ?? 0
      let worth = 0
      for (const entry of byHash.get(a) ?? []) {
        const { members } = entry.coalition
        if (
          entry.b === b &&
          members.length === i + 1 &&
          members.every((m) => (position[m] ?? n) <= i)
        ) {
          worth = entry.coalition.worth
          break
        }
      }
      sums[channel] = (sums[channel] ?? 0) + worth - before
      before = worth
    }
  }
  return sums.map((sum) => sum / permutations)
}

/**
 * The Shapley value of each channel in the game of DEFINITIONS.md: v(S) = conversions ÷ journeys among
 * the journeys whose distinct channels are exactly S (0 where none). Exact up to 16 channels; above,
 * seeded sampling (seed 0 and 10,000 random orders unless told otherwise).
 */
export function shapleyValues(set: PathSet, options: ShapleyOptions = {}): ShapleyResult {
  const n = set.channels.length
  const coalitions = coalitionsOf(set)
  if (n <= exactShapleyLimit) return { values: exactValues(coalitions, n), method: 'exact' }
  const permutations = options.permutations ?? 10_000
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RangeError('Shapley permutations must be a whole number ≥ 1')
  }
  return {
    values: sampledValues(coalitions, set.channels, options.seed ?? 0, permutations),
    method: 'sampled',
  }
}
