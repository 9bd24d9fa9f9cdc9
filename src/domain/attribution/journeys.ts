import type { ConversionKind, Journey, Milestone, Touch } from './types.ts'

/**
 * Journeys of the product's records (DEFINITIONS.md, Attribution): a deal's journey is its account's
 * touches (all its contacts'), or its contact's when it has no account; a contact's journey is its
 * own touches. Bot and scanner touches never count; `sales` touches count unless the workspace
 * excludes them. Milestones: FT the first touch, LC the lead-creation touch (a deal's is its primary
 * contact's), OC the last touch at or before the deal was created, CW the last touch at or before it
 * was won.
 */

export interface TouchFact {
  id: string
  contactId: string | null
  /** Milliseconds since the epoch. */
  at: number
  channel: string
  campaignId: string | null
  isBot: boolean
}

export interface ContactFact {
  id: string
  /** The contact's lead-creation touch (form submit that made them known, or first touch after). */
  leadCreationTouchId: string | null
  /** When the contact became a lead, an MQL, an SQL (first entry), in ms; null: not (yet). */
  leadAt: number | null
  mqlAt: number | null
  sqlAt: number | null
}

export interface DealFact {
  id: string
  primaryContactId: string | null
  createdAt: number
  /** When it was won or lost; null while open. */
  closedAt: number | null
  status: 'open' | 'won' | 'lost'
  /** The amount in integer minor units (of the currency the caller reports in). */
  amount: number
}

export interface JourneySettings {
  /** Whether reps' logged activities (channel `sales`) are part of journeys. Default true. */
  includeSales: boolean
}

/** The touches that may earn credit, in time order: no bots, no `sales` when excluded. */
export function creditableTouches(
  touches: readonly TouchFact[],
  settings: JourneySettings,
): TouchFact[] {
  return touches
    .filter((touch) => !touch.isBot && (settings.includeSales || touch.channel !== 'sales'))
    .map((touch, index) => ({ touch, index }))
    .sort((a, b) => a.touch.at - b.touch.at || a.index - b.index)
    .map((entry) => entry.touch)
}

/** Index of the last touch at or before `at` (touches in time order), or undefined. */
function lastAtOrBefore(touches: readonly TouchFact[], at: number): number | undefined {
  let found: number | undefined
  for (let i = 0; i < touches.length && (touches[i]?.at ?? Infinity) <= at; i++) found = i
  return found
}

function toTouches(
  touches: readonly TouchFact[],
  flags: ReadonlyMap<number, Milestone[]>,
): Touch[] {
  return touches.map((touch, i) => ({
    id: touch.id,
    channel: touch.channel,
    campaign: touch.campaignId,
    at: touch.at,
    milestones: flags.get(i),
  }))
}

function flag(flags: Map<number, Milestone[]>, index: number | undefined, milestone: Milestone) {
  if (index === undefined) return
  flags.set(index, [...(flags.get(index) ?? []), milestone])
}

/**
 * A deal's journey for one conversion: `opportunity_created` (at creation, worth the amount: pipeline)
 * or `won` (at the win, worth the amount; while the deal is open, a pending conversion so that full
 * path can keep its CW share apart: callers count open deals under `full_path` only). A lost deal is
 * a non-converting journey for `won`, so the data-driven models learn from it. `touches` are the
 * account's (or the contact's) creditable touches, in time order.
 */
export function dealJourney(
  deal: DealFact,
  touches: readonly TouchFact[],
  primary: ContactFact | undefined,
  conversion: 'opportunity_created' | 'won',
): Journey {
  const flags = new Map<number, Milestone[]>()
  const lc = primary?.leadCreationTouchId
  if (lc) {
    const index = touches.findIndex((touch) => touch.id === lc)
    flag(flags, index >= 0 ? index : undefined, 'LC')
  }
  flag(flags, lastAtOrBefore(touches, deal.createdAt), 'OC')
  if (deal.status === 'won' && deal.closedAt !== null) {
    flag(flags, lastAtOrBefore(touches, deal.closedAt), 'CW')
  }
  const id = `${conversion}:${deal.id}`
  const journey = (at: number | null, pending = false): Journey => ({
    id,
    touches: toTouches(touches, flags),
    conversion: at === null ? null : { at, value: deal.amount, pending },
  })
  if (conversion === 'opportunity_created') return journey(deal.createdAt)
  if (deal.status === 'won') return journey(deal.closedAt ?? deal.createdAt)
  // An open deal's `won` is pending at the last moment we know of; a lost one did not convert.
  if (deal.status === 'open')
    return journey(Math.max(deal.createdAt, touches.at(-1)?.at ?? 0), true)
  return journey(null)
}

/**
 * A contact's journey for `lead_created`, `mql` or `sql`: converting at its first entry into the
 * stage, worth nothing (these conversions count people, not money); a contact that never reached the
 * stage is a non-converting journey.
 */
export function contactJourney(
  contact: ContactFact,
  touches: readonly TouchFact[],
  conversion: Exclude<ConversionKind, 'opportunity_created' | 'won'>,
): Journey {
  const flags = new Map<number, Milestone[]>()
  const lc = contact.leadCreationTouchId
  if (lc) {
    const index = touches.findIndex((touch) => touch.id === lc)
    flag(flags, index >= 0 ? index : undefined, 'LC')
  }
  const at =
    conversion === 'lead_created'
      ? contact.leadAt
      : conversion === 'mql'
        ? contact.mqlAt
        : contact.sqlAt
  return {
    id: `${conversion}:${contact.id}`,
    touches: toTouches(touches, flags),
    conversion: at === null ? null : { at, value: 0 },
  }
}
