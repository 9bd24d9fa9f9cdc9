import { attributeColumns, type JourneyColumns } from '../../domain/attribution/columnar.ts'
import { type ConversionKind, conversionKinds } from '../../domain/attribution/types.ts'
import { uuidText } from '../db/uuid-index.ts'
import type { AttributionColumns, TouchGroups } from './columns.ts'
import {
  addInfluenceRows,
  type ComputedAttribution,
  Contributions,
  CreditRecorder,
  groupOf,
  influenceAt,
  monthOf,
} from './compute.ts'
import type { AttributionSettings } from './settings.ts'

/**
 * `computeAttribution` (compute.ts) over columns, for the full recompute of millions of touches: the
 * same journeys, milestones, credits, rollups and contributions (compute-columns.test.ts compares
 * them), built as ranges of the grouped touches instead of objects.
 */

const dayMs = 86_400_000

/** A kind's journeys as ranges of `groups.order`, and whose each one is. */
interface KindJourneys {
  columns: JourneyColumns
  subjects: string[]
}

function journeyArrays(count: number, order: Int32Array): JourneyColumns {
  return {
    count,
    order,
    from: new Int32Array(count),
    to: new Int32Array(count),
    conversionAt: new Float64Array(count).fill(Number.NaN),
    value: new Float64Array(count),
    pending: new Uint8Array(count),
    lc: new Int32Array(count).fill(-1),
    oc: new Int32Array(count).fill(-1),
    cw: new Int32Array(count).fill(-1),
  }
}

/** The first position in from … to − 1 of the touch with id `bytes[start]`; −1: none. */
function findTouch(
  data: AttributionColumns,
  order: Int32Array,
  from: number,
  to: number,
  bytes: Uint8Array,
  start: number,
) {
  const { ids } = data.touches
  for (let p = from; p < to; p++) {
    const t = 16 * (order[p] as number)
    let k = 0
    while (k < 16 && ids[t + k] === bytes[start + k]) k++
    if (k === 16) return p
  }
  return -1
}

/** The last position in from … to − 1 whose touch is at or before `at`; −1: none. */
function lastAtOrBefore(
  data: AttributionColumns,
  order: Int32Array,
  from: number,
  to: number,
  at: number,
) {
  let found = -1
  for (let p = from; p < to && (data.touches.at[order[p] as number] as number) <= at; p++) found = p
  return found
}

/** The lead-creation touch of live contact `c` within from … to − 1; −1: none. */
function leadCreationIn(
  data: AttributionColumns,
  order: Int32Array,
  c: number,
  from: number,
  to: number,
) {
  if (c < 0 || c >= data.contactCount || !data.hasLeadCreation[c]) return -1
  return findTouch(data, order, from, to, data.leadCreation, 16 * c)
}

function contactJourneys(
  data: AttributionColumns,
  groups: TouchGroups,
  kind: 'lead_created' | 'mql' | 'sql',
): KindJourneys {
  const stage = kind === 'lead_created' ? data.leadAt : kind === 'mql' ? data.mqlAt : data.sqlAt
  const columns = journeyArrays(data.contactCount, groups.order)
  const subjects: string[] = []
  let j = 0
  for (let c = 0; c < data.contactCount; c++) {
    const from = groups.contactFrom[c] as number
    const to = groups.contactTo[c] as number
    const at = stage[c] as number
    // A contact that never converted and was never touched tells nothing.
    if (Number.isNaN(at) && to === from) continue
    columns.from[j] = from
    columns.to[j] = to
    columns.conversionAt[j] = at
    columns.lc[j] = leadCreationIn(data, groups.order, c, from, to)
    subjects.push(data.contacts.text(c))
    j++
  }
  columns.count = j
  return { columns, subjects }
}

/** Each deal's touches: its account's, or its primary contact's when it has no account. */
function dealRange(
  data: AttributionColumns,
  groups: TouchGroups,
  deal: AttributionColumns['deals'][number],
) {
  if (deal.accountId) {
    const a = data.accounts.of(deal.accountId)
    return a < 0 ? [0, 0] : [groups.accountFrom[a] as number, groups.accountTo[a] as number]
  }
  const c = deal.primaryContactId ? data.contacts.of(deal.primaryContactId) : -1
  return c < 0 ? [0, 0] : [groups.contactFrom[c] as number, groups.contactTo[c] as number]
}

function dealJourneys(
  data: AttributionColumns,
  groups: TouchGroups,
  kind: 'opportunity_created' | 'won',
): KindJourneys {
  const { order } = groups
  const withDeal = new Uint8Array(data.accounts.size)
  for (const deal of data.deals) {
    const a = deal.accountId ? data.accounts.of(deal.accountId) : -1
    if (a >= 0) withDeal[a] = 1
  }
  let accountsOnly = 0
  for (let a = 0; a < data.accounts.size; a++) {
    if (!withDeal[a] && (groups.accountTo[a] as number) > (groups.accountFrom[a] as number)) {
      accountsOnly++
    }
  }
  const columns = journeyArrays(data.deals.length + accountsOnly, order)
  const subjects: string[] = []
  let j = 0
  for (const deal of data.deals) {
    const [from, to] = dealRange(data, groups, deal) as [number, number]
    columns.from[j] = from
    columns.to[j] = to
    const primary = deal.primaryContactId ? data.contacts.of(deal.primaryContactId) : -1
    columns.lc[j] = leadCreationIn(data, order, primary, from, to)
    columns.oc[j] = lastAtOrBefore(data, order, from, to, deal.createdAt)
    if (deal.status === 'won' && deal.closedAt !== null) {
      columns.cw[j] = lastAtOrBefore(data, order, from, to, deal.closedAt)
    }
    columns.value[j] = deal.amount
    if (kind === 'opportunity_created') columns.conversionAt[j] = deal.createdAt
    else if (deal.status === 'won') columns.conversionAt[j] = deal.closedAt ?? deal.createdAt
    else if (deal.status === 'open') {
      // An open deal's `won` is pending at the last moment we know of; a lost one did not convert.
      const last = to > from ? (data.touches.at[order[to - 1] as number] as number) : 0
      columns.conversionAt[j] = Math.max(deal.createdAt, last)
      columns.pending[j] = 1
    }
    subjects.push(deal.id)
    j++
  }
  // Accounts touched with no deal at all did not convert: they teach the data-driven weights.
  for (let a = 0; a < data.accounts.size; a++) {
    const from = groups.accountFrom[a] as number
    const to = groups.accountTo[a] as number
    if (withDeal[a] || to === from) continue
    columns.from[j] = from
    columns.to[j] = to
    subjects.push('')
    j++
  }
  return { columns, subjects }
}

/**
 * The contacts whose touches `kinds` read: every contact for the contact conversions; for deals'
 * only the primary contacts of deals without an account (groupTouches' `contacts`).
 */
export function contactsRead(
  data: AttributionColumns,
  kinds: readonly ConversionKind[],
): Uint8Array | undefined {
  if (kinds.some((kind) => kind !== 'opportunity_created' && kind !== 'won')) return undefined
  const read = new Uint8Array(data.contacts.size)
  for (const deal of data.deals) {
    const c =
      !deal.accountId && deal.primaryContactId ? data.contacts.of(deal.primaryContactId) : -1
    if (c >= 0) read[c] = 1
  }
  return read
}

/** Reads of a touch's channel, campaign and group without a string per credit. */
function touchNames(data: AttributionColumns) {
  const { touches, campaigns } = data
  const campaignIds = Array.from({ length: campaigns.size }, (_, i) => campaigns.text(i))
  const groupNames = new Map<number, string>()
  /** A campaign number's id; null for −1. */
  const campaignId = (c: number) => (c < 0 ? null : (campaignIds[c] as string))
  const channel = (t: number) => touches.channels[touches.channel[t] as number] as string
  const campaign = (t: number) => campaignId(touches.campaign[t] as number)
  return {
    campaignId,
    id: (t: number) => uuidText(touches.ids, 16 * t),
    at: (t: number) => touches.at[t] as number,
    channel,
    campaign,
    group: (t: number) => {
      const key =
        (touches.channel[t] as number) * (campaigns.size + 1) + (touches.campaign[t] as number) + 1
      let name = groupNames.get(key)
      if (name === undefined) {
        name = groupOf(channel(t), campaign(t))
        groupNames.set(key, name)
      }
      return name
    },
  }
}

/** Adds the deals each campaign and channel influenced for `kind` (compute.ts `influenceRollups`). */
function addInfluence(
  into: Contributions,
  data: AttributionColumns,
  groups: TouchGroups,
  names: ReturnType<typeof touchNames>,
  lookbackDays: number,
  kind: 'opportunity_created' | 'won',
) {
  const { touches } = data
  const campaigns = new Set<number>()
  const channels = new Set<number>()
  for (const deal of data.deals) {
    const at = influenceAt(deal, kind)
    if (at === null) continue
    const [from, to] = dealRange(data, groups, deal) as [number, number]
    const earliest = deal.createdAt - lookbackDays * dayMs
    campaigns.clear()
    channels.clear()
    for (let p = from; p < to; p++) {
      const t = groups.order[p] as number
      const time = touches.at[t] as number
      if (time < earliest || time > deal.createdAt) continue
      campaigns.add(touches.campaign[t] as number)
      channels.add(touches.channel[t] as number)
    }
    addInfluenceRows(
      into,
      deal,
      kind,
      at,
      Array.from(campaigns, (campaign) => names.campaignId(campaign)),
      Array.from(channels, (c) => touches.channels[c] as string),
    )
  }
}

/** Attributes every conversion kind (or `options.kinds`) under every model, as computeAttribution. */
export function computeAttributionColumns(
  data: AttributionColumns,
  groups: TouchGroups,
  settings: AttributionSettings,
  options: { kinds?: readonly ConversionKind[]; weights?: ComputedAttribution['weights'] } = {},
): ComputedAttribution {
  const names = touchNames(data)
  const into = new Contributions()
  const recorder = new CreditRecorder(into, settings.defaultModel, names)
  const weights: ComputedAttribution['weights'] = {}
  const months = new Map<number, string>()
  const monthOfDay = (at: number) => {
    const day = Math.floor(at / dayMs)
    let month = months.get(day)
    if (month === undefined) {
      month = monthOf(at)
      months.set(day, month)
    }
    return month
  }
  for (const kind of options.kinds ?? conversionKinds) {
    const { columns, subjects } =
      kind === 'opportunity_created' || kind === 'won'
        ? dealJourneys(data, groups, kind)
        : contactJourneys(data, groups, kind)
    // Open deals' `won` is pending: only full path gives it credit (its touches' shares so far).
    const result = attributeColumns(
      data.touches,
      columns,
      {
        lookbackDays: settings.lookbackDays,
        halfLifeDays: settings.halfLifeDays,
        customWeights: settings.customWeights,
        channelWeights: options.weights?.[kind],
      },
      (model, j, t, creditKind, credit, value) => {
        const at = columns.conversionAt[j] as number
        const subject = subjects[j] as string
        recorder.record(kind, model, subject, at, monthOfDay(at), t, creditKind, credit, value)
      },
    )
    weights[kind] = result.channelWeights
    if (kind === 'opportunity_created' || kind === 'won') {
      addInfluence(into, data, groups, names, settings.lookbackDays, kind)
    }
  }
  return recorder.result(weights)
}
