import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../test/cli.ts'
import { makeWorkspace } from '../../test/factories.ts'
import { createTestApp, type TestApp } from '../../test/harness.ts'
import { sharedDataFile } from '../../test/shared-data.ts'

// A public CRM export nobody shaped for us (../shared/data/README.md, maven_crm): 85 accounts,
// 7 products and 8,800 opportunities, with typos ("Philipines", "GTXPro" for "GTX Pro"), country
// names instead of codes, and open deals with no account or amount.
const data = sharedDataFile('maven_crm')
const present = fs.existsSync(path.join(data, 'sales_pipeline.csv'))
if (!present) console.warn(`import-maven.test.ts: skipped, no Maven CRM data at ${data}`)

let t: TestApp
let env: Record<string, string>
let dir: string
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  env = { DATABASE_URL: t.url }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-maven-'))
  ;({ workspaceId } = await makeWorkspace(t, 'Maven Co'))
})
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true })
  await t.close()
})

function readCsv(name: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(data, name)), { columns: true })
}

/** The input copied to the temporary folder, so the errors file lands there. */
function input(name: string): string {
  const file = path.join(dir, name)
  fs.copyFileSync(path.join(data, name), file)
  return file
}

const accountMap = 'account=name,sector=industry,employees=employees,office_location=country'

describe.skipIf(!present)('importing the Maven CRM export with the CLI', () => {
  it('rejects the two unknown countries by line and column, then takes them once mapped', async () => {
    const file = input('accounts.csv')
    const first = await runCli(['import', 'accounts', file, '--map', accountMap], env, 120_000)
    expect(first.code, first.stderr).toBe(2)
    const rows = readCsv('accounts.csv')
    const lineOf = (country: string) => rows.findIndex((r) => r.office_location === country) + 2
    const errors = fs.readFileSync(`${file}.errors.csv`, 'utf8').trim().split('\n')
    expect(errors[0]).toBe('line,column,reason')
    expect(errors.slice(1).map((e) => e.split(',').slice(0, 2).join(','))).toEqual(
      ['Korea', 'Philipines']
        .map((c) => ({ c, line: lineOf(c) }))
        .sort((a, b) => a.line - b.line)
        .map(({ line }) => `${line},office_location`),
    )

    const again = await runCli(
      [
        'import',
        'accounts',
        file,
        '--map',
        accountMap,
        '--values',
        'country:Korea=KR,country:Philipines=PH',
      ],
      env,
      120_000,
    )
    expect(again.code, again.stderr).toBe(0)
    // A re-run only adds what the first run rejected.
    expect(again.stdout).toMatch(/2 created, 0 updated, 83 unchanged/)
    const stored = await t.ctx.db
      .selectFrom('accounts')
      .select(['name', 'country', 'employees'])
      .where('workspaceId', '=', workspaceId)
      .execute()
    expect(stored).toHaveLength(rows.length)
    expect(stored.find((a) => a.name === 'Acme Corporation')).toEqual({
      name: 'Acme Corporation',
      country: 'US',
      employees: 2822,
    })
  }, 300_000)

  it('imports the products and 8,800 deals with stages and products value-mapped', async () => {
    const products = await runCli(
      ['import', 'products', input('products.csv'), '--map', 'product=name,sales_price=price'],
      env,
      120_000,
    )
    expect(products.code, products.stderr).toBe(0)

    const mapFile = path.join(dir, 'pipeline-map.json')
    fs.writeFileSync(
      mapFile,
      JSON.stringify({
        columns: {
          opportunity_id: 'externalId',
          sales_agent: '-',
          product: 'product',
          account: 'account',
          deal_stage: 'stage',
          engage_date: '-',
          close_date: 'closeDate',
          close_value: 'amount',
        },
        values: {
          stage: {
            Prospecting: 'Qualification',
            Engaging: 'Discovery',
            Won: 'Closed won',
            Lost: 'Closed lost',
          },
          product: { GTXPro: 'GTX Pro' },
        },
      }),
    )
    const file = input('sales_pipeline.csv')
    const deals = await runCli(['import', 'deals', file, '--map-file', mapFile], env, 300_000)
    expect(deals.code, deals.stderr).toBe(0)
    expect(fs.existsSync(`${file}.errors.csv`)).toBe(false)

    // Every figure expected here is computed from the file itself.
    const rows = readCsv('sales_pipeline.csv')
    const won = rows.filter((r) => r.deal_stage === 'Won')
    const wonValue = won.reduce((sum, r) => sum + Number(r.close_value), 0)
    const result = await sql<{
      deals: number
      won: number
      lost: number
      lostWithoutReason: number
      wonAmount: number
      noAccount: number
      lineItems: number
      gtxPro: number
    }>`
      select count(*)::int as deals,
        count(*) filter (where s.is_won)::int as won,
        count(*) filter (where s.is_lost)::int as lost,
        count(*) filter (where s.is_lost and d.loss_reason is null)::int as "lostWithoutReason",
        coalesce(sum(d.amount) filter (where s.is_won), 0)::float8 as "wonAmount",
        count(*) filter (where d.account_id is null)::int as "noAccount",
        (select count(*)::int from deal_line_items li where li.workspace_id = d.workspace_id) as "lineItems",
        (select count(*)::int from deal_line_items li join products p on p.id = li.product_id
          where li.workspace_id = d.workspace_id and p.name = 'GTX Pro') as "gtxPro"
      from deals d join stages s on s.id = d.stage_id
      where d.workspace_id = ${workspaceId}::uuid
      group by d.workspace_id
    `.execute(t.ctx.db)
    expect(result.rows[0]).toEqual({
      deals: rows.length,
      won: won.length,
      lost: rows.filter((r) => r.deal_stage === 'Lost').length,
      // Lost history without a reason is kept as "not recorded", not refused.
      lostWithoutReason: rows.filter((r) => r.deal_stage === 'Lost').length,
      wonAmount: Math.round(wonValue * 100),
      noAccount: rows.filter((r) => r.account === '').length,
      lineItems: rows.length,
      gtxPro: rows.filter((r) => r.product === 'GTXPro' || r.product === 'GTX Pro').length,
    })
    const named = await t.ctx.db
      .selectFrom('deals')
      .select('name')
      .where('workspaceId', '=', workspaceId)
      .where('externalId', '=', '1C1I7A6R')
      .executeTakeFirstOrThrow()
    expect(named.name).toBe('Cancity – GTX Plus Basic')

    // The same file again changes nothing.
    const rerun = await runCli(['import', 'deals', file, '--map-file', mapFile], env, 300_000)
    expect(rerun.code, rerun.stderr).toBe(0)
    expect(rerun.stdout).toMatch(new RegExp(`0 created, 0 updated, ${rows.length} unchanged`))
  }, 600_000)
})
