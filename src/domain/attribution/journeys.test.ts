import { describe, expect, it } from 'vitest'
import { attribute } from './engine.ts'
import {
  type ContactFact,
  contactJourney,
  creditableTouches,
  type DealFact,
  dealJourney,
  type TouchFact,
} from './journeys.ts'

const day = 86_400_000

function touch(
  id: string,
  onDay: number,
  channel = 'email',
  extra: Partial<TouchFact> = {},
): TouchFact {
  return {
    id,
    contactId: 'c1',
    at: onDay * day,
    channel,
    campaignId: `${channel}-1`,
    isBot: false,
    ...extra,
  }
}

const contact: ContactFact = {
  id: 'c1',
  leadCreationTouchId: 't2',
  leadAt: 2 * day,
  mqlAt: 5 * day,
  sqlAt: null,
}

const deal = (overrides: Partial<DealFact> = {}): DealFact => ({
  id: 'd1',
  primaryContactId: 'c1',
  createdAt: 6 * day,
  closedAt: 20 * day,
  status: 'won',
  amount: 10_000,
  ...overrides,
})

const touches = [
  touch('t3', 4, 'paid_search'),
  touch('t1', 1, 'organic'),
  touch('bot', 3, 'email', { isBot: true }),
  touch('t2', 2, 'webinar'),
  touch('rep', 7, 'sales'),
  touch('t4', 15, 'events'),
  touch('t5', 25, 'email'),
]

const milestonesOf = (journey: ReturnType<typeof dealJourney>) =>
  journey.touches.map((entry) => [entry.id, entry.milestones ?? []])

describe('creditableTouches', () => {
  it('leaves out bot touches, keeps sales unless excluded, and puts touches in time order', () => {
    expect(creditableTouches(touches, { includeSales: true }).map((t) => t.id)).toEqual([
      't1',
      't2',
      't3',
      'rep',
      't4',
      't5',
    ])
    expect(creditableTouches(touches, { includeSales: false }).map((t) => t.id)).toEqual([
      't1',
      't2',
      't3',
      't4',
      't5',
    ])
  })
})

describe('dealJourney', () => {
  const ordered = creditableTouches(touches, { includeSales: true })

  it('flags LC (the primary contact’s), OC (last touch by creation) and CW (last touch by the win)', () => {
    const journey = dealJourney(deal(), ordered, contact, 'won')
    expect(milestonesOf(journey)).toEqual([
      ['t1', []],
      ['t2', ['LC']],
      ['t3', ['OC']],
      ['rep', []],
      ['t4', ['CW']],
      ['t5', []],
    ])
    expect(journey.conversion).toEqual({ at: 20 * day, value: 10_000, pending: false })
  })

  it('converts at creation, worth the amount, for opportunity_created', () => {
    const journey = dealJourney(
      deal({ status: 'open', closedAt: null }),
      ordered,
      contact,
      'opportunity_created',
    )
    expect(journey.conversion).toEqual({ at: 6 * day, value: 10_000, pending: false })
    const credits = attribute([journey], { model: 'w_shaped' }).credits
    // FT t1 30, LC t2 30, OC t3 30; no touch strictly between LC and OC → their 10 % folds in.
    const third = +(1 / 3).toFixed(6)
    expect(credits.map((c) => [c.touchId, +c.credit.toFixed(6)])).toEqual([
      ['t1', third],
      ['t2', third],
      ['t3', third],
    ])
  })

  it('keeps an open deal’s won conversion pending and a lost deal non-converting', () => {
    const open = dealJourney(deal({ status: 'open', closedAt: null }), ordered, contact, 'won')
    expect(open.conversion).toEqual({ at: 25 * day, value: 10_000, pending: true })
    const full = attribute([open], { model: 'full_path' })
    expect(full.pending.value).toBe(2250)
    const lost = dealJourney(deal({ status: 'lost' }), ordered, contact, 'won')
    expect(lost.conversion).toBeNull()
    expect(milestonesOf(lost).some(([, flags]) => (flags as string[]).includes('CW'))).toBe(false)
  })

  it('has no LC when the primary contact’s lead-creation touch is not in the journey', () => {
    const journey = dealJourney(
      deal(),
      ordered,
      { ...contact, leadCreationTouchId: 'elsewhere' },
      'won',
    )
    expect(milestonesOf(journey).flatMap(([, flags]) => flags)).toEqual(['OC', 'CW'])
  })

  it('has no OC milestone when every touch came after the deal was created', () => {
    const late = creditableTouches([touch('x', 30)], { includeSales: true })
    const journey = dealJourney(
      deal({ createdAt: 10 * day, closedAt: 40 * day }),
      late,
      undefined,
      'won',
    )
    expect(milestonesOf(journey)).toEqual([['x', ['CW']]])
  })
})

describe('contactJourney', () => {
  const ordered = creditableTouches(touches, { includeSales: true })

  it('converts at the first entry into the stage, with no value', () => {
    expect(contactJourney(contact, ordered, 'lead_created').conversion).toEqual({
      at: 2 * day,
      value: 0,
    })
    expect(contactJourney(contact, ordered, 'mql').conversion).toEqual({ at: 5 * day, value: 0 })
    expect(contactJourney(contact, ordered, 'sql').conversion).toBeNull()
  })

  it('credits only the touches up to the conversion under lead creation', () => {
    const journey = contactJourney(contact, ordered, 'lead_created')
    const credits = attribute([journey], { model: 'lead_creation' }).credits
    expect(credits.map((c) => [c.touchId, c.credit])).toEqual([['t2', 1]])
    const last = attribute([contactJourney(contact, ordered, 'mql')], {
      model: 'last_touch',
    }).credits
    expect(last.map((c) => c.touchId)).toEqual(['t3'])
  })
})
