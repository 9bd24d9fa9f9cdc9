import { describe, expect, it } from 'vitest'
import { type BotReason, botVerdict } from './bots.ts'

const at = new Date('2026-11-27T10:00:00Z')
const seconds = (n: number) => new Date(at.getTime() + n * 1000)

describe('botVerdict on real browsers', () => {
  const browsers: [string, string][] = [
    [
      'Chrome on Windows',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    ],
    [
      'Chrome on macOS',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    ],
    [
      'Firefox on Windows',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    ],
    ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'],
    [
      'Safari on macOS',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    ],
    [
      'Edge on Windows',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    ],
    [
      'Safari on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    ],
    [
      'Chrome on Android',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
    ],
    [
      'Samsung Internet',
      'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
    ],
    [
      'a Cubot phone',
      'Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
    ],
    [
      'the LinkedIn app on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.30.1',
    ],
    [
      'the Facebook app on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.35.108;FBBV/600000000;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/5]',
    ],
    [
      'Outlook for Windows (WebView2)',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0 OneOutlook/1.2024.1120.400',
    ],
    [
      'Gmail image proxy (a real open)',
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
    ],
  ]
  for (const [name, userAgent] of browsers) {
    it(`does not flag ${name}`, () =>
      expect(botVerdict({ userAgent, type: 'page_view', occurredAt: at })).toEqual({
        isBot: false,
        reason: null,
      }))
  }
})

describe('botVerdict on bots and scanners', () => {
  const agents: [string, string, BotReason][] = [
    [
      'Googlebot',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'bot_user_agent',
    ],
    [
      'bingbot',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'bot_user_agent',
    ],
    ['AdsBot-Google', 'AdsBot-Google (+http://www.google.com/adsbot.html)', 'bot_user_agent'],
    [
      'Baiduspider',
      'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
      'bot_user_agent',
    ],
    [
      'a crawler',
      'Mozilla/5.0 (compatible; SomeCrawler/1.0; +https://example.com)',
      'bot_user_agent',
    ],
    [
      'Yahoo Slurp',
      'Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com)',
      'bot_user_agent',
    ],
    ['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'bot_user_agent'],
    [
      'facebookexternalhit',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'bot_user_agent',
    ],
    [
      'HeadlessChrome',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      'bot_user_agent',
    ],
    [
      'PhantomJS',
      'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
      'bot_user_agent',
    ],
    [
      'Lighthouse',
      'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
      'bot_user_agent',
    ],
    ['curl', 'curl/8.5.0', 'bot_user_agent'],
    ['python-requests', 'python-requests/2.31.0', 'bot_user_agent'],
    ['Go', 'Go-http-client/1.1', 'bot_user_agent'],
    [
      'BingPreview (Outlook and Teams link previews)',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.74 Safari/537.36 Edg/79.0.309.43 BingPreview/1.0b',
      'scanner_user_agent',
    ],
    ['Barracuda', 'Barracuda Sentinel (EE)', 'scanner_user_agent'],
    ['Proofpoint', 'Proofpoint URL Defense', 'scanner_user_agent'],
    ['Mimecast', 'Mozilla/5.0 (compatible; Mimecast-URL-Protect/1.0)', 'scanner_user_agent'],
    ['Cisco IronPort', 'Cisco IronPort URL Scanner', 'scanner_user_agent'],
    ['Office existence discovery', 'Microsoft Office Existence Discovery', 'scanner_user_agent'],
    [
      'the Office client',
      'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)',
      'scanner_user_agent',
    ],
    ['ms-office', 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)', 'scanner_user_agent'],
  ]
  for (const [name, userAgent, reason] of agents) {
    it(`flags ${name} as ${reason}`, () =>
      expect(botVerdict({ userAgent, type: 'email_click', occurredAt: at })).toEqual({
        isBot: true,
        reason,
      }))
  }

  it('matches user agents case-insensitively', () => {
    expect(botVerdict({ userAgent: 'GOOGLEBOT/2.1', type: 'page_view', occurredAt: at })).toEqual({
      isBot: true,
      reason: 'bot_user_agent',
    })
  })

  it('prefers the scanner reason when an agent is both', () => {
    const userAgent = 'Mozilla/5.0 (compatible; ProofpointBot/1.0)'
    expect(botVerdict({ userAgent, type: 'page_view', occurredAt: at }).reason).toBe(
      'scanner_user_agent',
    )
  })

  it('does not flag a missing, null or empty user agent (server-side libraries send none)', () => {
    for (const userAgent of [undefined, null, '', '   ']) {
      expect(botVerdict({ userAgent, type: 'page_view', occurredAt: at }).isBot).toBe(false)
    }
  })
})

describe('botVerdict on instant clicks', () => {
  it('flags an email click within 10 seconds of delivery', () => {
    expect(botVerdict({ type: 'email_click', deliveredAt: at, occurredAt: seconds(3) })).toEqual({
      isBot: true,
      reason: 'instant_click',
    })
  })

  it('flags an ad click within 10 seconds of its impression', () => {
    expect(botVerdict({ type: 'ad_click', deliveredAt: at, occurredAt: seconds(1) }).reason).toBe(
      'instant_click',
    )
  })

  it('flags a click exactly at the limit, not one just after', () => {
    expect(
      botVerdict({ type: 'email_click', deliveredAt: at, occurredAt: seconds(10) }).isBot,
    ).toBe(true)
    expect(
      botVerdict({ type: 'email_click', deliveredAt: at, occurredAt: seconds(10.001) }).isBot,
    ).toBe(false)
  })

  it('flags a click dated before its delivery', () => {
    expect(
      botVerdict({ type: 'email_click', deliveredAt: at, occurredAt: seconds(-30) }).reason,
    ).toBe('instant_click')
  })

  it('does not flag a click a minute after delivery', () => {
    expect(botVerdict({ type: 'email_click', deliveredAt: at, occurredAt: seconds(60) })).toEqual({
      isBot: false,
      reason: null,
    })
  })

  it('takes the window as a parameter', () => {
    const input = { type: 'email_click', deliveredAt: at, occurredAt: seconds(20) }
    expect(botVerdict(input).isBot).toBe(false)
    expect(botVerdict(input, { instantClickSeconds: 30 }).reason).toBe('instant_click')
  })

  it('ignores delivery time for other types and clicks without a delivery time', () => {
    expect(botVerdict({ type: 'email_open', deliveredAt: at, occurredAt: seconds(1) }).isBot).toBe(
      false,
    )
    expect(botVerdict({ type: 'page_view', deliveredAt: at, occurredAt: seconds(1) }).isBot).toBe(
      false,
    )
    expect(
      botVerdict({ type: 'email_click', deliveredAt: null, occurredAt: seconds(1) }).isBot,
    ).toBe(false)
  })

  it('gives the user agent reason before the timing', () => {
    const verdict = botVerdict({
      userAgent: 'Barracuda Sentinel (EE)',
      type: 'email_click',
      deliveredAt: at,
      occurredAt: seconds(1),
    })
    expect(verdict.reason).toBe('scanner_user_agent')
  })
})
