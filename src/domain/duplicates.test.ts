import { describe, expect, it } from 'vitest'
import {
  accountDuplicateKey,
  contactDuplicateKey,
  groupDuplicates,
  normalizeCompanyName,
  normalizeDomainKey,
  normalizeEmailKey,
  normalizePersonName,
  normalizePhoneKey,
} from './duplicates.ts'

describe('normalisers', () => {
  const cases: [string, (v: string) => string | undefined, string, string | undefined][] = [
    ['email: case and spaces', normalizeEmailKey, ' Ada@Example.COM ', 'ada@example.com'],
    ['email: plus-addressing', normalizeEmailKey, 'ada+news@example.com', 'ada@example.com'],
    [
      'email: a plus in the domain stays',
      normalizeEmailKey,
      'ada@ex+ample.com',
      'ada@ex+ample.com',
    ],
    ['email: blank', normalizeEmailKey, '  ', undefined],
    ['phone: digits only', normalizePhoneKey, '+49 (30) 123-4567', '49301234567'],
    ['phone: too short to match', normalizePhoneKey, 'ext. 12', undefined],
    [
      'domain: scheme, www and path',
      normalizeDomainKey,
      'https://www.Example.com/about',
      'example.com',
    ],
    ['domain: trailing dot', normalizeDomainKey, 'example.com.', 'example.com'],
    ['domain: port', normalizeDomainKey, 'http://example.com:8080', 'example.com'],
    ['domain: subdomains stay', normalizeDomainKey, 'eu.example.com', 'eu.example.com'],
    [
      'company: legal suffix and punctuation',
      normalizeCompanyName,
      'ACME Robotics, Inc.',
      'acme robotics',
    ],
    ['company: several suffixes', normalizeCompanyName, 'Müller GmbH & Co. KG', 'müller'],
    ['company: only ASCII is folded', normalizeCompanyName, 'MÜLLER AG', 'mÜller'],
    [
      'company: a suffix word inside the name stays',
      normalizeCompanyName,
      'Co-Op Foods',
      'co op foods',
    ],
    ['company: only a suffix keeps the word', normalizeCompanyName, 'Inc.', 'inc'],
    ['company: nothing but punctuation', normalizeCompanyName, '...', undefined],
  ]
  for (const [name, normalise, input, expected] of cases) {
    it(name, () => expect(normalise(input)).toBe(expected))
  }

  it('joins first and last name, lower-cased with spaces collapsed', () => {
    expect(normalizePersonName(' Ada ', 'LOVELACE  King')).toBe('ada lovelace king')
    expect(normalizePersonName(null, '  ')).toBeUndefined()
  })
})

describe('duplicate keys', () => {
  it('needs a name and a phone for name_phone', () => {
    expect(contactDuplicateKey('name_phone', { firstName: 'Ada', phone: '030 1234567' })).toBe(
      'ada|0301234567',
    )
    expect(contactDuplicateKey('name_phone', { firstName: 'Ada' })).toBeUndefined()
    expect(contactDuplicateKey('name_phone', { phone: '030 1234567' })).toBeUndefined()
  })

  it('needs a name and an account for name_company', () => {
    expect(contactDuplicateKey('name_company', { lastName: 'Lovelace', accountId: 'a1' })).toBe(
      'lovelace|a1',
    )
    expect(contactDuplicateKey('name_company', { lastName: 'Lovelace' })).toBeUndefined()
  })

  it('matches accounts by domain or normalised name', () => {
    expect(accountDuplicateKey('domain', { domain: 'www.acme.example' })).toBe('acme.example')
    expect(accountDuplicateKey('name', { name: 'Acme Ltd' })).toBe('acme')
  })
})

describe('groupDuplicates', () => {
  it('keeps groups of two or more, in first-seen order', () => {
    const people = [
      { id: 1, email: 'a@x.example' },
      { id: 2, email: 'b@x.example' },
      { id: 3, email: 'A+1@x.example' },
      { id: 4, email: null },
      { id: 5, email: null },
      { id: 6, email: 'b@x.example' },
    ]
    const groups = groupDuplicates(people, (p) => normalizeEmailKey(p.email))
    expect(groups.map((g) => [g.key, g.records.map((r) => r.id)])).toEqual([
      ['a@x.example', [1, 3]],
      ['b@x.example', [2, 6]],
    ])
  })
})
