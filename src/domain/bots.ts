/**
 * Bot and link-scanner verdict for a touch (DEFINITIONS.md, "Touchpoints and channels" and
 * "Attribution"): such touches are stored but flagged, and excluded from scoring and attribution.
 * Checked in order:
 *   1. a link scanner's user agent (mail security gateways, Office link discovery, BingPreview) →
 *      `scanner_user_agent`;
 *   2. a bot, crawler, headless browser or HTTP library user agent → `bot_user_agent`;
 *   3. an `email_click` or `ad_click` at most N seconds (default 10) after its delivery, or dated
 *      before it (no person clicks before delivery) → `instant_click`. Scanners that pose as browsers
 *      (Microsoft Defender Safe Links, Proofpoint URL Defense) are caught only this way.
 * A missing user agent is not a bot: server-side Segment libraries send none.
 */

export type BotReason = 'bot_user_agent' | 'scanner_user_agent' | 'instant_click'

export interface BotVerdict {
  isBot: boolean
  reason: BotReason | null
}

export interface BotInput {
  userAgent?: string | null
  /** The touchpoint type (`email_click`, `page_view`…). */
  type: string
  occurredAt: Date
  /** When the email was delivered or the ad served, if known. */
  deliveredAt?: Date | null
}

export interface BotOptions {
  /** A click this many seconds or less after delivery is a scanner's (default 10). */
  instantClickSeconds?: number
}

/** User agents of mail-security link scanners and link-preview fetchers, matched case-insensitively. */
export const scannerUserAgentPatterns: readonly RegExp[] = [
  /barracuda/i,
  /proofpoint/i,
  /mimecast/i,
  /ironport/i,
  /symantec|messagelabs/i,
  /trend ?micro/i,
  /sophos/i,
  /forcepoint|websense/i,
  /fireeye|trellix/i,
  /zscaler/i,
  /appriver/i,
  /vadesecure|vade secure/i,
  /check ?point/i,
  /fortiguard|fortinet/i,
  /bingpreview/i,
  // Office's pre-fetch when a link is clicked in Outlook or Word; browsers never send these. A
  // browser UA that merely mentions Office (Outlook's in-app webview) is not matched.
  /microsoft office (?:existence|protocol) discovery/i,
  /^microsoft office\//i,
  /\bms-office\b|\bmsoffice \d/i,
  /skypeuripreview/i,
]

/** HTTP libraries and command-line tools, matched at the start of the user agent. */
const httpClients = [
  'curl',
  'wget',
  'python-requests',
  'python-urllib',
  'python-httpx',
  'aiohttp',
  'go-http-client',
  'java',
  'axios',
  'node-fetch',
  'undici',
  'libwww-perl',
  'apache-httpclient',
  'scrapy',
  'httpie',
  'postmanruntime',
]

/**
 * User agents of bots, crawlers, headless browsers and HTTP libraries. `bot` must end a word
 * (Googlebot/2.1, AdsBot-Google), except after "cu" (the Cubot phone brand).
 */
export const botUserAgentPatterns: readonly RegExp[] = [
  /(?<!cu)bots?(?:\b|_)/i,
  /crawl/i,
  /spider/i,
  /slurp/i,
  /headless/i,
  /phantomjs/i,
  /\bjsdom\b/i,
  /lighthouse/i,
  /pingdom/i,
  /facebookexternalhit|facebookcatalog/i,
  /mediapartners-google|apis-google|feedfetcher-google|google-inspectiontool|google-read-aloud/i,
  /embedly/i,
  new RegExp(`^(?:${httpClients.join('|')})\\b`, 'i'),
]

/** Whether a touch is a bot's or a link scanner's, and why; `isBot` false with reason null if not. */
export function botVerdict(input: BotInput, options: BotOptions = {}): BotVerdict {
  const userAgent = input.userAgent?.trim() ?? ''
  if (userAgent) {
    if (scannerUserAgentPatterns.some((p) => p.test(userAgent))) {
      return { isBot: true, reason: 'scanner_user_agent' }
    }
    if (botUserAgentPatterns.some((p) => p.test(userAgent))) {
      return { isBot: true, reason: 'bot_user_agent' }
    }
  }
  if ((input.type === 'email_click' || input.type === 'ad_click') && input.deliveredAt) {
    const seconds = options.instantClickSeconds ?? 10
    if (input.occurredAt.getTime() - input.deliveredAt.getTime() <= seconds * 1000) {
      return { isBot: true, reason: 'instant_click' }
    }
  }
  return { isBot: false, reason: null }
}
