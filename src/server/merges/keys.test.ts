import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import {
  accountDuplicateKey,
  accountDuplicateReasons,
  contactDuplicateKey,
  contactDuplicateReasons,
} from '../../domain/duplicates.ts'
import { accountKeyColumn, accountKeySql, contactKeyColumn, contactKeySql } from './keys.ts'

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

describe('stored duplicate keys', () => {
  let workspaceId: string
  beforeAll(async () => {
    ;({ workspaceId } = await makeWorkspace(t, 'Keys Co'))
    await t.ctx.db
      .insertInto('accounts')
      .values({ workspaceId, id: accountId, name: 'Key Holder' })
      .execute()
  })

  it('hold the domain keys of each contact', async () => {
    for (const contact of contacts) {
      const id = uuidv7()
      await t.ctx.db
        .insertInto('contacts')
        .values({ workspaceId, id, ...contact, accountId })
        .execute()
      const stored = await t.ctx.db
        .selectFrom('contacts')
        .select(['dupEmail', 'dupNamePhone', 'dupNameCompany'])
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      const byColumn = {
        dup_email: stored.dupEmail,
        dup_name_phone: stored.dupNamePhone,
        dup_name_company: stored.dupNameCompany,
      }
      for (const reason of contactDuplicateReasons) {
        const expected = contactDuplicateKey(reason, { ...contact, accountId }) ?? null
        const value = byColumn[contactKeyColumn[reason]]
        expect([reason, contact, value]).toEqual([reason, contact, expected])
      }
    }
  })

  it('hold the domain keys of each account', async () => {
    for (const account of accounts) {
      const id = uuidv7()
      await t.ctx.db
        .insertInto('accounts')
        .values({ workspaceId, id, name: account.name, domain: account.domain })
        .execute()
      const stored = await t.ctx.db
        .selectFrom('accounts')
        .select(['dupDomain', 'dupName'])
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      const byColumn = { dup_domain: stored.dupDomain, dup_name: stored.dupName }
      for (const reason of accountDuplicateReasons) {
        const value = byColumn[accountKeyColumn[reason]]
        const expected = accountDuplicateKey(reason, account) ?? null
        expect([reason, account, value]).toEqual([reason, account, expected])
      }
    }
  })
})
