/** Shapes of the SLA settings API (src/server/sla/routes.ts) and their presentation. */

export type Weekday = '1' | '2' | '3' | '4' | '5' | '6' | '7'
export interface DayHours {
  start: string
  end: string
}
export type Week = Record<Weekday, DayHours | null>
export type Segment = 'smb' | 'mid_market' | 'enterprise'
/** A segment as chosen in a form: 'other' stands for every other lead (segment null). */
export type SegmentChoice = Segment | 'other'

/** GET /api/v1/sla/calendars. */
export interface Calendar {
  id: string
  name: string
  timeZone: string
  week: Week
  holidays: string[]
  isDefault: boolean
  usedBy: { id: string; name: string }[]
}

/** GET /api/v1/sla/policies. */
export interface Policy {
  id: string
  name: string
  segment: Segment | null
  calendarId: string | null
  calendar: { id: string; name: string } | null
  firstTouchMinutes: number
  acceptanceMinutes: number
  escalationMinutes: number
  firstTouchHours: number
  acceptanceHours: number
  escalationHours: number
  reassignOnEscalation: boolean
}

/** GET /api/v1/sla/preview. */
export interface Preview {
  segment: Segment | null
  at: string
  policy: { id: string | null; name: string; firstTouchHours: number; acceptanceHours: number }
  calendar: {
    id: string | null
    name: string
    source: 'policy' | 'workspace_default' | 'built_in'
    timeZone: string
  }
  isOpen: boolean
  clockStartsAt: string
  firstTouchDueAt: string
  decisionDueAt: string
  escalateAt: string
}

export const slaKeys = {
  calendars: ['sla', 'calendars'],
  policies: ['sla', 'policies'],
  preview: ['sla', 'preview'],
} as const

export const weekdays: { key: Weekday; label: string }[] = [
  { key: '1', label: 'Monday' },
  { key: '2', label: 'Tuesday' },
  { key: '3', label: 'Wednesday' },
  { key: '4', label: 'Thursday' },
  { key: '5', label: 'Friday' },
  { key: '6', label: 'Saturday' },
  { key: '7', label: 'Sunday' },
]

export const segmentLabels: Record<Segment, string> = {
  smb: 'SMB (< 200 employees)',
  mid_market: 'Mid-market (200-1,999)',
  enterprise: 'Enterprise (≥ 2,000)',
}

export function segmentLabel(segment: Segment | null): string {
  return segment ? segmentLabels[segment] : 'Every other lead'
}

/** Business hours for display: 4 → "4 h", 1.5 → "1 h 30 min", 0.25 → "15 min". */
export function formatHours(hours: number): string {
  const minutes = Math.round(hours * 60)
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) return `${m} min`
  return m === 0 ? `${h} h` : `${h} h ${m} min`
}

/**
 * An instant as the calendar's wall clock: "Mon 10:30" within the coming week, else
 * "Mon 7 Dec, 10:30", so a due time reads the way the team's office clock shows it.
 */
export function formatInZone(iso: string, timeZone: string, now = new Date()): string {
  const date = new Date(iso)
  const soon = date.getTime() - now.getTime() < 6 * 24 * 3_600_000
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(soon ? {} : { day: 'numeric', month: 'short' }),
  })
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]))
  const day = soon ? parts.weekday : `${parts.weekday} ${parts.day} ${parts.month}`
  return `${day}${soon ? '' : ','} ${parts.hour}:${parts.minute}`
}

/** A week's opening hours in a few words: "Mon-Fri 09:00-17:00", "Mon-Thu 08:00-18:00, Fri 08:00-14:00". */
export function summarizeWeek(week: Week): string {
  const short = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
  const runs: { from: number; to: number; hours: string }[] = []
  weekdays.forEach(({ key }, index) => {
    const day = week[key]
    if (!day) return
    const hours = `${day.start}-${day.end}`
    const last = runs.at(-1)
    if (last && last.to === index - 1 && last.hours === hours) last.to = index
    else runs.push({ from: index, to: index, hours })
  })
  if (runs.length === 0) return 'Closed every day'
  return runs
    .map((r) => `${short[r.from]}${r.to > r.from ? `-${short[r.to]}` : ''} ${r.hours}`)
    .join(', ')
}
