import { describe, expect, it } from 'vitest'
import {
  type ChannelInput,
  type ChannelRules,
  classifyChannel,
  defaultChannelRules,
  hostOf,
} from './channels.ts'
import type { Channel } from './touchpoints.ts'

describe('classifyChannel, one case per row of the DEFINITIONS.md table', () => {
  const cases: { name: string; input: ChannelInput; channel: Channel }[] = [
    {
      name: 'a rep-initiated activity is sales, whatever its UTM or referrer',
      input: { repInitiated: true, utm: { medium: 'cpc' }, referrer: 'https://www.google.com/' },
      channel: 'sales',
    },
    { name: 'cpc is paid search', input: { utm: { medium: 'cpc' } }, channel: 'paid_search' },
    { name: 'ppc is paid search', input: { utm: { medium: 'ppc' } }, channel: 'paid_search' },
    { name: 'sem is paid search', input: { utm: { medium: 'sem' } }, channel: 'paid_search' },
    {
      name: 'paid_search is paid search',
      input: { utm: { medium: 'paid_search' } },
      channel: 'paid_search',
    },
    {
      name: 'paid_social is paid social',
      input: { utm: { medium: 'paid_social' } },
      channel: 'paid_social',
    },
    {
      name: 'social_paid is paid social',
      input: { utm: { medium: 'social_paid' } },
      channel: 'paid_social',
    },
    {
      name: 'cpm with a social utm_source is paid social',
      input: { utm: { medium: 'cpm', source: 'linkedin' } },
      channel: 'paid_social',
    },
    {
      name: 'cpm with a social source written as a host is paid social',
      input: { utm: { medium: 'cpm', source: 'l.facebook.com' } },
      channel: 'paid_social',
    },
    {
      name: 'cpm with a social source as the first word is paid social',
      input: { utm: { medium: 'cpm', source: 'Facebook Ads' } },
      channel: 'paid_social',
    },
    {
      name: 'cpm with a non-social source is display',
      input: { utm: { medium: 'cpm', source: 'doubleclick' } },
      channel: 'display',
    },
    {
      name: 'cpm without a source is display',
      input: { utm: { medium: 'cpm' } },
      channel: 'display',
    },
    { name: 'display is display', input: { utm: { medium: 'display' } }, channel: 'display' },
    { name: 'banner is display', input: { utm: { medium: 'banner' } }, channel: 'display' },
    { name: 'email is email', input: { utm: { medium: 'email' } }, channel: 'email' },
    { name: 'newsletter is email', input: { utm: { medium: 'newsletter' } }, channel: 'email' },
    { name: 'event is events', input: { utm: { medium: 'event' } }, channel: 'events' },
    { name: 'webinar is events', input: { utm: { medium: 'webinar' } }, channel: 'events' },
    { name: 'conference is events', input: { utm: { medium: 'conference' } }, channel: 'events' },
    { name: 'partner is partner', input: { utm: { medium: 'partner' } }, channel: 'partner' },
    { name: 'affiliate is partner', input: { utm: { medium: 'affiliate' } }, channel: 'partner' },
    {
      name: 'social is organic social',
      input: { utm: { medium: 'social', source: 'linkedin' } },
      channel: 'organic_social',
    },
    {
      name: 'organic_social is organic social',
      input: { utm: { medium: 'organic_social' } },
      channel: 'organic_social',
    },
    {
      name: 'an unknown medium is other, even with a search referrer',
      input: { utm: { medium: 'print' }, referrer: 'https://www.google.com/' },
      channel: 'other',
    },
    {
      name: 'a campaign alone is other',
      input: { utm: { campaign: 'spring' }, referrer: 'https://news.example.org/' },
      channel: 'other',
    },
    { name: 'a source alone is other', input: { utm: { source: 'linkedin' } }, channel: 'other' },
    { name: 'a term alone is other', input: { utm: { term: 'crm' } }, channel: 'other' },
    { name: 'a content alone is other', input: { utm: { content: 'cta-b' } }, channel: 'other' },
    {
      name: 'a search engine referrer is organic search',
      input: { referrer: 'https://www.google.com/search?q=tandem' },
      channel: 'organic_search',
    },
    {
      name: 'a social network referrer is organic social',
      input: { referrer: 'https://l.facebook.com/l.php?u=x' },
      channel: 'organic_social',
    },
    {
      name: 'another site is referral',
      input: { referrer: 'https://news.example.org/post', pageHost: 'tandem.example.com' },
      channel: 'referral',
    },
    { name: 'no referrer and no UTM is direct', input: {}, channel: 'direct' },
  ]
  for (const { name, input, channel } of cases) {
    it(name, () => expect(classifyChannel(input)).toBe(channel))
  }
})

describe('classifyChannel, normalisation and edges', () => {
  const cases: { name: string; input: ChannelInput; channel: Channel }[] = [
    {
      name: 'reads mediums case-insensitively and trimmed',
      input: { utm: { medium: '  CPC ' } },
      channel: 'paid_search',
    },
    {
      name: 'reads a hyphen or space in a medium as an underscore',
      input: { utm: { medium: 'Paid-Social' } },
      channel: 'paid_social',
    },
    {
      name: 'reads an upper-case social source',
      input: { utm: { medium: 'CPM', source: 'LinkedIn' } },
      channel: 'paid_social',
    },
    {
      name: 'treats empty and blank UTM values as absent',
      input: { utm: { source: '', medium: '  ', campaign: '' }, referrer: 'https://bing.com/' },
      channel: 'organic_search',
    },
    {
      name: 'treats a null utm as absent',
      input: { utm: null, referrer: null, pageHost: null },
      channel: 'direct',
    },
    {
      name: 'repInitiated false is not sales',
      input: { repInitiated: false, utm: { medium: 'email' } },
      channel: 'email',
    },
    {
      name: 'an empty referrer is direct',
      input: { referrer: '', pageHost: 'tandem.example.com' },
      channel: 'direct',
    },
    { name: 'a blank referrer is direct', input: { referrer: '   ' }, channel: 'direct' },
    { name: 'about:blank is direct', input: { referrer: 'about:blank' }, channel: 'direct' },
    {
      name: 'a referrer on the page host is direct',
      input: { referrer: 'https://tandem.example.com/pricing', pageHost: 'tandem.example.com' },
      channel: 'direct',
    },
    {
      name: 'a referrer on the page host ignores www, ports and case',
      input: {
        referrer: 'HTTP://WWW.Tandem.example.com:8443/a',
        pageHost: 'tandem.example.com:443',
      },
      channel: 'direct',
    },
    {
      name: 'a page host given as a URL is read as a host',
      input: { referrer: 'https://tandem.example.com/a', pageHost: 'https://tandem.example.com/b' },
      channel: 'direct',
    },
    {
      name: 'a referrer on the page host with UTM follows the UTM',
      input: {
        referrer: 'https://tandem.example.com/',
        pageHost: 'tandem.example.com',
        utm: { medium: 'email' },
      },
      channel: 'email',
    },
    {
      name: 'a subdomain of the page host is another site',
      input: { referrer: 'https://blog.tandem.example.com/', pageHost: 'tandem.example.com' },
      channel: 'referral',
    },
    {
      name: 'an IP referrer is referral',
      input: { referrer: 'http://192.168.1.20:8080/x', pageHost: 'tandem.example.com' },
      channel: 'referral',
    },
    {
      name: 'an IP referrer equal to the page host is direct',
      input: { referrer: 'http://127.0.0.1:3000/x', pageHost: '127.0.0.1:3000' },
      channel: 'direct',
    },
    {
      name: 'an IPv6 referrer is referral',
      input: { referrer: 'http://[2001:db8::1]/', pageHost: 'tandem.example.com' },
      channel: 'referral',
    },
    {
      name: 'a bare host referrer with a port is read',
      input: { referrer: 'www.bing.com:443/search' },
      channel: 'organic_search',
    },
    {
      name: 'a country search domain is organic search',
      input: { referrer: 'https://www.google.co.uk/' },
      channel: 'organic_search',
    },
    {
      name: 'a single-label country search domain is organic search',
      input: { referrer: 'https://www.google.de/' },
      channel: 'organic_search',
    },
    {
      name: 'yahoo japan is organic search',
      input: { referrer: 'https://search.yahoo.co.jp/' },
      channel: 'organic_search',
    },
    {
      name: 'a listed search host with a dot matches its subdomains only',
      input: { referrer: 'https://search.brave.com/search?q=x' },
      channel: 'organic_search',
    },
    {
      name: 'brave.com itself is not a search engine',
      input: { referrer: 'https://brave.com/' },
      channel: 'referral',
    },
    {
      name: 'a search name under another site is referral',
      input: { referrer: 'https://google.example.com/' },
      channel: 'referral',
    },
    {
      name: 'a search name over a non-country second level is referral',
      input: { referrer: 'https://google.attacker.io/' },
      channel: 'referral',
    },
    {
      name: 'a search name inside a longer label is referral',
      input: { referrer: 'https://notgoogle.com/' },
      channel: 'referral',
    },
    {
      name: 'duckduckgo',
      input: { referrer: 'https://duckduckgo.com/' },
      channel: 'organic_search',
    },
    { name: 'ecosia', input: { referrer: 'https://www.ecosia.org/' }, channel: 'organic_search' },
    { name: 'yandex', input: { referrer: 'https://yandex.ru/search' }, channel: 'organic_search' },
    { name: 'baidu', input: { referrer: 'https://www.baidu.com/' }, channel: 'organic_search' },
    { name: 'lnkd.in', input: { referrer: 'https://lnkd.in/abc' }, channel: 'organic_social' },
    { name: 't.co', input: { referrer: 'https://t.co/xyz' }, channel: 'organic_social' },
    { name: 'x.com', input: { referrer: 'https://x.com/someone' }, channel: 'organic_social' },
    {
      name: 'a host ending in x.com is not x',
      input: { referrer: 'https://netflix.com/' },
      channel: 'referral',
    },
    {
      name: 'a host ending in t.co is not t.co',
      input: { referrer: 'https://at.co/' },
      channel: 'referral',
    },
    {
      name: 'linkedin',
      input: { referrer: 'https://www.linkedin.com/feed/' },
      channel: 'organic_social',
    },
    {
      name: 'youtube mobile',
      input: { referrer: 'https://m.youtube.com/watch?v=1' },
      channel: 'organic_social',
    },
    {
      name: 'reddit',
      input: { referrer: 'https://old.reddit.com/r/x' },
      channel: 'organic_social',
    },
    {
      name: 'an app referrer is another site',
      input: { referrer: 'android-app://com.slack/' },
      channel: 'referral',
    },
  ]
  for (const { name, input, channel } of cases) {
    it(name, () => expect(classifyChannel(input)).toBe(channel))
  }
})

describe('classifyChannel with a workspace rule set', () => {
  const rules: ChannelRules = {
    ...defaultChannelRules,
    emailMediums: ['email', 'newsletter', 'Drip'],
    searchEngines: [...defaultChannelRules.searchEngines, 'perplexity.ai'],
    socialNetworks: ['mastodon.social'],
  }

  it('uses the workspace medium lists, normalised', () => {
    expect(classifyChannel({ utm: { medium: 'drip' } }, rules)).toBe('email')
    expect(classifyChannel({ utm: { medium: 'drip' } })).toBe('other')
  })

  it('uses the workspace search engines', () => {
    expect(classifyChannel({ referrer: 'https://www.perplexity.ai/' }, rules)).toBe(
      'organic_search',
    )
    expect(classifyChannel({ referrer: 'https://www.perplexity.ai/' })).toBe('referral')
  })

  it('uses the workspace social networks, replacing the defaults', () => {
    expect(classifyChannel({ referrer: 'https://facebook.com/' }, rules)).toBe('referral')
    expect(classifyChannel({ referrer: 'https://mastodon.social/@a' }, rules)).toBe(
      'organic_social',
    )
  })

  it('lets a workspace make cpm always display by emptying the social-cpm mediums', () => {
    const noSocialCpm = { ...defaultChannelRules, socialSourceMediums: [] }
    expect(classifyChannel({ utm: { medium: 'cpm', source: 'facebook' } }, noSocialCpm)).toBe(
      'display',
    )
  })
})

describe('hostOf', () => {
  const cases: [string | null | undefined, string | null][] = [
    ['https://www.Google.com/search?q=x', 'www.google.com'],
    ['www.google.com', 'www.google.com'],
    ['example.com:8080', 'example.com'],
    ['localhost:3000', 'localhost'],
    ['https://example.com./', 'example.com'],
    ['http://10.0.0.1:80/', '10.0.0.1'],
    ['', null],
    [null, null],
    [undefined, null],
    ['about:blank', null],
    ['http://', null],
  ]
  for (const [value, host] of cases) {
    it(`reads ${JSON.stringify(value)} as ${JSON.stringify(host)}`, () =>
      expect(hostOf(value)).toBe(host))
  }
})
