import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { Principal } from '../auth/principal.ts'
import { runImport } from './engine.ts'
import type { ImportOptions, RowError } from './types.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let actor: Principal

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Rules'))
  actor = {
    kind: 'user',
    userId: owner.userId,
    name: 'Owner',
    email: owner.email,
    workspaceId,
    role: 'admin',
  }
})
afterAll(async () => t.close())

async function importText(
  text: string,
  options: Partial<ImportOptions> & Pick<ImportOptions, 'entity'>,
) {
  const errors: RowError[] = []
  const result = await runImport(t.ctx.db, {
    workspaceId,
    actor,
    input: Readable.from([Buffer.from(text)]),
    onRowError: (e) => errors.push(e),
    ...options,
  })
  return { result, errors }
}

const dealNamed = (name: string) =>
  t.ctx.db
    .selectFrom('deals')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow()

describe('import rules', () => {
  it('imports a deal in a lost stage without a loss reason as "not recorded"', async () => {
    const { result, errors } = await importText(
      'name,stage,amount\nOld loss,Closed lost,100\nOld win,Closed won,200\n',
      { entity: 'deals' },
    )
    expect(errors).toEqual([])
    expect(result.imported).toBe(2)
    const deal = await dealNamed('Old loss')
    expect(deal).toMatchObject({
      lossReason: null,
      marketingCouldHelp: null,
      forecastCategory: 'omitted',
    })
    expect(deal.closedAt).not.toBeNull()
  })

  it("keeps HubSpot's free-text loss reason in the notes, and reads one of ours as ours", async () => {
    const file = [
      'Deal Name,Deal Stage,Closed Lost Reason,Record ID',
      'Lost A,Closed Lost,Went with a cheaper vendor,hs-1',
      'Lost B,Closed Lost,Price,hs-2',
    ].join('\n')
    const { errors } = await importText(file, { entity: 'deals', preset: 'hubspot' })
    expect(errors).toEqual([])
    expect(await dealNamed('Lost A')).toMatchObject({
      lossReason: null,
      lossNotes: 'Went with a cheaper vendor',
    })
    expect(await dealNamed('Lost B')).toMatchObject({ lossReason: 'price', lossNotes: null })
  })

  it('refuses a row whose external id belongs to a record in the Trash, one row error each', async () => {
    const seed = [
      ['accounts', 'name,domain,externalSource,externalId\nBin Co,bin.example,crm,t-1\n'],
      ['products', 'name,price,externalSource,externalId\nBin Widget,10,crm,t-1\n'],
      ['campaigns', 'name,channel,externalSource,externalId\nBin Camp,email,crm,t-1\n'],
      ['deals', 'name,externalSource,externalId\nBin Deal,crm,t-1\n'],
      ['activities', 'type,subject,externalSource,externalId\nnote,Bin note,crm,t-1\n'],
    ] as const
    for (const [entity, text] of seed) {
      const { errors } = await importText(text, { entity })
      expect(errors, entity).toEqual([])
      await t.ctx.db
        .updateTable(entity)
        .set({ deletedAt: new Date() })
        .where('workspaceId', '=', workspaceId)
        .where('externalId', '=', 't-1')
        .execute()
    }
    const again = {
      accounts: 'name,externalSource,externalId\nBin Co again,crm,t-1\nFresh Co,crm,t-2\n',
      products: 'name,externalSource,externalId\nBin Widget 2,crm,t-1\nFresh Widget,crm,t-2\n',
      campaigns:
        'name,channel,externalSource,externalId\nBin 2,email,crm,t-1\nFresh,email,crm,t-2\n',
      deals: 'name,externalSource,externalId\nBin Deal 2,crm,t-1\nFresh Deal,crm,t-2\n',
      activities:
        'type,subject,externalSource,externalId\nnote,Again,crm,t-1\nnote,Fresh,crm,t-2\n',
    }
    for (const [entity, text] of Object.entries(again) as [keyof typeof again, string][]) {
      const { result, errors } = await importText(text, { entity })
      expect(errors, entity).toEqual([
        {
          line: 2,
          column: 'externalId',
          reason: expect.stringMatching(/^externalId: belongs to an? \w+ in the Trash/),
        },
      ])
      expect(result.imported, entity).toBe(1)
    }
  })

  it('updates the surviving account when a row names one merged into it', async () => {
    await importText(
      [
        'name,domain,externalSource,externalId,industry',
        'Keeper,keeper.example,crm,k-1,retail',
        'Loser,loser.example,crm,l-1,retail',
        'Older loser,older.example,crm,l-0,retail',
      ].join('\n'),
      { entity: 'accounts' },
    )
    const ids = await t.ctx.db
      .selectFrom('accounts')
      .select(['id', 'externalId'])
      .where('workspaceId', '=', workspaceId)
      .where('externalId', 'in', ['k-1', 'l-1', 'l-0'])
      .execute()
    const id = (ext: string) => ids.find((a) => a.externalId === ext)?.id ?? ''
    // As merges/queries.ts leaves them: in the Trash, pointing at what absorbed them (l-0 was
    // merged into l-1 before l-1 was merged into the keeper: a chain).
    const retire = (loser: string, survivor: string) =>
      t.ctx.db
        .updateTable('accounts')
        .set({ deletedAt: new Date(), mergedInto: id(survivor) })
        .where('id', '=', id(loser))
        .execute()
    await retire('l-0', 'l-1')
    await retire('l-1', 'k-1')
    const { result, errors } = await importText(
      [
        'name,domain,externalSource,externalId,industry,tier',
        'Loser,,crm,l-1,software,',
        'Older loser,,crm,l-0,,A',
        'Loser by domain,loser.example,,,,',
      ].join('\n'),
      { entity: 'accounts' },
    )
    expect(errors).toEqual([])
    expect(result).toMatchObject({ created: 0 })
    const live = await t.ctx.db
      .selectFrom('accounts')
      .select(['id', 'name', 'domain', 'externalId', 'industry', 'tier'])
      .where('workspaceId', '=', workspaceId)
      .where('deletedAt', 'is', null)
      .where('name', 'in', ['Keeper', 'Loser', 'Older loser', 'Loser by domain'])
      .execute()
    // The survivor took the values and kept its own name, domain and external id.
    expect(live).toEqual([
      {
        id: id('k-1'),
        name: 'Keeper',
        domain: 'keeper.example',
        externalId: 'k-1',
        industry: 'software',
        tier: 'A',
      },
    ])
  })

  it('links a contact naming a merged account by its old domain to the survivor', async () => {
    const { errors } = await importText(
      'email,accountDomain\nlinked@merge.example,loser.example\n',
      {
        entity: 'contacts',
      },
    )
    expect(errors).toEqual([])
    const contact = await t.ctx.db
      .selectFrom('contacts')
      .innerJoin('accounts', 'accounts.id', 'contacts.accountId')
      .select(['accounts.externalId', 'accounts.deletedAt'])
      .where('contacts.workspaceId', '=', workspaceId)
      .where('contacts.email', '=', 'linked@merge.example')
      .executeTakeFirstOrThrow()
    expect(contact).toEqual({ externalId: 'k-1', deletedAt: null })
  })

  it('updates the surviving contact when a row names one merged into it by email', async () => {
    await importText('email,firstName\nkeep@merge.example,Keep\ngone@merge.example,Gone\n', {
      entity: 'contacts',
    })
    const rows = await t.ctx.db
      .selectFrom('contacts')
      .select(['id', 'email'])
      .where('workspaceId', '=', workspaceId)
      .where('email', 'like', '%@merge.example')
      .execute()
    const keep = rows.find((r) => r.email === 'keep@merge.example')?.id ?? ''
    const gone = rows.find((r) => r.email === 'gone@merge.example')?.id ?? ''
    await t.ctx.db
      .updateTable('contacts')
      .set({ deletedAt: new Date(), mergedInto: keep })
      .where('id', '=', gone)
      .execute()
    const { result, errors } = await importText('email,title\ngone@merge.example,CFO\n', {
      entity: 'contacts',
    })
    expect(errors).toEqual([])
    expect(result).toMatchObject({ created: 0, updated: 1 })
    const survivor = await t.ctx.db
      .selectFrom('contacts')
      .select(['email', 'title'])
      .where('id', '=', keep)
      .executeTakeFirstOrThrow()
    expect(survivor).toEqual({ email: 'keep@merge.example', title: 'CFO' })
  })

  it('never clears a stored value with an empty cell', async () => {
    await importText('name,family,price,currency\nKeeps,Tools,12.50,EUR\n', { entity: 'products' })
    const { errors } = await importText('name,family,price,currency\nKeeps,,,\n', {
      entity: 'products',
    })
    expect(errors).toEqual([])
    const product = await t.ctx.db
      .selectFrom('products')
      .select(['family', 'price', 'currency'])
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'Keeps')
      .executeTakeFirstOrThrow()
    expect(product).toEqual({ family: 'Tools', price: 1250, currency: 'EUR' })
  })

  it("reads money in major units with the currency's digits, as a CSV export writes it", async () => {
    const { errors } = await importText(
      'name,price,currency\nDinar,1.250,KWD\nYen,1200,JPY\nEuro,"1.234,50",EUR\n',
      { entity: 'products' },
    )
    expect(errors).toEqual([])
    const prices = await t.ctx.db
      .selectFrom('products')
      .select(['name', 'price'])
      .where('workspaceId', '=', workspaceId)
      .where('name', 'in', ['Dinar', 'Yen', 'Euro'])
      .orderBy('name')
      .execute()
    expect(prices).toEqual([
      { name: 'Dinar', price: 1250 },
      { name: 'Euro', price: 123450 },
      { name: 'Yen', price: 1200 },
    ])
  })

  it('makes a bad JSON cell a row error naming its column', async () => {
    const file = [
      'name,contacts,lineItems,sourceCampaign',
      'Bad json,[{email}],,',
      'Unknown product,,"[{""productName"":""Nope"",""quantity"":1}]",',
      'Unknown campaign,,,Nope',
      'Good,[],[],',
    ].join('\n')
    const { result, errors } = await importText(file, { entity: 'deals' })
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'contacts'],
      [3, 'lineItems'],
      [4, 'sourceCampaign'],
    ])
    expect(errors[0]?.reason).toMatch(/^contacts: is not valid JSON/)
    expect(result.imported).toBe(1)
  })
})
