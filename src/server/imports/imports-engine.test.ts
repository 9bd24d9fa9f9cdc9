import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { Principal } from '../auth/principal.ts'
import { AppError } from '../errors.ts'
import { previewImport, runImport } from './engine.ts'
import type { ImportOptions, RowError } from './types.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let actor: Principal

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Importers'))
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

const fixture = (name: string, ownerEmail = owner.email) =>
  fs
    .readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8')
    .replaceAll('{{owner}}', ownerEmail)

const stream = (text: string | Buffer) => Readable.from([Buffer.from(text)])

const actors = new Map<string, Principal>()

async function importText(
  text: string | Buffer,
  options: Partial<ImportOptions> & Pick<ImportOptions, 'entity'>,
  ws = workspaceId,
) {
  const errors: RowError[] = []
  const result = await runImport(t.ctx.db, {
    workspaceId: ws,
    actor: actors.get(ws) ?? actor,
    input: stream(text),
    onRowError: (e) => errors.push(e),
    ...options,
  })
  return { result, errors }
}

/** A workspace of its own for one test; fixture() names its owner with ownerOf(ws). */
async function newWorkspace(name: string) {
  const made = await makeWorkspace(t, name)
  actors.set(made.workspaceId, {
    ...actor,
    userId: made.owner.userId,
    email: made.owner.email,
    workspaceId: made.workspaceId,
  } as Principal)
  emails.set(made.workspaceId, made.owner.email)
  return made.workspaceId
}
const emails = new Map<string, string>()
const ownerOf = (ws: string) => emails.get(ws) ?? ''

describe('import engine', () => {
  it('imports a HubSpot contacts export with its lifecycle and lead-status values', async () => {
    const ws = await newWorkspace('HubSpot Co')
    const { result, errors } = await importText(
      fixture('hubspot-contacts.csv', ownerOf(ws)),
      { entity: 'contacts', preset: 'hubspot' },
      ws,
    )
    expect(errors).toEqual([
      { line: 6, column: 'Email', reason: expect.stringMatching(/not-an-email.*not an email/) },
      { line: 7, column: 'Contact owner', reason: expect.stringMatching(/no member/) },
    ])
    expect(result).toMatchObject({ rows: 6, imported: 4, rejected: 2, created: 4 })
    const contacts = await t.ctx.db
      .selectFrom('contacts')
      .selectAll()
      .where('workspaceId', '=', ws)
      .orderBy('email')
      .execute()
    const ada = contacts.find((c) => c.email === 'ada@analytical.example')
    expect(ada).toMatchObject({
      firstName: 'Ada',
      lifecycleStage: 'mql',
      leadStatus: 'attempting',
      externalSource: 'hubspot',
      externalId: '51',
      phone: '+44 20 7946 0000',
    })
    expect(contacts.find((c) => c.email === 'alan@bletchley.example')).toMatchObject({
      lifecycleStage: 'subscriber',
      leadStatus: null,
    })
    const nasa = await t.ctx.db
      .selectFrom('accounts')
      .select(['id', 'name'])
      .where('workspaceId', '=', ws)
      .where('name', '=', 'NASA')
      .execute()
    expect(nasa).toHaveLength(1)
    const history = await t.ctx.db
      .selectFrom('lifecycleEntries')
      .select('stage')
      .where('workspaceId', '=', ws)
      .where('recordId', '=', String(ada?.id))
      .orderBy('enteredAt')
      .execute()
    expect(history.map((h) => h.stage)).toEqual(['subscriber', 'lead', 'mql'])
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .selectAll()
      .where('workspaceId', '=', ws)
      .where('action', '=', 'import.run')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('changes nothing when the same file is imported twice', async () => {
    const ws = await newWorkspace('Twice Co')
    const text = fixture('hubspot-contacts.csv', ownerOf(ws))
    await importText(text, { entity: 'contacts', preset: 'hubspot' }, ws)
    const count = async () =>
      Promise.all(
        (['contacts', 'accounts', 'lifecycleEntries'] as const).map(async (table) =>
          Number(
            (
              await t.ctx.db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as('n'))
                .where('workspaceId', '=', ws)
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      )
    const before = await count()
    const { result } = await importText(text, { entity: 'contacts', preset: 'hubspot' }, ws)
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 4, rejected: 2 })
    expect(await count()).toEqual(before)
  })

  it('imports Salesforce opportunities, creating missing accounts and stage history', async () => {
    const ws = await newWorkspace('Salesforce Co')
    const { result, errors } = await importText(
      fixture('salesforce-opportunities.csv'),
      { entity: 'deals', preset: 'salesforce' },
      ws,
    )
    expect(errors).toEqual([
      { line: 5, column: 'Amount', reason: expect.stringMatching(/ambiguous/) },
      { line: 6, column: 'Stage', reason: expect.stringMatching(/"Warp Speed" is not a stage/) },
    ])
    expect(result).toMatchObject({ imported: 3, created: 3 })
    const deals = await t.ctx.db
      .selectFrom('deals as d')
      .innerJoin('stages as s', (j) =>
        j.onRef('s.workspaceId', '=', 'd.workspaceId').onRef('s.id', '=', 'd.stageId'),
      )
      .innerJoin('accounts as a', (j) =>
        j.onRef('a.workspaceId', '=', 'd.workspaceId').onRef('a.id', '=', 'd.accountId'),
      )
      .select([
        'd.id',
        'd.name',
        'd.amount',
        'd.closeDate',
        'd.forecastCategory',
        'd.externalId',
        's.name as stage',
        'a.name as account',
      ])
      .where('d.workspaceId', '=', ws)
      .orderBy('d.name')
      .execute()
    expect(deals).toMatchObject([
      {
        name: 'Acme - 500 robots',
        amount: 12_500_000,
        closeDate: '2024-01-31',
        forecastCategory: 'closed_won',
        stage: 'Closed won',
        account: 'Acme Corp',
        externalId: '0065g00000AbCdE',
      },
      { name: 'Globex - pilot', amount: 950_050, stage: 'Qualification', closeDate: '2024-12-15' },
      {
        name: 'Initech - renewal',
        amount: 123_450,
        stage: 'Negotiation',
        forecastCategory: 'commit',
      },
    ])
    const changes = await t.ctx.db
      .selectFrom('dealStageChanges')
      .select(['dealId', 'fromStageId'])
      .where('workspaceId', '=', ws)
      .execute()
    expect(changes).toHaveLength(3)
    expect(changes.every((c) => c.fromStageId === null)).toBe(true)
    const again = await importText(
      fixture('salesforce-opportunities.csv'),
      { entity: 'deals', preset: 'salesforce' },
      ws,
    )
    expect(again.result).toMatchObject({ created: 0, updated: 0, unchanged: 3 })
  })

  it('maps an arbitrary spreadsheet with --map and --values', async () => {
    const ws = await newWorkspace('Sheet Co')
    const { result, errors } = await importText(
      fixture('spreadsheet-accounts.csv'),
      {
        entity: 'accounts',
        map: { Company: 'name', 'Web site': 'domain', 'Head count': 'employees', Land: 'country' },
        values: { lifecycleStage: { Kunde: 'customer', Interessent: 'lead' } },
      },
      ws,
    )
    // Phase is not mapped automatically, Segment neither: only the columns named.
    expect(errors).toEqual([
      { line: 4, column: 'Head count', reason: expect.stringMatching(/"lots" is not a number/) },
    ])
    expect(result).toMatchObject({ created: 2 })
    const accounts = await t.ctx.db
      .selectFrom('accounts')
      .select(['name', 'domain', 'employees', 'country'])
      .where('workspaceId', '=', ws)
      .orderBy('name')
      .execute()
    expect(accounts).toEqual([
      { name: 'Contoso', domain: 'contoso.example', employees: 12, country: 'FR' },
      { name: 'Northwind', domain: 'northwind.example', employees: 250, country: 'DE' },
    ])
    const staged = await importText(
      fixture('spreadsheet-accounts.csv'),
      {
        entity: 'accounts',
        map: { Company: 'name', 'Web site': 'domain', Phase: 'lifecycleStage', 'Head count': '' },
        values: { lifecycleStage: { Kunde: 'customer', Interessent: 'lead' } },
      },
      ws,
    )
    expect(staged.result).toMatchObject({ rejected: 0, updated: 2, created: 1 })
  })

  it('writes nothing on a dry run', async () => {
    const ws = await newWorkspace('Dry Co')
    const { result } = await importText(
      fixture('hubspot-contacts.csv', ownerOf(ws)),
      { entity: 'contacts', preset: 'hubspot', dryRun: true },
      ws,
    )
    expect(result).toMatchObject({ created: 4, rejected: 2 })
    for (const table of ['contacts', 'accounts', 'lifecycleEntries', 'auditLog'] as const) {
      const rows = await t.ctx.db
        .selectFrom(table)
        .select('workspaceId')
        .where('workspaceId', '=', ws)
        .execute()
      expect(rows, table).toHaveLength(table === 'auditLog' ? 1 : 0)
    }
  })

  it('refuses a backward lifecycle move as a row error and keeps the good rows', async () => {
    const ws = await newWorkspace('Backward Co')
    await importText('email,lifecycle stage\nx@y.example,customer\n', { entity: 'contacts' }, ws)
    const { result, errors } = await importText(
      'email,lifecycle stage\nx@y.example,lead\nz@y.example,lead\n',
      { entity: 'contacts' },
      ws,
    )
    expect(errors).toEqual([
      { line: 2, column: 'lifecycle stage', reason: expect.stringMatching(/only move forward/) },
    ])
    expect(result).toMatchObject({ created: 1, rejected: 1 })
  })

  it('reads European dates and a tab-delimited file', async () => {
    const ws = await newWorkspace('Tab Co')
    const { errors } = await importText(
      'name\tclose date\tamount\nOne\t31/01/2024\t1.234,50\nTwo\t02/03/2024\t10\nThree\t1/13/2024\t1\n',
      { entity: 'deals' },
      ws,
    )
    expect(errors).toEqual([
      { line: 4, column: 'close date', reason: expect.stringMatching(/date order/) },
    ])
    const deals = await t.ctx.db
      .selectFrom('deals')
      .select(['name', 'closeDate', 'amount'])
      .where('workspaceId', '=', ws)
      .orderBy('name')
      .execute()
    expect(deals).toEqual([
      { name: 'One', closeDate: '2024-01-31', amount: 123_450 },
      { name: 'Two', closeDate: '2024-03-02', amount: 1000 },
    ])
  })

  const bad: [string, string | Buffer, RegExp][] = [
    ['an empty file', '', /empty/],
    [
      'unbalanced quotes',
      'email,first name\n"a@b.example,Ann\nc@d.example,Cy\n',
      /line 2.*unbalanced/,
    ],
    [
      'a single column (wrong delimiter)',
      'email|first name\na@b.example|Ann\n',
      /line 1: only one column/,
    ],
    [
      'non-UTF-8 bytes',
      Buffer.concat([
        Buffer.from('email,first name\na@b.example,Ann\nc@d.example,Ren'),
        Buffer.from([0xe9, 0x0a]),
      ]),
      /line 3: the file is not UTF-8/,
    ],
    ['duplicate headers', 'email,Email,first name\n', /"Email" appears twice/],
    ['missing required columns', 'title,phone\nCEO,123\n', /missing required column: one of email/],
  ]
  for (const [name, text, message] of bad) {
    it(`rejects ${name} with invalid_input naming the line`, async () => {
      const error = await importText(text, { entity: 'contacts' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).code).toBe('invalid_input')
      expect((error as AppError).message).toMatch(message)
    })
  }

  it('rejects deals with neither a name nor an external id column', async () => {
    const error = await importText('amount,stage\n10,Demo\n', { entity: 'deals' }).catch(
      (e: unknown) => e,
    )
    expect((error as AppError).message).toMatch(/missing required column: one of name, externalId/)
  })

  it('previews the columns, first rows and proposed mapping', async () => {
    const preview = await previewImport(t.ctx.db, {
      workspaceId,
      entity: 'contacts',
      input: stream(fixture('hubspot-contacts.csv')),
      preset: 'hubspot',
    })
    expect(preview.delimiter).toBe(',')
    expect(preview.rows).toHaveLength(6)
    expect(preview.mapping).toMatchObject({
      Email: 'email',
      'Lifecycle Stage': 'lifecycleStage',
      'Record ID': 'externalId',
      'Create Date': null,
    })
    expect(preview.fields.find((f) => f.key === 'email')).toBeDefined()
  })
})
