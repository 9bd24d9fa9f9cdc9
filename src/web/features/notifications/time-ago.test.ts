import { describe, expect, it } from 'vitest'
import { timeAgo } from './time-ago.ts'

describe('timeAgo', () => {
  const now = new Date('2026-11-27T12:00:00Z')
  const cases: [string, string][] = [
    ['2026-11-27T11:59:30Z', 'just now'],
    ['2026-11-27T12:00:05Z', 'just now'],
    ['2026-11-27T11:55:00Z', '5 min ago'],
    ['2026-11-27T11:00:01Z', '59 min ago'],
    ['2026-11-27T09:00:00Z', '3 h ago'],
    ['2026-11-25T12:00:00Z', '2 d ago'],
  ]
  for (const [iso, expected] of cases) {
    it(`says "${expected}" for ${iso}`, () => expect(timeAgo(iso, now)).toBe(expected))
  }
  it('gives the date from a week on', () => {
    expect(timeAgo('2026-11-01T12:00:00Z', now)).not.toMatch(/ago|now/)
  })
})
