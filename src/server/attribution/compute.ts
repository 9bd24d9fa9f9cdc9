import {
  attributeColumns,
  type JourneyColumns,
  type TouchColumns,
} from '../../domain/attribution/columnar.ts'
import {
  type ContactFact,
  contactJourney,
  creditableTouches,
  dealJourney,
  type TouchFact,
} from '../../domain/attribution/journeys.ts'
import {
  type AttributionModel,
  type ConversionKind,
  conversionKinds,
  type Journey,
  type Touch,
} from '../../domain/attribution/types.ts'
import type { AttributionFacts, DealRecord } from './facts.ts'
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

/** One subject's (deal's or contact's) share of the rollups for one conversion kind. */
export interface Contribution {
  subjectId: string
  conversion: ConversionKind
  /** When the subject converted (ms): the drill-down of a model without stored credits lists it. */
  convertedAt: number
  rows: RollupRow[]
}

export interface ComputedAttribution {
  /** The sum of the contributions. */
  rollups: RollupRow[]
  /** Per subject and conversion: what the incremental recompute subtracts when it changes. */
  contributions: Contribution[]
  credits: CreditRow[]
  /** Data-driven channel weights per conversion kind. */
  weights: Partial<
    Record<ConversionKind, { markov: Record<string, number>; shapley: Record<string, number> }>
  >
}

export const monthOf = (at: number) => `${new Date(at).toISOString().slice(0, 7)}-01`

/** Which subjects to attribute: all (the full recompute), or those an incremental run changed. */
export interface AttributionScope {
  contactIds: ReadonlySet<string>
  dealIds: ReadonlySet<string>
}

/** One subject's rows for one conversion kind: per model, per group. */
interface SubjectRows {
  convertedAt: number
  models: Map<string, Map<string, RollupRow>>
}

/**
 * Adds rollup amounts per subject and conversion, and sums them for the whole workspace. A subject
 * converts once per kind, so within it a row is told apart by model and group: the touch's channel
 * and campaign (`groupOf`), or the row kind for pending and no-touch rows. Nested maps rather than
 * one string key per credit: this runs once per credit of every model.
 */
export class Contributions {
  private readonly byKind = new Map<ConversionKind, Map<string, SubjectRows>>()

  /** The last subject added to (credits come journey by journey): its models, found once. */
  private last: {
    conversion: string
    subjectId: string
    models: Map<string, Map<string, RollupRow>>
  } | null = null

  /**
   * `row` is only read when the subject has no row of this model and group yet; `convertedAt` only
   * on the subject's first row (a subject converts once per kind).
   */
  add(
    subjectId: string,
    convertedAt: number,
    row: Readonly<Omit<RollupRow, 'conversions' | 'revenue'>>,
    group: string,
    credit: number,
    value: number,
  ) {
    let models: Map<string, Map<string, RollupRow>> | undefined
    const last = this.last
    if (last && last.subjectId === subjectId && last.conversion === row.conversion) {
      models = last.models
    } else {
      let subjects = this.byKind.get(row.conversion)
      if (!subjects) {
        subjects = new Map()
        this.byKind.set(row.conversion, subjects)
      }
      let subject = subjects.get(subjectId)
      if (!subject) {
        subject = { convertedAt, models: new Map() }
        subjects.set(subjectId, subject)
      }
      models = subject.models
      this.last = { conversion: row.conversion, subjectId, models }
    }
    let rows = models.get(row.model)
    if (!rows) {
      rows = new Map()
      models.set(row.model, rows)
    }
    const sum = rows.get(group)
    if (sum) {
      sum.conversions += credit
      sum.revenue += value
    } else rows.set(group, { ...row, conversions: credit, revenue: value })
  }

  /**
   * The sum of every subject's rows: rows of one conversion, month, model and group add up (the
   * group strings are the maps' keys already, so no key is built per row).
   */
  rollups(): RollupRow[] {
    const out: RollupRow[] = []
    for (const subjects of this.byKind.values()) {
      const byMonth = new Map<string, Map<string, Map<string, RollupRow>>>()
      for (const { models } of subjects.values()) {
        for (const [model, groups] of models) {
          for (const [group, row] of groups) {
            let byModel = byMonth.get(row.month)
            if (!byModel) {
              byModel = new Map()
              byMonth.set(row.month, byModel)
            }
            let sums = byModel.get(model)
            if (!sums) {
              sums = new Map()
              byModel.set(model, sums)
            }
            const sum = sums.get(group)
            if (sum) {
              sum.conversions += row.conversions
              sum.revenue += row.revenue
            } else {
              const copy = { ...row }
              sums.set(group, copy)
              out.push(copy)
            }
          }
        }
      }
    }
    return out
  }

  contributions(): Contribution[] {
    const out: Contribution[] = []
    for (const [conversion, subjects] of this.byKind) {
      for (const [subjectId, { convertedAt, models }] of subjects) {
        const rows: RollupRow[] = []
        for (const groups of models.values()) for (const row of groups.values()) rows.push(row)
        out.push({ subjectId, conversion, convertedAt, rows })
      }
    }
    return out
  }
}

/** A touch row's group within a subject's contribution: its channel and campaign. */
export const groupOf = (channel: string | null, campaignId: string | null) =>
  `${channel ?? ''}|${campaignId ?? ''}`

/** What recording a credit needs to know of touch `t` (the index the engine passes). */
export interface TouchNames {
  id(t: number): string
  at(t: number): number
  channel(t: number): string
  campaign(t: number): string | null
  /** `groupOf` its channel and campaign. */
  group(t: number): string
}

/** Adds each credit to its subject's contribution, and keeps the default model's as credit rows. */
export class CreditRecorder {
  // The row's fields are the same for every credit of a group: kept in one reused object.
  private readonly row: Omit<RollupRow, 'conversions' | 'revenue'> = {
    model: 'linear',
    conversion: 'won',
    month: '',
    kind: 'touch',
    channel: null,
    campaignId: null,
  }
  private readonly credits: CreditRow[] = []

  constructor(
    private readonly into: Contributions,
    private readonly defaultModel: AttributionModel,
    private readonly touches: TouchNames,
  ) {}

  /** The contributions (summed into rollups) and credits recorded, with the weights learned. */
  result(weights: ComputedAttribution['weights']): ComputedAttribution {
    return {
      rollups: this.into.rollups(),
      contributions: this.into.contributions(),
      credits: this.credits,
      weights,
    }
  }

  /** Touch `t` (−1: a pending or no-touch row) earned `credit` and `value` of a subject's conversion. */
  record(
    conversion: ConversionKind,
    model: AttributionModel,
    subjectId: string,
    convertedAt: number,
    month: string,
    t: number,
    kind: RollupRow['kind'],
    credit: number,
    value: number,
  ) {
    const { row, touches } = this
    const channel = t >= 0 ? touches.channel(t) : null
    const campaignId = t >= 0 ? touches.campaign(t) : null
    row.model = model
    row.conversion = conversion
    row.month = month
    row.kind = kind
    row.channel = channel
    row.campaignId = campaignId
    this.into.add(subjectId, convertedAt, row, t >= 0 ? touches.group(t) : kind, credit, value)
    if (model !== this.defaultModel) return
    this.credits.push({
      conversion,
      subjectId,
      convertedAt,
      kind,
      touchpointId: t >= 0 ? touches.id(t) : null,
      touchAt: t >= 0 ? touches.at(t) : null,
      channel,
      campaignId,
      credit,
      revenue: value,
    })
  }
}

/** The identity of a rollup row: model, conversion, month, kind, channel and campaign. */
export const rollupKey = (row: Omit<RollupRow, 'conversions' | 'revenue'>) =>
  `${row.model}|${row.conversion}|${row.month}|${row.kind}|${row.channel ?? ''}|${row.campaignId ?? ''}`

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
  const add = (accountId: string, touches: readonly TouchFact[]) => {
    const list = byAccount.get(accountId)
    if (list) for (const touch of touches) list.push(touch)
    else byAccount.set(accountId, [...touches])
  }
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
  scope: AttributionScope | undefined,
): Built {
  const journeys: Journey[] = []
  const subjects = new Map<string, { subjectId: string; pendingOnly: boolean }>()
  if (kind === 'lead_created' || kind === 'mql' || kind === 'sql') {
    for (const contact of facts.contacts) {
      if (scope && !scope.contactIds.has(contact.id)) continue
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
    if (scope && !scope.dealIds.has(deal.id)) continue
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
  // Accounts touched with no deal at all did not convert (DEFINITIONS: non-converting journeys);
  // they only teach the data-driven weights, which a scoped run takes from the last full one.
  if (scope) return { journeys, subjects }
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

/** When a deal converts for `kind` (opportunity created, won), for influence; null: it did not. */
export function influenceAt(
  deal: Pick<DealRecord, 'createdAt' | 'closedAt' | 'status'>,
  kind: 'opportunity_created' | 'won',
): number | null {
  if (kind === 'opportunity_created') return deal.createdAt
  return deal.status === 'won' ? (deal.closedAt ?? deal.createdAt) : null
}

/** Adds the deals each campaign and channel influenced (see `influenceRollups`) for `kind`. */
function addInfluence(
  into: Contributions,
  facts: AttributionFacts,
  built: Built,
  lookbackDays: number,
  kind: 'opportunity_created' | 'won',
) {
  const deals = new Map(facts.deals.map((deal) => [deal.id, deal] as const))
  for (const journey of built.journeys) {
    const deal = deals.get(built.subjects.get(journey.id)?.subjectId ?? '')
    const at = deal ? influenceAt(deal, kind) : null
    if (!deal || at === null) continue
    const from = deal.createdAt - lookbackDays * dayMs
    const campaigns = new Set<string | null>()
    const channels = new Set<string>()
    for (const touch of journey.touches) {
      if (touch.at < from || touch.at > deal.createdAt) continue
      campaigns.add(touch.campaign ?? null)
      channels.add(touch.channel)
    }
    addInfluenceRows(into, deal, kind, at, campaigns, channels)
  }
}

/** A deal influenced by these campaigns and channels for `kind` (at `at`): a row for each. */
export function addInfluenceRows(
  into: Contributions,
  deal: Pick<DealRecord, 'id' | 'amount'>,
  kind: 'opportunity_created' | 'won',
  at: number,
  campaigns: Iterable<string | null>,
  channels: Iterable<string>,
) {
  const base = { conversion: kind, month: monthOf(at), kind: 'touch' as const }
  for (const campaignId of campaigns) {
    const row = { ...base, model: 'influenced:campaign' as const, channel: null, campaignId }
    into.add(deal.id, at, row, groupOf(null, campaignId), 1, deal.amount)
  }
  for (const channel of channels) {
    const row = { ...base, model: 'influenced:channel' as const, channel, campaignId: null }
    into.add(deal.id, at, row, groupOf(channel, null), 1, deal.amount)
  }
}

/**
 * A kind's journeys as the columnar engine takes them: each journey's touches copied in time order
 * (ties kept in their order), its milestones' positions, its conversion.
 */
function journeyColumns(journeys: readonly Journey[]) {
  const list: Touch[] = []
  const count = journeys.length
  const columns: JourneyColumns = {
    count,
    order: new Int32Array(0),
    from: new Int32Array(count),
    to: new Int32Array(count),
    conversionAt: new Float64Array(count),
    value: new Float64Array(count),
    pending: new Uint8Array(count),
    lc: new Int32Array(count).fill(-1),
    oc: new Int32Array(count).fill(-1),
    cw: new Int32Array(count).fill(-1),
  }
  journeys.forEach((journey, j) => {
    const from = list.length
    const sorted = journey.touches
      .map((touch, index) => ({ touch, index }))
      .sort((a, b) => a.touch.at - b.touch.at || a.index - b.index)
    for (const { touch } of sorted) {
      const position = list.length
      // A milestone flagged on several touches is the earliest of them (as in the engine).
      for (const milestone of touch.milestones ?? []) {
        const column =
          milestone === 'LC'
            ? columns.lc
            : milestone === 'OC'
              ? columns.oc
              : milestone === 'CW'
                ? columns.cw
                : undefined
        if (column && column[j] === -1) column[j] = position
      }
      list.push(touch)
    }
    columns.from[j] = from
    columns.to[j] = list.length
    columns.conversionAt[j] = journey.conversion?.at ?? Number.NaN
    columns.value[j] = journey.conversion?.value ?? 0
    columns.pending[j] = journey.conversion?.pending ? 1 : 0
  })
  columns.order = Int32Array.from(list, (_, i) => i)
  const channels: string[] = []
  const channelIndex = new Map<string, number>()
  const touches: TouchColumns = {
    at: Float64Array.from(list, (touch) => touch.at),
    channel: Int32Array.from(list, (touch) => {
      let index = channelIndex.get(touch.channel)
      if (index === undefined) {
        index = channels.length
        channelIndex.set(touch.channel, index)
        channels.push(touch.channel)
      }
      return index
    }),
    channels,
  }
  return { list, touches, journeys: columns }
}

export interface ComputeOptions {
  /** Only these subjects' journeys (the incremental recompute); all when absent. */
  scope?: AttributionScope
  /** Data-driven weights to use instead of learning them (the last full run's). */
  weights?: ComputedAttribution['weights']
  /** Only these conversion kinds; all when absent. */
  kinds?: readonly ConversionKind[]
}

/** Attributes every conversion kind under every model with the workspace's settings. */
export function computeAttribution(
  facts: AttributionFacts,
  settings: AttributionSettings,
  options: ComputeOptions = {},
): ComputedAttribution {
  const index = touchIndex(facts, settings)
  const into = new Contributions()
  let list: Touch[] = []
  const recorder = new CreditRecorder(into, settings.defaultModel, {
    id: (t) => (list[t] as Touch).id,
    at: (t) => (list[t] as Touch).at,
    channel: (t) => (list[t] as Touch).channel,
    campaign: (t) => (list[t] as Touch).campaign ?? null,
    group: (t) => groupOf((list[t] as Touch).channel, (list[t] as Touch).campaign ?? null),
  })
  const weights: ComputedAttribution['weights'] = {}
  for (const kind of options.kinds ?? conversionKinds) {
    const built = buildJourneys(kind, facts, index, options.scope)
    const columns = journeyColumns(built.journeys)
    list = columns.list
    const journeyFacts = built.journeys.map((j) => {
      const at = j.conversion?.at ?? 0
      const subjectId = built.subjects.get(j.id)?.subjectId ?? ''
      return { at, month: monthOf(at), subjectId }
    })
    // Open deals' `won` is pending: only full path gives it credit (its touches' shares so far).
    const result = attributeColumns(
      columns.touches,
      columns.journeys,
      {
        lookbackDays: settings.lookbackDays,
        halfLifeDays: settings.halfLifeDays,
        customWeights: settings.customWeights,
        channelWeights: options.weights?.[kind],
      },
      (model, j, t, creditKind, credit, value) => {
        const journey = journeyFacts[j] as (typeof journeyFacts)[number]
        recorder.record(
          kind,
          model,
          journey.subjectId,
          journey.at,
          journey.month,
          t,
          creditKind,
          credit,
          value,
        )
      },
    )
    const kindWeights = result.channelWeights
    weights[kind] = kindWeights
    if (kind === 'opportunity_created' || kind === 'won') {
      addInfluence(into, facts, built, settings.lookbackDays, kind)
    }
  }
  return recorder.result(weights)
}
