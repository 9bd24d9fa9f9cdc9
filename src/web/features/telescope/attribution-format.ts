import {
  type AttributionConversion,
  type AttributionModel,
  type CreditGroup,
  conversionNames,
  modelNames,
} from '../attribution/attribution-api.ts'
import { monthLabel } from '../mql/mql-api.ts'
import { timeAgo } from '../notifications/time-ago.ts'
import { channelOptions, labelOf } from '../records/labels.ts'

/** What a count of each conversion is called in a column header. */
export const conversionPlurals: Record<AttributionConversion, string> = {
  lead_created: 'Leads',
  mql: 'MQLs',
  sql: 'SQLs',
  opportunity_created: 'Opportunities',
  won: 'Won deals',
}

/** What happened at the conversion, after the deal's or person's name. */
export const conversionEvents: Record<AttributionConversion, string> = {
  lead_created: 'became a lead',
  mql: 'became an MQL',
  sql: 'became an SQL',
  opportunity_created: 'became an opportunity',
  won: 'was won',
}

/** The conversion in a sentence: "won", "opportunity created", "MQL". */
export function conversionWords(conversion: AttributionConversion): string {
  return conversion === 'mql' || conversion === 'sql'
    ? conversionNames[conversion]
    : conversionNames[conversion].toLowerCase()
}

/** Credited conversions are fractional: one decimal below 100, whole numbers above, never a false 0. */
export function formatConversions(value: number): string {
  if (value > 0 && value < 0.05) return '<0.1'
  return value.toLocaleString(undefined, { maximumFractionDigits: Math.abs(value) < 100 ? 1 : 0 })
}

/** ROI as a percent: 2.4 → "240%", −0.35 → "−35%"; "—" without cost. */
export function formatRoi(roi: number | null): string {
  if (roi === null) return '—'
  const percent = Math.round(roi * 100)
  return `${percent < 0 ? '−' : ''}${Math.abs(percent).toLocaleString()}%`
}

/** A share of one conversion, 0..1, as a percent: "30%", "3.3%". */
export function formatCredit(credit: number): string {
  const percent = credit * 100
  return `${percent.toLocaleString(undefined, { maximumFractionDigits: percent < 10 ? 1 : 0 })}%`
}

/** A channel slug as people read it ("Paid search"); unknown channels made readable. */
export function channelLabel(channel: string): string {
  return labelOf(channel, channelOptions)
}

/** The model's name, "W-shaped (default)" when it is the workspace's default. */
export function modelLabel(model: AttributionModel, defaultModel?: AttributionModel | null) {
  return model === defaultModel ? `${modelNames[model]} (default)` : modelNames[model]
}

/** "Mar 2025 – Feb 2026" from two dates (whole months are counted), or "the last 12 months". */
export function monthRange(from: string | null | undefined, to: string | null | undefined) {
  if (!from || !to) return 'the last 12 months'
  const first = monthLabel(from.slice(0, 7))
  const last = monthLabel(to.slice(0, 7))
  return first === last ? first : `${first} – ${last}`
}

/** "3 h ago", or "on 12 Mar" once it is a week old. */
export function computedWhen(iso: string, now = new Date()): string {
  const said = timeAgo(iso, now)
  return /ago$|now$/.test(said) ? said : `on ${said}`
}

/**
 * A drill-down link of the report for another conversion (revenue is won's, pipeline is
 * opportunity creation's). The report's model travels along when it is not the default, so the
 * drill-down can say its per-touch credits are the default model's.
 */
export function drillHref(
  link: string,
  conversion: AttributionConversion,
  model?: AttributionModel | null,
): string {
  const url = new URL(link, 'http://tandem.invalid')
  url.searchParams.set('conversion', conversion)
  if (model) url.searchParams.set('model', model)
  else url.searchParams.delete('model')
  return `${url.pathname}?${url.searchParams.toString()}`
}

/**
 * The group named in a drill-down's query string: a campaign, channel or month, else the kind of
 * conversion (no touch, pending).
 */
export function creditGroupOf(params: URLSearchParams): CreditGroup | null {
  for (const by of ['campaign', 'channel', 'month'] as const) {
    const value = params.get(by)
    if (value) return { by, value }
  }
  const kind = params.get('kind')
  if (kind === 'no_touch' || kind === 'pending') return { by: 'kind', value: kind }
  return null
}

/** The group in words, for titles; a campaign's name is looked up by the page. */
export function groupWords(group: CreditGroup, campaignName?: string): string {
  if (group.by === 'channel') return channelLabel(group.value)
  if (group.by === 'month') return monthLabel(group.value)
  if (group.by === 'kind') return group.value === 'no_touch' ? 'no touch' : 'pending'
  if (group.value === 'none') return 'touches without a campaign'
  return campaignName ?? 'the campaign'
}

/** A drill-down's title: "Deals credited to Spring launch", "People with no touch". */
export function creditsTitle(group: CreditGroup, isDeals: boolean, campaignName?: string) {
  const noun = isDeals ? 'Deals' : 'People'
  if (group.by === 'kind') {
    return group.value === 'no_touch'
      ? `${noun} with no touch in the lookback window`
      : 'Open deals with a pending share'
  }
  return `${noun} credited to ${groupWords(group, campaignName)}`
}
