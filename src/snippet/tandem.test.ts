import { webcrypto } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  byteLength,
  chunkEvents,
  type FormField,
  formTraits,
  isDoNotTrack,
  parseUtm,
  retryDelayMs,
  uuid,
} from './helpers.ts'

describe('parseUtm', () => {
  it.each([
    [
      '?utm_source=google&utm_medium=cpc&utm_campaign=brand-search',
      { source: 'google', medium: 'cpc', name: 'brand-search' },
    ],
    ['utm_term=robot+arms&utm_content=ad%201&x=1', { term: 'robot arms', content: 'ad 1' }],
    ['?UTM_SOURCE=Newsletter', { source: 'Newsletter' }],
    ['?utm_source=%E0%A4%A&utm_medium=email', { source: '%E0%A4%A', medium: 'email' }],
    ['?utm_source=first&utm_source=second', { source: 'first' }],
    ['?utm_source=  spaced  ', { source: 'spaced' }],
    [`?utm_campaign=${'x'.repeat(300)}`, { name: 'x'.repeat(200) }],
  ])('reads %s', (search, campaign) => {
    expect(parseUtm(search)).toEqual(campaign)
  })

  it.each([[''], ['?'], ['?q=robots'], ['?utm_source='], ['?utm_source'], ['?utm_other=1']])(
    'finds no campaign in %j',
    (search) => {
      expect(parseUtm(search)).toBeUndefined()
    },
  )
})

describe('isDoNotTrack', () => {
  it.each([
    [{ doNotTrack: '1' }, {}, true],
    [{ doNotTrack: 'yes' }, {}, true],
    [{ doNotTrack: null }, { doNotTrack: '1' }, true],
    [{ globalPrivacyControl: true }, {}, true],
    [{ doNotTrack: '0' }, {}, false],
    [{ doNotTrack: 'unspecified', globalPrivacyControl: false }, {}, false],
    [{}, {}, false],
    [undefined, undefined, false],
  ])('navigator %j, window %j → %s', (nav, win, expected) => {
    expect(isDoNotTrack(nav, win)).toBe(expected)
  })
})

describe('formTraits', () => {
  const field = (name: string, value: string, type = 'text', autocomplete = ''): FormField => ({
    name,
    type,
    value,
    autocomplete,
  })

  it('takes the email and the named fields of a sign-up form', () => {
    expect(
      formTraits([
        field('Email', ' ada@example.com ', 'email'),
        field('first_name', 'Ada'),
        field('contact[last-name]', 'Lovelace'),
        field('company', 'Analytical Engines'),
        field('phone', '+44 20 7946 0000', 'tel'),
        field('message', 'Hello'),
      ]),
    ).toEqual({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      phone: '+44 20 7946 0000',
    })
  })

  it('finds the email field by its type or by its name', () => {
    expect(formTraits([field('work', 'a@b.example', 'email')])).toEqual({ email: 'a@b.example' })
    expect(formTraits([field('EMAIL', 'a@b.example')])).toEqual({ email: 'a@b.example' })
  })

  it('answers undefined for a form without an email field', () => {
    expect(formTraits([field('q', 'robots', 'search'), field('name', 'Ada')])).toBeUndefined()
  })

  it('leaves out an email that is not one, but still knows the form has an email field', () => {
    expect(formTraits([field('email', 'not an email', 'email'), field('name', 'Ada')])).toEqual({
      name: 'Ada',
    })
    expect(formTraits([field('email', '', 'email')])).toEqual({})
  })

  it('never takes hidden, password or file inputs nor card, SSN or password fields', () => {
    expect(
      formTraits([
        field('email', 'ada@example.com', 'email'),
        field('name', 'Hidden Name', 'hidden'),
        field('phone', '123', 'password'),
        field('company', 'file.pdf', 'file'),
        field('card_name', 'Ada L'),
        field('cc-number', '4111111111111111'),
        field('ssn', '078-05-1120'),
        field('password', 'hunter2'),
        field('phone', '4111111111111111', 'text', 'cc-number'),
      ]),
    ).toEqual({ email: 'ada@example.com' })
  })

  it('keeps the first of two fields for one trait', () => {
    expect(
      formTraits([
        field('email', 'first@example.com'),
        field('emailAddress', 'second@example.com'),
      ]),
    ).toEqual({ email: 'first@example.com' })
  })
})

describe('chunkEvents', () => {
  const size = (event: string) => event.length

  it('keeps events in order in chunks under the byte limit and the count', () => {
    expect(chunkEvents(['aaaa', 'bbbb', 'cccc'], size, 10)).toEqual([['aaaa', 'bbbb'], ['cccc']])
    expect(chunkEvents(['a', 'b', 'c', 'd', 'e'], size, 100, 2)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ])
  })

  it('sends an event over the limit alone rather than never', () => {
    expect(chunkEvents(['a', 'x'.repeat(50), 'b'], size, 10)).toEqual([
      ['a'],
      ['x'.repeat(50)],
      ['b'],
    ])
    expect(chunkEvents([], size, 10)).toEqual([])
  })

  it('keeps each beacon body of real events under 60 KB', () => {
    const events = Array.from({ length: 100 }, (_, i) => ({ i, text: 'é'.repeat(1500) }))
    const sizeOf = (event: object) => byteLength(JSON.stringify(event))
    const chunks = chunkEvents(events, sizeOf, 59_500)
    expect(chunks.flat()).toEqual(events)
    for (const chunk of chunks) {
      const body = JSON.stringify({ batch: chunk, writeKey: `wk_${'x'.repeat(32)}`, sentAt: '' })
      expect(byteLength(body)).toBeLessThan(60_000)
    }
  })
})

describe('retryDelayMs', () => {
  it('doubles from 1 s up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(retryDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ])
  })
})

describe('uuid', () => {
  const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it.each([
    ['crypto.randomUUID', webcrypto],
    // Pages over plain HTTP have no randomUUID; very old browsers no crypto at all.
    ['crypto.getRandomValues', { getRandomValues: webcrypto.getRandomValues.bind(webcrypto) }],
    ['Math.random', undefined],
  ])('answers distinct version 4 UUIDs with %s', (_, crypto) => {
    vi.stubGlobal('crypto', crypto)
    const ids = new Set(Array.from({ length: 200 }, uuid))
    expect(ids.size).toBe(200)
    for (const id of ids) expect(id).toMatch(v4)
  })
})
