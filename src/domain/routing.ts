/**
 * Fair lead routing (issue 7; DEFINITIONS.md "Handoff and the two-way SLA": a handoff is one MQL
 * passed to one owner). The first active routing rule that matches the lead names a team; among the
 * team's eligible reps, true round robin picks the one whose last assignment in that team is the
 * oldest. With no matching rule or no eligible rep, the handoff stays open with no owner in the
 * unassigned queue, and the reason tells admins why.
 *
 * Pure: the server loads rules, reps and their counts, and stores the handoff and alerts.
 */
import { DateTime } from 'luxon'
import { z } from 'zod'

export type SegmentKey = 'smb' | 'mid_market' | 'enterprise'

/** The default segment of a lead by its account's employees (DEFINITIONS.md "Segment"). */
export function segmentOf(employees: number | null | undefined): SegmentKey | null {
  if (employees === null || employees === undefined || !Number.isFinite(employees)) return null
  if (employees < 200) return 'smb'
  if (employees < 2000) return 'mid_market'
  return 'enterprise'
}

export const routingTextFields = ['country', 'region', 'industry', 'segment'] as const
export type RoutingTextField = (typeof routingTextFields)[number]
export const routingFields = [...routingTextFields, 'employees'] as const
export type RoutingField = (typeof routingFields)[number]

/** The filter language's op names (src/server/records/filter.ts), for the subset routing needs. */
export const routingTextOps = ['eq', 'neq', 'in', 'nin', 'exists'] as const
export const routingNumberOps = ['eq', 'gt', 'gte', 'lt', 'lte', 'exists'] as const
export const routingOps = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'exists'] as const
export type RoutingOp = (typeof routingOps)[number]

/** What routing knows of a lead: its own and its account's attributes. */
export interface RoutingLead {
  /** ISO 3166-1 alpha-2. */
  country?: string | null
  region?: string | null
  employees?: number | null
  industry?: string | null
  /** Key of the lead's segment (DEFINITIONS.md "Segment"), e.g. `smb`. */
  segment?: string | null
}

/**
 * One condition of a routing rule: the filter language's shape and op names, evaluated in memory
 * over one lead instead of compiled to SQL. Text compares case-insensitively and trimmed; like the
 * filter language, `neq`/`nin` also match an empty value, `eq`/`in` and the size comparisons never
 * do, and `exists` (true/false) tells whether the value is there at all.
 */
export type RoutingCondition =
  | { field: RoutingTextField; op: 'eq' | 'neq'; value: string }
  | { field: RoutingTextField; op: 'in' | 'nin'; value: string[] }
  | { field: 'employees'; op: 'eq' | 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { field: RoutingField; op: 'exists'; value: boolean }

const Text = z.string().trim().min(1).max(200)

function checkValue(
  field: RoutingField,
  op: RoutingOp,
  value: unknown,
): { path: string; message: string } | null {
  const ops: readonly string[] = field === 'employees' ? routingNumberOps : routingTextOps
  if (!ops.includes(op)) {
    const kind = field === 'employees' ? 'a number' : 'text'
    return {
      path: 'op',
      message: `"${op}" does not apply to ${field} (${kind}); use ${ops.join(', ')}`,
    }
  }
  if (op === 'exists') {
    return typeof value === 'boolean'
      ? null
      : { path: 'value', message: 'exists takes true or false' }
  }
  if (field === 'employees') {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0
      ? null
      : { path: 'value', message: 'must be a whole number of employees, 0 or more' }
  }
  if (op === 'in' || op === 'nin') {
    const isList =
      Array.isArray(value) &&
      value.length >= 1 &&
      value.length <= 500 &&
      value.every((v) => Text.safeParse(v).success)
    return isList ? null : { path: 'value', message: `${op} takes a list of 1 to 500 texts` }
  }
  return Text.safeParse(value).success ? null : { path: 'value', message: 'must be some text' }
}

/**
 * A stored or submitted condition. Checked as one object so an op that does not fit the field, or a
 * value of the wrong kind, is refused with a message naming `op` or `value`.
 */
export const RoutingCondition = z
  .object({
    field: z.enum(routingFields),
    op: z.enum(routingOps),
    value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = checkValue(c.field, c.op, c.value)
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message })
  })
  .transform((c) => {
    const value = typeof c.value === 'string' ? c.value.trim() : c.value
    const list = Array.isArray(value) ? value.map((v) => v.trim()) : value
    return { ...c, value: list } as RoutingCondition
  })

/** Rules are tried in order; one without conditions is a catch-all. */
export interface RoutingRule {
  id: string
  teamId: string
  conditions: readonly RoutingCondition[]
}

const isBlank = (value: string | number | null | undefined) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '')

const fold = (value: string) => value.trim().toLowerCase()

function matchesNumber(condition: RoutingCondition & { field: 'employees' }, size: number) {
  const bound = condition.value as number
  switch (condition.op) {
    case 'eq':
      return size === bound
    case 'gt':
      return size > bound
    case 'gte':
      return size >= bound
    case 'lt':
      return size < bound
    case 'lte':
      return size <= bound
    default:
      return false
  }
}

/** Whether one condition holds for the lead. */
export function matchesCondition(condition: RoutingCondition, lead: RoutingLead): boolean {
  const raw = lead[condition.field]
  if (condition.op === 'exists') return isBlank(raw) !== condition.value
  if (condition.field === 'employees') {
    return typeof raw === 'number' && matchesNumber(condition, raw)
  }
  const text = isBlank(raw) ? null : fold(String(raw))
  switch (condition.op) {
    case 'eq':
    case 'neq': {
      const isSame = text !== null && text === fold(condition.value)
      return condition.op === 'eq' ? isSame : !isSame
    }
    case 'in':
    case 'nin': {
      const isListed = text !== null && condition.value.some((v) => fold(v) === text)
      return condition.op === 'in' ? isListed : !isListed
    }
  }
  return false
}

/** The first rule whose conditions all hold for the lead, or null when none does. */
export function chooseRule<R extends RoutingRule>(
  rules: readonly R[],
  lead: RoutingLead,
): R | null {
  return rules.find((rule) => rule.conditions.every((c) => matchesCondition(c, lead))) ?? null
}

/** A member of the chosen team, as the server sees them at routing time. */
export interface RoutingRep {
  id: string
  /** Still a workspace member with a selling role, and accepts leads. */
  isActive: boolean
  /** Out of office now (see isAbsentAt). */
  isAbsent: boolean
  /** Most open handoffs the rep may own at once; null = no limit. */
  capacity: number | null
  /** Most new handoffs per local day; null = no limit. */
  dailyCap: number | null
  /** Open handoffs the rep owns now. */
  openCount: number
  /** Handoffs assigned to the rep since the start of today (local day). */
  todayCount: number
  /** The rep's last assignment in this team; null = never assigned. */
  lastAssignedAt: Date | null
}

/** Whether an absence (either end may be open) covers `now`; no dates = present. */
export function isAbsentAt(from: Date | null, until: Date | null, now: Date): boolean {
  if (from === null && until === null) return false
  const t = now.getTime()
  return (from === null || from.getTime() <= t) && (until === null || t < until.getTime())
}

/** Why a handoff has no owner; the server alerts admins with it. */
export const unassignedReasons = [
  'no_rule',
  'no_active_rep',
  'all_absent',
  'all_at_capacity',
  'all_at_daily_cap',
] as const
export type UnassignedReason = (typeof unassignedReasons)[number]

/** `no_rule` is the server's answer when chooseRule gives null; chooseRep never returns it. */
export type RepChoice =
  | { repId: string }
  | { repId: null; reason: Exclude<UnassignedReason, 'no_rule'> }

const waitedLonger = (a: RoutingRep, b: RoutingRep) => {
  const at = a.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY
  const bt = b.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY
  if (at !== bt) return at < bt ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * The rep who gets the team's next lead: true round robin. Eligible reps are active, present,
 * under capacity and under their daily cap; among them the one whose last assignment in the team
 * is the oldest wins (never assigned first, then the smaller id), so the same inputs always give
 * the same rep.
 *
 * Why round robin and not a rate over a window: reps who stay eligible never differ by more than
 * one lead; a newcomer or a rep back from absence joins the rotation at the next turn and then waits
 * like everyone else (no catch-up surge); a skipped rep (absent, full) simply loses the turn.
 * With none eligible, the reason is the last check that ruled out the remaining reps (one absent
 * and one full: `all_at_capacity`, since the team has someone there).
 */
export function chooseRep(reps: readonly RoutingRep[]): RepChoice {
  const active = reps.filter((rep) => rep.isActive)
  if (active.length === 0) return { repId: null, reason: 'no_active_rep' }
  const present = active.filter((rep) => !rep.isAbsent)
  if (present.length === 0) return { repId: null, reason: 'all_absent' }
  const underCapacity = present.filter(
    (rep) => rep.capacity === null || rep.openCount < rep.capacity,
  )
  if (underCapacity.length === 0) return { repId: null, reason: 'all_at_capacity' }
  const eligible = underCapacity.filter(
    (rep) => rep.dailyCap === null || rep.todayCount < rep.dailyCap,
  )
  const [next] = [...eligible].sort(waitedLonger)
  return next ? { repId: next.id } : { repId: null, reason: 'all_at_daily_cap' }
}

/** Midnight of `now`'s day in the time zone (daily caps count from there). */
export function startOfLocalDay(now: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone })
  return (local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' }))
    .startOf('day')
    .toJSDate()
}
