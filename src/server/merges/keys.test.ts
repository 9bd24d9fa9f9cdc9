import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import {
  accountDuplicateKey,
  contactDuplicateKey,
  contactDuplicateReasons,
} from '../../domain/duplicates.ts'
import { accountKeySql, contactKeySql } from './keys.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

const contacts = [
  {
    email: ' Ada+news@Example.COM ',
    firstName: ' Ada ',
    lastName: 'LOVELACE',
    phone: '+49 (30) 1234567',
  },
  { email: 'ada@ex+ample.com', firstName: null, lastName: 'Lovelace  King', phone: '12' },
  { email: 'no-at-sign', firstName: 'Grace', lastName: null, phone: null },
  { email: null, firstName: '  ', lastName: null, phone: '555 0100 200' },
  { email: 'JÖRG+x+y@Example.com', firstName: 'JÖRG', lastName: ' Ünal\t', phone: '0049-30-99' },
]
const accountId = '0190b1a4-0000-7000-8000-000000000001'

const accounts = [
  { name: 'ACME Robotics, Inc.', domain: 'https://www.Example.com/about' },
  { name: 'Müller GmbH & Co. KG', domain: 'example.com.' },
  { name: 'Co-Op Foods', domain: 'http://eu.example.com:8080' },
  { name: 'Inc.', domain: null },
  { name: '...', domain: '   ' },
  { name: 'MÜLLER Ltd', domain: 'WWW.Müller.example' },
  { name: "O'Reilly\tMedia  LLC", domain: ' ftp://files.example/x ' },
]

describe('SQL duplicate keys', () => {
  it('give the same contact keys as the domain rules', async () => {
    for (const contact of contacts) {
      for (const reason of contactDuplicateReasons) {
        const row = await sql<{ key: string | null }>`
          select ${contactKeySql[reason]} as key from (select ${contact.email}::text as email,
            ${contact.firstName}::text as first_name, ${contact.lastName}::text as last_name,
            ${contact.phone}::text as phone, ${accountId}::uuid as account_id) x
        `.execute(t.ctx.db)
        const expected = contactDuplicateKey(reason, { ...contact, accountId }) ?? null
        expect([reason, contact, row.rows[0]?.key]).toEqual([reason, contact, expected])
      }
    }
  })

  it('give the same account keys as the domain rules', async () => {
    for (const account of accounts) {
      for (const reason of ['domain', 'name'] as const) {
        const row = await sql<{ key: string | null }>`
          select ${accountKeySql[reason]} as key
          from (select ${account.name}::text as name, ${account.domain}::text as domain) x
        `.execute(t.ctx.db)
        const expected = accountDuplicateKey(reason, account) ?? null
        expect([reason, account, row.rows[0]?.key]).toEqual([reason, account, expected])
      }
    }
  })
})
