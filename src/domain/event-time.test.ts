import { describe, expect, it } from 'vitest'
import { parseEventDate, resolveEventTime } from './event-time.ts'

const receivedAt = new Date('2026-11-27T12:00:00.000Z')
const hour = 60 * 60 * 1000
const day = 24 * hour

function occurred(input: Parameters<typeof resolveEventTime>[0], options = {}) {
  const result = resolveEventTime(input, options)
  if (!result.ok) throw new Error(result.message)
  return { at: result.occurredAt.toISOString(), clamped: result.clamped, skewMs: result.skewMs }
}

describe('resolveEventTime', () => {
  it('corrects a client clock that runs an hour fast', () => {
    expect(
      occurred({
        timestamp: '2026-11-27T12:59:50Z',
        sentAt: '2026-11-27T13:00:00Z',
        receivedAt,
      }),
    ).toEqual({ at: '2026-11-27T11:59:50.000Z', clamped: null, skewMs: -hour })
  })

  it('corrects a client clock that runs behind', () => {
    expect(
      occurred({ timestamp: '2026-11-27T09:00:00Z', sentAt: '2026-11-27T10:00:00Z', receivedAt }),
    ).toEqual({ at: '2026-11-27T11:00:00.000Z', clamped: null, skewMs: 2 * hour })
  })

  it('takes the timestamp as is without sentAt', () => {
    expect(occurred({ timestamp: '2026-11-27T11:00:00Z', receivedAt })).toEqual({
      at: '2026-11-27T11:00:00.000Z',
      clamped: null,
      skewMs: 0,
    })
  })

  it('uses receivedAt without a timestamp, even with sentAt', () => {
    for (const timestamp of [undefined, null, '', '  ']) {
      expect(occurred({ timestamp, sentAt: '2026-11-27T10:00:00Z', receivedAt })).toEqual({
        at: receivedAt.toISOString(),
        clamped: null,
        skewMs: 0,
      })
    }
  })

  it('reads offsets', () => {
    expect(occurred({ timestamp: '2026-11-27T16:30:00+05:30', receivedAt }).at).toBe(
      '2026-11-27T11:00:00.000Z',
    )
    expect(occurred({ timestamp: '2026-11-27T06:00:00-0500', receivedAt }).at).toBe(
      '2026-11-27T11:00:00.000Z',
    )
  })

  it('accepts Date values', () => {
    expect(occurred({ timestamp: new Date('2026-11-27T11:00:00Z'), receivedAt }).at).toBe(
      '2026-11-27T11:00:00.000Z',
    )
  })

  it('clamps a time more than a day in the future to receivedAt', () => {
    expect(occurred({ timestamp: '2026-11-28T12:00:01Z', receivedAt })).toEqual({
      at: receivedAt.toISOString(),
      clamped: 'future',
      skewMs: 0,
    })
  })

  it('keeps a time exactly a day in the future', () => {
    expect(occurred({ timestamp: '2026-11-28T12:00:00Z', receivedAt }).clamped).toBeNull()
  })

  it('clamps a time more than two years in the past to receivedAt minus two years', () => {
    expect(occurred({ timestamp: '2020-01-01T00:00:00Z', receivedAt })).toEqual({
      at: new Date(receivedAt.getTime() - 730 * day).toISOString(),
      clamped: 'past',
      skewMs: 0,
    })
  })

  it('keeps a time exactly two years in the past', () => {
    const timestamp = new Date(receivedAt.getTime() - 730 * day).toISOString()
    expect(occurred({ timestamp, receivedAt }).clamped).toBeNull()
  })

  it('clamps after correcting the skew', () => {
    // The client clock is 3 days slow: the raw timestamp is in the past, the corrected one is not.
    const result = occurred({
      timestamp: '2026-11-24T11:00:00Z',
      sentAt: '2026-11-24T12:00:00Z',
      receivedAt,
    })
    expect(result).toEqual({ at: '2026-11-27T11:00:00.000Z', clamped: null, skewMs: 3 * day })
  })

  it('takes the limits as parameters', () => {
    const options = { maxFutureMs: 60_000, maxPastMs: hour }
    expect(occurred({ timestamp: '2026-11-27T12:02:00Z', receivedAt }, options).clamped).toBe(
      'future',
    )
    expect(occurred({ timestamp: '2026-11-27T10:00:00Z', receivedAt }, options)).toEqual({
      at: '2026-11-27T11:00:00.000Z',
      clamped: 'past',
      skewMs: 0,
    })
  })

  it('names an unparseable timestamp', () => {
    expect(resolveEventTime({ timestamp: 'yesterday', receivedAt })).toEqual({
      ok: false,
      field: 'timestamp',
      message: 'timestamp: not an ISO 8601 date-time',
    })
  })

  it('names an unparseable sentAt', () => {
    const result = resolveEventTime({
      timestamp: '2026-11-27T11:00:00Z',
      sentAt: '27/11/2026',
      receivedAt,
    })
    expect(result.ok === false && result.field).toBe('sentAt')
  })

  it('names an unparseable sentAt even without a timestamp', () => {
    const result = resolveEventTime({ sentAt: 'soon', receivedAt })
    expect(result.ok === false && result.field).toBe('sentAt')
  })
})

describe('parseEventDate', () => {
  const valid: [string, string][] = [
    ['2026-11-27T11:00:00Z', '2026-11-27T11:00:00.000Z'],
    ['2026-11-27t11:00:00z', '2026-11-27T11:00:00.000Z'],
    ['2026-11-27 11:00:00Z', '2026-11-27T11:00:00.000Z'],
    ['2026-11-27T11:00:00.123Z', '2026-11-27T11:00:00.123Z'],
    ['2026-11-27T11:00:00.123456Z', '2026-11-27T11:00:00.123Z'],
    ['2026-11-27T11:00:00.5Z', '2026-11-27T11:00:00.500Z'],
    ['2026-11-27T11:00:00,5Z', '2026-11-27T11:00:00.500Z'],
    ['2026-11-27T11:00Z', '2026-11-27T11:00:00.000Z'],
    ['2026-11-27T11:00:00', '2026-11-27T11:00:00.000Z'],
    ['2026-11-27T13:00:00+02:00', '2026-11-27T11:00:00.000Z'],
    ['2026-11-27T13:00:00+0200', '2026-11-27T11:00:00.000Z'],
    ['2026-11-27T00:30:00-10:30', '2026-11-27T11:00:00.000Z'],
    ['2026-11-27', '2026-11-27T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['  2026-11-27T11:00:00Z  ', '2026-11-27T11:00:00.000Z'],
    ['0050-01-01T00:00:00Z', '0050-01-01T00:00:00.000Z'],
  ]
  for (const [text, iso] of valid) {
    it(`reads ${text}`, () => {
      const ms = parseEventDate(text)
      expect(typeof ms === 'number' && new Date(ms).toISOString()).toBe(iso)
    })
  }

  const invalid = [
    'yesterday',
    '1764241200000',
    '2026/11/27',
    'Fri, 27 Nov 2026 11:00:00 GMT',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-11-31',
    '2026-11-27T24:00:00Z',
    '2026-11-27T11:60:00Z',
    '2026-11-27T11:00:00+25:00',
    '2026-11-27T11:00:00Zjunk',
    '26-11-27',
  ]
  for (const text of invalid) {
    it(`refuses ${text}`, () => expect(parseEventDate(text)).toBe('invalid'))
  }

  it('refuses an invalid Date', () => expect(parseEventDate(new Date('nope'))).toBe('invalid'))

  it('reads absent values as null', () => {
    for (const value of [undefined, null, '', '   ']) expect(parseEventDate(value)).toBeNull()
  })
})
