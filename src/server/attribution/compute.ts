import { attribute } from '../../domain/attribution/engine.ts'
import {
  type ContactFact,
  contactJourney,
  creditableTouches,
  dealJourney,
  type TouchFact,
} from '../../domain/attribution/journeys.ts'
import {
  type AttributionModel,
  attributionModels,
  type ConversionKind,
  conversionKinds,
  type Journey,
} from '../../domain/attribution/types.ts'
import type { AttributionFacts } from './facts.ts'
import type { AttributionSettings } from './settings.ts'

/**
 * Every model over every conversion kind of one workspace (issue 12): the journeys of its deals and
 * contacts, attributed under each model and rolled up per conversion month, channel and campaign;
 * the default model's credits per touch are kept for drill-down.
 */

/**
 * Influence is not a model: a deal counts in full for every campaign (`influenced:campaign`) and every
 * channel (`influenced:channel`) with a touch in its window up to its creation (DEFINITIONS
 * "Influenced pipeline"), for `opportunity_created` and, once won, for `won`.
 */
export const influenceRollups = ['influenced:campaign', 'influenced:channel'] as const

export interface RollupRow {
  model: AttributionModel | (typeof influenceRollups)[number]
  conversion: ConversionKind
  /** YYYY-MM-01 of the conversion (UTC). */
  month: string
  kind: 'touch' | 'pending' | 'no_touch'
  channel: string | null
  campaignId: string | null
  conversions: number
  revenue: number
}

export interface CreditRow {
  conversion: ConversionKind
  subjectId: string
  convertedAt: number
  kind: 'touch' | 'pending' | 'no_touch'
  touchpointId: string | null
  touchAt: number | null
  channel: string | null
  campaignId: string | null
  credit: number
  revenue: number
}

export interface ComputedAttribution {
  rollups: RollupRow[]
  credits: CreditRow[]
  /** Data-driven channel weights per conversion kind. */
  weights: Partial<
    Record<ConversionKind, { markov: Record<string, number>; shapley: Record<string, number> }>
  >
}

const monthOf = (at: number) => `${new Date(at).toISOString().slice(0, 7)}-01`

/** Each journey's subject (deal or contact id) and whether it is an open deal's pending `won`. */
interface Built {
  journeys: Journey[]
  subjects: Map<string, { subjectId: string; pendingOnly: boolean }>
}

/** Every contact's and account's creditable touches, in time order. */
function touchIndex(facts: AttributionFacts, settings: AttributionSettings) {
  const options = { includeSales: settings.includeSalesTouches }
  const byContact = new Map<string, TouchFact[]>()
  for (const [id, touches] of facts.touchesByContact) {
    byContact.set(id, creditableTouches(touches, options))
  }
  const byAccount = new Map<string, TouchFact[]>()
  const add = (accountId: string, touches: readonly TouchFact[]) =>
    byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), ...touches])
  for (const contact of facts.contacts) {
    const touches = byContact.get(contact.id)
    if (contact.accountId && touches) add(contact.accountId, touches)
  }
  for (const [id, touches] of facts.touchesByAccount) add(id, creditableTouches(touches, options))
  for (const [id, touches] of byAccount) {
    byAccount.set(id, creditableTouches(touches, { includeSales: true }))
  }
  return { byContact, byAccount }
}

function buildJourneys(
  kind: ConversionKind,
  facts: AttributionFacts,
  index: ReturnType<typeof touchIndex>,
): Built {
  const journeys: Journey[] = []
  const subjects = new Map<string, { subjectId: string; pendingOnly: boolean }>()
  if (kind === 'lead_created' || kind === 'mql' || kind === 'sql') {
    for (const contact of facts.contacts) {
      const touches = index.byContact.get(contact.id) ?? []
      const journey = contactJourney(contact, touches, kind)
      // A contact that never converted and was never touched tells nothing.
      if (!journey.conversion && touches.length === 0) continue
      journeys.push(journey)
      subjects.set(journey.id, { subjectId: contact.id, pendingOnly: false })
    }
    return { journeys, subjects }
  }
  const contacts = new Map<string, ContactFact>(facts.contacts.map((c) => [c.id, c]))
  const accountsWithDeals = new Set<string>()
  for (const deal of facts.deals) {
    if (deal.accountId) accountsWithDeals.add(deal.accountId)
    const primary = deal.primaryContactId ? contacts.get(deal.primaryContactId) : undefined
    // A deal's journey is its account's touches, or its contact's when it has no account.
    const touches = deal.accountId
      ? (index.byAccount.get(deal.accountId) ?? [])
      : deal.primaryContactId
        ? (index.byContact.get(deal.primaryContactId) ?? [])
        : []
    const journey = dealJourney(deal, touches, primary, kind)
    journeys.push(journey)
    subjects.set(journey.id, {
      subjectId: deal.id,
      pendingOnly: kind === 'won' && deal.status === 'open',
    })
  }
  // Accounts touched with no deal at all did not convert (DEFINITIONS: non-converting journeys).
  for (const [accountId, touches] of index.byAccount) {
    if (accountsWithDeals.has(accountId) || touches.length === 0) continue
    journeys.push({
      id: `${kind}:account:${accountId}`,
      touches: touches.map((t) => ({
        id: t.id,
        channel: t.channel,
        campaign: t.campaignId,
        at: t.at,
      })),
      conversion: null,
    })
  }
  return { journeys, subjects }
}

const dayMs = 86_400_000

/** Rolls up the deals each campaign and channel influenced (see `influenceRollups`). */
function influenceRows(facts: AttributionFacts, built: Built, lookbackDays: number): RollupRow[] {
  const deals = new Map(facts.deals.map((deal) => [deal.id, deal] as const))
  const sums = new Map<string, RollupRow>()
  const add = (
    model: RollupRow['model'],
    conversion: ConversionKind,
    at: number,
    channel: string | null,
    campaignId: string | null,
    amount: number,
  ) => {
    const month = monthOf(at)
    const key = `${model}|${conversion}|${month}|${channel ?? ''}|${campaignId ?? ''}`
    const row = sums.get(key) ?? {
      model,
      conversion,
      month,
      kind: 'touch' as const,
      channel,
      campaignId,
      conversions: 0,
      revenue: 0,
    }
    row.conversions += 1
    row.revenue += amount
    sums.set(key, row)
  }
  for (const journey of built.journeys) {
    const deal = deals.get(built.subjects.get(journey.id)?.subjectId ?? '')
    if (!deal || !journey.conversion) continue
    const from = deal.createdAt - lookbackDays * dayMs
    const campaigns = new Set<string | null>()
    const channels = new Set<string>()
    for (const touch of journey.touches) {
      if (touch.at < from || touch.at > deal.createdAt) continue
      campaigns.add(touch.campaign ?? null)
      channels.add(touch.channel)
    }
    const wonAt = deal.status === 'won' ? (deal.closedAt ?? deal.createdAt) : null
    for (const [conversion, at] of [
      ['opportunity_created', deal.createdAt],
      ['won', wonAt],
    ] as const) {
      if (at === null) continue
      for (const campaign of campaigns) {
        add('influenced:campaign', conversion, at, null, campaign, deal.amount)
      }
      for (const channel of channels) {
        add('influenced:channel', conversion, at, channel, null, deal.amount)
      }
    }
  }
  return [...sums.values()]
}

/** Attributes every conversion kind under every model with the workspace's settings. */
export function computeAttribution(
  facts: AttributionFacts,
  settings: AttributionSettings,
): ComputedAttribution {
  const index = touchIndex(facts, settings)
  const touchTimes = new Map<string, number>()
  for (const touches of [...index.byContact.values(), ...index.byAccount.values()]) {
    for (const touch of touches) touchTimes.set(touch.id, touch.at)
  }
  const rollups: RollupRow[] = []
  const credits: CreditRow[] = []
  const weights: ComputedAttribution['weights'] = {}
  for (const kind of conversionKinds) {
    const built = buildJourneys(kind, facts, index)
    // Open deals' `won` is pending: only full path gives it credit (its touches' shares so far).
    const settled = built.journeys.filter((j) => !built.subjects.get(j.id)?.pendingOnly)
    const conversionAt = new Map(built.journeys.map((j) => [j.id, j.conversion?.at ?? 0] as const))
    const kindWeights: { markov: Record<string, number>; shapley: Record<string, number> } = {
      markov: {},
      shapley: {},
    }
    for (const model of attributionModels) {
      const result = attribute(model === 'full_path' ? built.journeys : settled, {
        model,
        lookbackDays: settings.lookbackDays,
        halfLifeDays: settings.halfLifeDays,
        customWeights: settings.customWeights,
      })
      if (model === 'markov' || model === 'shapley') {
        kindWeights[model] = result.channelWeights ?? {}
      }
      const sums = new Map<string, RollupRow>()
      for (const credit of result.credits) {
        const at = conversionAt.get(credit.journeyId) ?? 0
        const month = monthOf(at)
        const key = `${month}|${credit.kind}|${credit.channel ?? ''}|${credit.campaign ?? ''}`
        const row = sums.get(key) ?? {
          model,
          conversion: kind,
          month,
          kind: credit.kind,
          channel: credit.channel,
          campaignId: credit.campaign,
          conversions: 0,
          revenue: 0,
        }
        row.conversions += credit.credit
        row.revenue += credit.value
        sums.set(key, row)
        if (model === settings.defaultModel) {
          credits.push({
            conversion: kind,
            subjectId: built.subjects.get(credit.journeyId)?.subjectId ?? '',
            convertedAt: at,
            kind: credit.kind,
            touchpointId: credit.touchId,
            touchAt: credit.touchId ? (touchTimes.get(credit.touchId) ?? null) : null,
            channel: credit.channel,
            campaignId: credit.campaign,
            credit: credit.credit,
            revenue: credit.value,
          })
        }
      }
      rollups.push(...sums.values())
    }
    weights[kind] = kindWeights
    if (kind === 'opportunity_created') {
      rollups.push(...influenceRows(facts, built, settings.lookbackDays))
    }
  }
  return { rollups, credits, weights }
}
