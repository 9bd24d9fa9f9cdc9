/**
 * When an ingested event happened, by Segment's clock-skew correction (issue 5; DEFINITIONS.md
 * "Touchpoints and channels" dates every touchpoint):
 *   - `timestamp` and `sentAt` both given (client clock): occurredAt = receivedAt − (sentAt −
 *     timestamp), so a client whose clock is off still places the event correctly;
 *   - only `timestamp`: taken as is; neither: `receivedAt`;
 *   - then clamped, and flagged, not refused: more than `maxFutureMs` (default 1 day) after
 *     receivedAt → receivedAt (`future`); more than `maxPastMs` (default 2 years) before it →
 *     receivedAt − maxPastMs (`past`).
 * Times are ISO 8601 (RFC 3339) strings: `2026-11-27T09:30:00.123+05:30`, `…Z`, a space for `T`,
 * an offset without colon, any fraction digits (cut to milliseconds), or a date alone; no offset
 * means UTC. An empty string counts as absent. Anything else (or an impossible date such as Feb 30)
 * is an error naming the field, which the ingestion layer answers 400 with.
 */

export interface EventTimeInput {
  /** The client's time of the event. */
  timestamp?: string | Date | null
  /** The client's time of sending it. */
  sentAt?: string | Date | null
  /** The server's time of receiving it. */
  receivedAt: Date
}

export interface EventTimeOptions {
  /** Furthest into the future of receivedAt an event may be before it is clamped (default 1 day). */
  maxFutureMs?: number
  /** Furthest into the past of receivedAt an event may be before it is clamped (default 2 years). */
  maxPastMs?: number
}

export type EventTime =
  | {
      ok: true
      occurredAt: Date
      clamped: 'future' | 'past' | null
      /** The correction applied to the client's timestamp (receivedAt − sentAt), 0 if none. */
      skewMs: number
    }
  | { ok: false; field: 'timestamp' | 'sentAt'; message: string }

const dayMs = 24 * 60 * 60 * 1000
export const defaultMaxFutureMs = dayMs
export const defaultMaxPastMs = 2 * 365 * dayMs

/** Corrects an event's time for the client's clock skew, then clamps it (rules in the header). */
export function resolveEventTime(input: EventTimeInput, options: EventTimeOptions = {}): EventTime {
  const timestamp = parseEventDate(input.timestamp)
  if (timestamp === 'invalid') {
    return { ok: false, field: 'timestamp', message: 'timestamp: not an ISO 8601 date-time' }
  }
  const sentAt = parseEventDate(input.sentAt)
  if (sentAt === 'invalid') {
    return { ok: false, field: 'sentAt', message: 'sentAt: not an ISO 8601 date-time' }
  }
  const received = input.receivedAt.getTime()
  let skewMs = 0
  let occurred = received
  if (timestamp !== null) {
    if (sentAt !== null) skewMs = received - sentAt
    occurred = timestamp + skewMs
  }
  const maxFuture = options.maxFutureMs ?? defaultMaxFutureMs
  const maxPast = options.maxPastMs ?? defaultMaxPastMs
  let clamped: 'future' | 'past' | null = null
  if (occurred - received > maxFuture) {
    occurred = received
    clamped = 'future'
  } else if (received - occurred > maxPast) {
    occurred = received - maxPast
    clamped = 'past'
  }
  return { ok: true, occurredAt: new Date(occurred), clamped, skewMs }
}

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/

/**
 * Epoch milliseconds of an ISO 8601 date-time (rules in the header), null when absent, 'invalid'
 * when present but not a real date-time.
 */
export function parseEventDate(value: string | Date | null | undefined): number | null | 'invalid' {
  if (value === null || value === undefined) return null
  if (value instanceof Date) {
    const ms = value.getTime()
    return Number.isNaN(ms) ? 'invalid' : ms
  }
  const text = value.trim()
  if (!text) return null
  const m = isoPattern.exec(text)
  if (!m) return 'invalid'
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', , sign, oh = '0', om = '0'] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  const offsetHours = Number(oh)
  const offsetMinutes = Number(om)
  const daysInMonth = utcDate(year, month, 0).getUTCDate()
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return 'invalid'
  // 60 allows a leap second, read as the next second, as most parsers do.
  if (hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) {
    return 'invalid'
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3))
  const date = utcDate(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millis)
  const utc = date.getTime()
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000
  const ms = utc - offset
  return Number.isNaN(ms) ? 'invalid' : ms
}

// Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not.
function utcDate(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0)
  date.setUTCFullYear(year, monthIndex, day)
  return date
}
