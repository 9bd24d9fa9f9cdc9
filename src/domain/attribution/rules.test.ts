import { describe, expect, it } from 'vitest'
import { type RuleInput, type RuleModel, ruleShares } from './rules.ts'
import type { Milestone } from './types.ts'

const day = 86_400_000

/** n touches one day apart, the conversion one day after the last. */
function input(
  n: number,
  positions: Partial<Record<Milestone, number>>,
  pending = false,
): RuleInput {
  return {
    times: Array.from({ length: n }, (_, i) => i * day),
    positions,
    conversionAt: n * day,
    pending,
  }
}

function shares(model: RuleModel, given: RuleInput, customWeights?: Record<string, number>) {
  const result = ruleShares(model, given, {
    halfLifeDays: 7,
    customWeights: customWeights as never,
  })
  return {
    touches: [...result.touches].map((v) => +v.toFixed(6)),
    pending: +result.pending.toFixed(6),
  }
}

describe('rule-based models (DEFINITIONS.md, Attribution)', () => {
  it.each<[string, RuleModel, RuleInput, number[], number]>([
    ['first touch: all to FT', 'first_touch', input(4, { FT: 0, LC: 2 }), [1, 0, 0, 0], 0],
    ['lead creation: all to LC', 'lead_creation', input(4, { FT: 0, LC: 2 }), [0, 0, 1, 0], 0],
    [
      'last touch: all to the last touch',
      'last_touch',
      input(4, { FT: 0, LC: 2 }),
      [0, 0, 0, 1],
      0,
    ],
    ['linear: 1/n each', 'linear', input(4, { FT: 0 }), [0.25, 0.25, 0.25, 0.25], 0],
    [
      'U-shaped: 40 FT, 40 LC, 20 between them',
      'u_shaped',
      input(5, { FT: 0, LC: 3 }),
      [0.4, 0.1, 0.1, 0.4, 0],
      0,
    ],
    [
      'W-shaped: 30/30/30 and 10 between FT and OC',
      'w_shaped',
      input(6, { FT: 0, LC: 2, OC: 4 }),
      [0.3, 0.05, 0.3, 0.05, 0.3, 0],
      0,
    ],
    [
      'W-shaped with FT = LC gives that touch 60%',
      'w_shaped',
      input(4, { FT: 0, LC: 0, OC: 3 }),
      [0.6, 0.05, 0.05, 0.3],
      0,
    ],
    [
      'W-shaped without OC: its 30% goes to FT and LC in proportion to their shares',
      'w_shaped',
      input(4, { FT: 0, LC: 2 }),
      [0.45, 0.1, 0.45, 0],
      0,
    ],
    [
      'W-shaped with no touch between the milestones: the others share is spread like a missing one',
      'w_shaped',
      input(3, { FT: 0, LC: 1, OC: 2 }),
      [1 / 3, 1 / 3, 1 / 3],
      0,
    ],
    [
      'W-shaped with every milestone on one touch',
      'w_shaped',
      input(3, { FT: 1, LC: 1, OC: 1 }),
      [0, 1, 0],
      0,
    ],
    [
      'full path on a won deal: 22.5% to each milestone, 10% between',
      'full_path',
      input(6, { FT: 0, LC: 1, OC: 3, CW: 5 }),
      [0.225, 0.225, 0.05, 0.225, 0.05, 0.225],
      0,
    ],
    [
      'full path on an open deal: the CW share is pending, touches after OC are between',
      'full_path',
      input(5, { FT: 0, LC: 1, OC: 2 }, true),
      [0.225, 0.225, 0.225, 0.05, 0.05],
      0.225,
    ],
    [
      'full path for an earlier conversion: OC and CW are missing, folded into FT and LC',
      'full_path',
      input(3, { FT: 0, LC: 2 }),
      [0.45, 0.1, 0.45],
      0,
    ],
    [
      'lead creation without an LC touch: the earliest touch',
      'lead_creation',
      input(3, { FT: 0 }),
      [1, 0, 0],
      0,
    ],
  ])('%s', (_name, model, given, expected, pending) => {
    const result = shares(model, given)
    expect(result.touches).toEqual(expected.map((v) => +v.toFixed(6)))
    expect(result.pending).toBe(pending)
  })

  it('time decay halves the weight every half-life (7 days)', () => {
    const given: RuleInput = {
      times: [0, 7 * day, 14 * day],
      positions: { FT: 0 },
      conversionAt: 14 * day,
      pending: false,
    }
    const { touches } = shares('time_decay', given)
    expect(touches).toEqual([1 / 7, 2 / 7, 4 / 7].map((v) => +v.toFixed(6)))
    const slow = ruleShares('time_decay', given, { halfLifeDays: 14 }).touches
    expect(slow[1]).toBeCloseTo(Math.SQRT2 * (slow[0] ?? 0), 12)
  })

  it('time decay does not lose every touch to underflow after years', () => {
    const given: RuleInput = {
      times: [0, day],
      positions: { FT: 0 },
      conversionAt: 40_000 * day,
      pending: false,
    }
    const [older = 0, newer = 0] = ruleShares('time_decay', given, { halfLifeDays: 7 }).touches
    expect(older + newer).toBeCloseTo(1, 9)
    expect(newer).toBeGreaterThan(older)
  })

  it('custom weights are normalised and folded like the standard ones', () => {
    const result = shares('custom', input(4, { FT: 0, LC: 1, OC: 3 }), {
      FT: 2,
      LC: 1,
      OC: 1,
      CW: 0,
      others: 0,
    })
    expect(result.touches).toEqual([0.5, 0.25, 0, 0.25])
    const onlyOthers = shares('custom', input(4, { FT: 0, OC: 3 }), {
      FT: 0,
      LC: 0,
      OC: 0,
      CW: 0,
      others: 1,
    })
    expect(onlyOthers.touches).toEqual([0, 0.5, 0.5, 0])
  })

  it('refuses custom weights that are negative or all 0', () => {
    const settings = (weights: Record<string, number>) => ({
      halfLifeDays: 7,
      customWeights: weights as never,
    })
    expect(() =>
      ruleShares(
        'custom',
        input(2, { FT: 0 }),
        settings({ FT: -1, LC: 1, OC: 0, CW: 0, others: 0 }),
      ),
    ).toThrow(/≥ 0/)
    expect(() =>
      ruleShares(
        'custom',
        input(2, { FT: 0 }),
        settings({ FT: 0, LC: 0, OC: 0, CW: 0, others: 0 }),
      ),
    ).toThrow(/not all be 0/)
  })
})
