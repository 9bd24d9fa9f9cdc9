/**
 * Channel of a touchpoint, by the ordered table of DEFINITIONS.md ("Touchpoints and channels"); the
 * first matching row wins:
 *   rep-initiated → sales; utm_medium in the paid search list → paid_search; in the paid social list,
 *   or a social-cpm medium (cpm) with a social utm_source → paid_social; display list → display;
 *   email list → email; events list → events; partner list → partner; organic social list →
 *   organic_social; any other UTM value present → other; referrer a search engine → organic_search;
 *   a social network → organic_social; another site → referral; otherwise → direct.
 * A referrer on the page's own host (ignoring `www.` and ports) is not another site: direct.
 * UTM values are compared trimmed, lower-cased, with spaces and hyphens read as `_` ("Paid-Social"
 * is `paid_social`). The lists are data (`defaultChannelRules`) a workspace's settings may override.
 */
import type { Channel } from './touchpoints.ts'

export interface Utm {
  source?: string | null
  medium?: string | null
  campaign?: string | null
  term?: string | null
  content?: string | null
}

export interface ChannelInput {
  /** A rep's logged call, meeting or email (DEFINITIONS.md: channel `sales`). */
  repInitiated?: boolean
  utm?: Utm | null
  /** The document referrer: a URL, or a bare host. */
  referrer?: string | null
  /** Host of the page the touch happened on (a URL or a host; a port is ignored). */
  pageHost?: string | null
}

/**
 * The editable lists behind the table. Host lists match by host suffix: an entry with a dot
 * (`lnkd.in`, `search.brave.com`) matches that host and its subdomains; a bare name (`google`)
 * matches that registrable name under any country or generic suffix (google.com, www.google.co.uk,
 * google.de), but not `google.example.com`.
 */
export interface ChannelRules {
  paidSearchMediums: readonly string[]
  paidSocialMediums: readonly string[]
  /** Mediums that are paid_social only with a social utm_source, else fall through (cpm → display). */
  socialSourceMediums: readonly string[]
  displayMediums: readonly string[]
  emailMediums: readonly string[]
  eventMediums: readonly string[]
  partnerMediums: readonly string[]
  organicSocialMediums: readonly string[]
  /** utm_source values naming a social network (a source that is a social host counts too). */
  socialSources: readonly string[]
  searchEngines: readonly string[]
  socialNetworks: readonly string[]
}

/** DEFINITIONS.md's defaults; override per workspace with `{ ...defaultChannelRules, ...settings }`. */
export const defaultChannelRules: ChannelRules = {
  paidSearchMediums: ['cpc', 'ppc', 'paid_search', 'sem'],
  paidSocialMediums: ['paid_social', 'social_paid'],
  socialSourceMediums: ['cpm'],
  displayMediums: ['display', 'banner', 'cpm'],
  emailMediums: ['email', 'newsletter'],
  eventMediums: ['event', 'webinar', 'conference'],
  partnerMediums: ['partner', 'affiliate'],
  organicSocialMediums: ['social', 'organic_social'],
  socialSources: [
    'facebook',
    'fb',
    'meta',
    'instagram',
    'ig',
    'linkedin',
    'twitter',
    'x',
    'reddit',
    'youtube',
    'tiktok',
    'pinterest',
    'snapchat',
    'quora',
    'threads',
  ],
  searchEngines: [
    'google',
    'bing',
    'duckduckgo',
    'yahoo',
    'baidu',
    'yandex',
    'ecosia',
    'qwant',
    'startpage',
    'naver',
    'seznam',
    'sogou',
    'ask.com',
    'kagi.com',
    'search.brave.com',
    'search.aol.com',
  ],
  socialNetworks: [
    'facebook',
    'fb.com',
    'fb.me',
    'instagram',
    'linkedin',
    'lnkd.in',
    't.co',
    'twitter',
    'x.com',
    'reddit',
    'youtube',
    'youtu.be',
    'tiktok',
    'pinterest',
    'pin.it',
    'snapchat',
    'quora',
    'threads.net',
    'bsky.app',
    'mastodon.social',
    'tumblr.com',
    'vk.com',
    'weibo.com',
    'news.ycombinator.com',
  ],
}

interface HostMatcher {
  domains: readonly string[]
  names: ReadonlySet<string>
}

interface CompiledRules {
  paidSearch: ReadonlySet<string>
  paidSocial: ReadonlySet<string>
  socialSourceMediums: ReadonlySet<string>
  display: ReadonlySet<string>
  email: ReadonlySet<string>
  events: ReadonlySet<string>
  partner: ReadonlySet<string>
  organicSocial: ReadonlySet<string>
  socialSources: ReadonlySet<string>
  searchEngines: HostMatcher
  socialNetworks: HostMatcher
}

const compiledCache = new WeakMap<ChannelRules, CompiledRules>()

/** Decides the channel of one touch by the rules (DEFINITIONS.md's table unless a workspace's). */
export function classifyChannel(
  input: ChannelInput,
  rules: ChannelRules = defaultChannelRules,
): Channel {
  if (input.repInitiated) return 'sales'
  const r = compileRules(rules)
  const utm = input.utm ?? {}
  const medium = normalizeUtm(utm.medium)
  const source = normalizeUtm(utm.source)
  if (medium) {
    if (r.paidSearch.has(medium)) return 'paid_search'
    if (r.paidSocial.has(medium)) return 'paid_social'
    if (r.socialSourceMediums.has(medium) && isSocialSource(source, r)) return 'paid_social'
    if (r.display.has(medium)) return 'display'
    if (r.email.has(medium)) return 'email'
    if (r.events.has(medium)) return 'events'
    if (r.partner.has(medium)) return 'partner'
    if (r.organicSocial.has(medium)) return 'organic_social'
  }
  if (medium || source || [utm.campaign, utm.term, utm.content].some((v) => normalizeUtm(v))) {
    return 'other'
  }
  const referrer = hostOf(input.referrer)
  if (!referrer) return 'direct'
  if (matchesHost(referrer, r.searchEngines)) return 'organic_search'
  if (matchesHost(referrer, r.socialNetworks)) return 'organic_social'
  const page = hostOf(input.pageHost)
  if (page && stripWww(page) === stripWww(referrer)) return 'direct'
  return 'referral'
}

/** The lower-case host name of a URL or bare host (no port, no trailing dot), or null. */
export function hostOf(value: string | null | undefined): string | null {
  const text = value?.trim()
  if (!text) return null
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^/]*:\d+(?:[/?#]|$)/.test(text)
  let host: string
  try {
    host = new URL(hasScheme ? text : `http://${text}`).hostname
  } catch {
    return null
  }
  host = host.replace(/\.$/, '')
  return host || null
}

function normalizeUtm(value: string | null | undefined): string {
  return (value ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
}

function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host
}

function isSocialSource(source: string, r: CompiledRules): boolean {
  if (!source) return false
  // "facebook", "linkedin_ads" (first word), or a social host such as "l.facebook.com".
  if (r.socialSources.has(source)) return true
  const firstWord = source.split('_')[0] ?? ''
  if (r.socialSources.has(firstWord)) return true
  const host = hostOf(source)
  return host?.includes('.') === true && matchesHost(host, r.socialNetworks)
}

// Second-level labels under a country code (co.uk, com.au, ne.jp…): `google` matches google.co.uk.
const countrySecondLevels = new Set([
  'co',
  'com',
  'net',
  'org',
  'ac',
  'gov',
  'edu',
  'or',
  'ne',
  'gob',
])

function matchesHost(host: string, matcher: HostMatcher): boolean {
  for (const domain of matcher.domains) {
    if (host === domain || host.endsWith(`.${domain}`)) return true
  }
  const labels = host.split('.')
  const n = labels.length
  // name.tld (google.com, google.de) or name.sld.cc (google.co.uk, yahoo.co.jp).
  if (n >= 2 && matcher.names.has(labels[n - 2] ?? '') && isTld(labels[n - 1])) return true
  return (
    n >= 3 &&
    matcher.names.has(labels[n - 3] ?? '') &&
    countrySecondLevels.has(labels[n - 2] ?? '') &&
    /^[a-z]{2}$/.test(labels[n - 1] ?? '')
  )
}

function isTld(label: string | undefined): boolean {
  return label !== undefined && /^[a-z]{2,}$/.test(label)
}

function compileRules(rules: ChannelRules): CompiledRules {
  let compiled = compiledCache.get(rules)
  if (compiled) return compiled
  const set = (values: readonly string[]) => new Set(values.map(normalizeUtm).filter(Boolean))
  const hosts = (values: readonly string[]): HostMatcher => {
    const entries = values.map((v) => v.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean)
    return {
      domains: entries.filter((e) => e.includes('.')),
      names: new Set(entries.filter((e) => !e.includes('.'))),
    }
  }
  compiled = {
    paidSearch: set(rules.paidSearchMediums),
    paidSocial: set(rules.paidSocialMediums),
    socialSourceMediums: set(rules.socialSourceMediums),
    display: set(rules.displayMediums),
    email: set(rules.emailMediums),
    events: set(rules.eventMediums),
    partner: set(rules.partnerMediums),
    organicSocial: set(rules.organicSocialMediums),
    socialSources: set(rules.socialSources),
    searchEngines: hosts(rules.searchEngines),
    socialNetworks: hosts(rules.socialNetworks),
  }
  compiledCache.set(rules, compiled)
  return compiled
}
