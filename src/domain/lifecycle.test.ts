import { describe, expect, it } from 'vitest'
import { type LifecycleStage, type LifecycleState, transition } from './lifecycle.ts'

describe('lifecycle transition', () => {
  const cases: {
    name: string
    from: LifecycleState | null
    to: LifecycleState
    reached?: LifecycleStage[]
    stamps?: string[]
  }[] = [
    {
      name: 'a new record enters its first stage and the ones before',
      from: null,
      to: 'lead',
      stamps: ['subscriber', 'lead'],
    },
    {
      name: 'a jump stamps the skipped stages',
      from: 'subscriber',
      to: 'mql',
      stamps: ['lead', 'mql'],
    },
    { name: 'one step stamps one stage', from: 'sal', to: 'sql', stamps: ['sql'] },
    { name: 'staying put stamps nothing', from: 'mql', to: 'mql', stamps: [] },
    {
      name: 'any stage may be disqualified',
      from: 'sql',
      to: 'disqualified',
      stamps: ['disqualified'],
    },
    { name: 'any stage may be recycled', from: 'mql', to: 'recycled', stamps: ['recycled'] },
    {
      name: 'a recycled contact qualifying again is a re-MQL',
      from: 'recycled',
      to: 'mql',
      reached: ['subscriber', 'lead', 'mql'],
      stamps: ['mql*'],
    },
    {
      name: 'a recycled contact going past its old best stamps only the new stages',
      from: 'recycled',
      to: 'sql',
      reached: ['subscriber', 'lead', 'mql'],
      stamps: ['sal', 'sql'],
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const result = transition(c.from, c.to, c.reached)
      expect(result.ok).toBe(true)
      if (result.ok)
        expect(result.entries.map((e) => e.stage + (e.isReentry ? '*' : ''))).toEqual(c.stamps)
    })
  }

  it('refuses a backward move among the main stages', () => {
    const result = transition('customer', 'lead')
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('only move forward') })
  })
})
