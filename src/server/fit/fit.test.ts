import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { makeAccount } from '../deals/test-records.ts'
import { runImport } from '../imports/engine.ts'
import type { RowError } from '../imports/types.ts'

// Product fit (DEFINITIONS "Product fit") through the API: stored on each deal, recomputed by every
// trigger, shown on every deal answer, and the poor-fit guard before a proposal.

let t: TestApp
let owner: Session
let manager: Session
let sales: Session
let workspaceId: string
let stages: Record<string, string>
let mismatch: string // an account far from the "Fleet" product's profile
let fleet: string // product: Manufacturing, Logistics; 200-5000; EMEA; solves multi-site
let loose: string // product without a profile: fit unknown, 50

type Payload = Record<string, unknown>
const as = (
  session: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Payload,
) => session.request({ method, url, workspaceId, ...(payload ? { payload } : {}) })
const getDeal = async (id: string) => {
  const response = await as(owner, 'GET', `/api/v1/deals/${id}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}
const createDeal = async (payload: Payload) => {
  const response = await as(owner, 'POST', '/api/v1/deals', payload)
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data
}
const line = (productId: string) => ({ productId, quantity: 1, unitPrice: 1000 })
const auditOf = (targetId: string, action: string) =>
  t.ctx.db
    .selectFrom('auditLog')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('targetId', '=', targetId)
    .where('action', '=', action)
    .execute()
const setThreshold = async (threshold: number | null) => {
  await t.ctx.db.deleteFrom('scoringSettings').where('workspaceId', '=', workspaceId).execute()
  if (threshold !== null) {
    await t.ctx.db
      .insertInto('scoringSettings')
      .values({ workspaceId, productFitThreshold: threshold })
      .execute()
  }
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Fit Co'))
  manager = await addMember(t, owner, workspaceId, 'sales_manager')
  sales = await addMember(t, owner, workspaceId, 'sales')
  const pipelines = await as(owner, 'GET', '/api/v1/pipelines')
  const pipeline = pipelines.json().data[0]
  stages = Object.fromEntries(
    pipeline.stages.map((s: { id: string; name: string }) => [s.name, s.id]),
  )
  mismatch = await makeAccount(owner, workspaceId, {
    name: 'Corner Shop',
    industry: 'Retail',
    employees: 12,
    region: 'EMEA',
  })
  const product = await as(owner, 'POST', '/api/v1/products', {
    name: 'Fleet',
    price: 1000,
    icpIndustries: ['Manufacturing', 'Logistics'],
    icpEmployeesMin: 200,
    icpEmployeesMax: 5000,
    icpRegions: ['EMEA'],
    icpProblems: ['multi-site'],
  })
  expect(product.statusCode, product.body).toBe(201)
  fleet = product.json().data.id
  const other = await as(owner, 'POST', '/api/v1/products', { name: 'Loose', price: 500 })
  loose = other.json().data.id
})
afterAll(async () => t.close())

/** A deal of the mismatching account on Fleet needing `uptime`: 0, 0, 1, 0 → 25, poor fit. */
const poorDeal = (name: string, extra: Payload = {}) =>
  createDeal({
    name,
    accountId: mismatch,
    needs: ['uptime'],
    lineItems: [line(fleet)],
    ...extra,
  })

describe('product fit on deals', () => {
  it('stores the lowest line and each line with its reasons, shown on every answer', async () => {
    const deal = await poorDeal('Two lines', { lineItems: [line(fleet), line(loose)] })
    expect(deal).toMatchObject({
      productFit: 25,
      poorFit: true,
      fitOverride: null,
      churnedOn: null,
      refundedOn: null,
      downgradedOn: null,
    })
    expect(deal.fitDetails).toEqual([
      {
        productId: fleet,
        productName: 'Fleet',
        fit: 25,
        reasons: [
          'industry Retail not in Manufacturing, Logistics',
          'employees 12 outside 200-5000',
          'need `uptime` not solved by this product',
        ],
      },
      {
        productId: loose,
        productName: 'Loose',
        fit: 50,
        reasons: [expect.stringMatching(/^fit unknown/)],
      },
    ])
    const listed = await as(owner, 'GET', '/api/v1/deals?q=Two%20lines')
    expect(listed.json().data[0]).toMatchObject({ productFit: 25, poorFit: true })
    expect(listed.json().data[0].fitDetails).toHaveLength(2)
  })

  it('a deal without lines has no fit and is never poor fit', async () => {
    const deal = await createDeal({ name: 'No lines', accountId: mismatch })
    expect(deal).toMatchObject({ productFit: null, poorFit: false, fitDetails: [] })
  })

  it('a deal without an account counts the account criteria unknown', async () => {
    // industry 0.5, employees 0.5, region 0.5, multi-site 1 → 2.5 / 4 = 62.5 → 63
    const deal = await createDeal({
      name: 'No account',
      needs: ['multi-site'],
      lineItems: [line(fleet)],
    })
    expect(deal.productFit).toBe(63)
    expect(deal.fitDetails[0].reasons).toEqual([
      'industry unknown',
      'employees unknown',
      'region unknown',
    ])
  })
})

describe('recomputed in the same change', () => {
  it("when the deal's needs, lines or account change", async () => {
    const deal = await poorDeal('Triggers')
    const url = `/api/v1/deals/${deal.id}`
    // needs: multi-site solved → 0, 0, 1, 1 = 50
    let r = await as(owner, 'PATCH', url, { needs: ['multi-site'] })
    expect(r.json().data.productFit).toBe(50)
    // lines: only the profile-less product → 50; none → null
    r = await as(owner, 'PATCH', url, { needs: ['uptime'], lineItems: [line(loose)] })
    expect(r.json().data.productFit).toBe(50)
    r = await as(owner, 'PATCH', url, { lineItems: [] })
    expect(r.json().data).toMatchObject({ productFit: null, fitDetails: [] })
    r = await as(owner, 'PATCH', url, { lineItems: [line(fleet)] })
    expect(r.json().data.productFit).toBe(25)
    // account removed: 0.5, 0.5, 0.5, 0 → 1.5 / 4 = 37.5 → 38
    r = await as(owner, 'PATCH', url, { accountId: null })
    expect(r.json().data.productFit).toBe(38)
    const stored = await t.ctx.db
      .selectFrom('deals')
      .select(['productFit'])
      .where('id', '=', deal.id)
      .executeTakeFirstOrThrow()
    expect(stored.productFit).toBe(38)
  })

  it("when its account's industry, employees or region change", async () => {
    const account = await makeAccount(owner, workspaceId, {
      name: 'Growing',
      industry: 'Retail',
      employees: 12,
      region: 'EMEA',
    })
    const deal = await createDeal({
      name: 'Account trigger',
      accountId: account,
      needs: ['multi-site'],
      lineItems: [line(fleet)],
    })
    expect(deal.productFit).toBe(50) // 0, 0, 1, 1
    const patched = await as(owner, 'PATCH', `/api/v1/accounts/${account}`, {
      industry: 'logistics',
      employees: 800,
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect((await getDeal(deal.id)).productFit).toBe(100)
    await as(owner, 'PATCH', `/api/v1/accounts/${account}`, { region: 'APAC' })
    const after = await getDeal(deal.id)
    expect(after.productFit).toBe(75) // 1, 1, 0, 1
    expect(after.fitDetails[0].reasons).toEqual(['region APAC not in EMEA'])
  })

  it("when a product's profile changes: every deal with that product", async () => {
    const made = await as(owner, 'POST', '/api/v1/products', {
      name: 'Shifting',
      icpIndustries: ['Retail'],
    })
    const shifting = made.json().data.id
    const one = await createDeal({
      name: 'Shift 1',
      accountId: mismatch,
      lineItems: [line(shifting)],
    })
    const two = await createDeal({ name: 'Shift 2', lineItems: [line(shifting), line(fleet)] })
    expect(one.productFit).toBe(100)
    const patched = await as(owner, 'PATCH', `/api/v1/products/${shifting}`, {
      icpIndustries: ['Banking'],
      icpEmployeesMax: 10,
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const afterOne = await getDeal(one.id)
    expect(afterOne.productFit).toBe(0) // Retail not Banking, 12 above 10
    expect(afterOne.fitDetails[0].reasons).toEqual([
      'industry Retail not in Banking',
      'employees 12 outside up to 10',
    ])
    // no account: both unknown → 50; Fleet unchanged at 50 (0.5 × 3) → lowest 50
    const afterTwo = await getDeal(two.id)
    expect(afterTwo.fitDetails.map((l: { fit: number }) => l.fit)).toEqual([50, 50])
  })
})

describe('the poor-fit guard', () => {
  it('refuses a sales user moving a poor-fit deal to a proposal: 409, nothing written', async () => {
    const deal = await poorDeal('Guarded')
    const response = await as(sales, 'PATCH', `/api/v1/deals/${deal.id}`, {
      stageId: stages.Proposal,
      amount: 99_000,
    })
    expect(response.statusCode, response.body).toBe(409)
    const error = response.json().error
    expect(error.code).toBe('conflict')
    expect(error.message).toBe(
      'Deal "Guarded" fits poorly (fit 25 < 40): a sales manager must override the fit guard with a reason before it moves to "Proposal"',
    )
    expect(error.details).toMatchObject({
      field: 'stageId',
      reason: 'poor_fit',
      productFit: 25,
      threshold: 40,
    })
    const after = await getDeal(deal.id)
    expect(after.stageId).toBe(deal.stageId)
    expect(after.amount).toBe(deal.amount)
    expect(after.stageHistory).toHaveLength(1)
    expect(await auditOf(deal.id, 'deal.update')).toHaveLength(0)
  })

  it('guards every proposal-or-later stage and won, and a change of lines in the same move', async () => {
    const deal = await poorDeal('Later stages')
    for (const stage of ['Negotiation', 'Closed won']) {
      const r = await as(sales, 'PATCH', `/api/v1/deals/${deal.id}`, { stageId: stages[stage] })
      expect(r.statusCode, r.body).toBe(409)
    }
    // Earlier stages stay open.
    const demo = await as(sales, 'PATCH', `/api/v1/deals/${deal.id}`, { stageId: stages.Demo })
    expect(demo.statusCode, demo.body).toBe(200)
    // A good deal whose move also adds a poor line is caught on the fit after the change.
    const good = await createDeal({ name: 'Good then poor', lineItems: [line(loose)] })
    const r = await as(sales, 'PATCH', `/api/v1/deals/${good.id}`, {
      stageId: stages.Proposal,
      accountId: mismatch,
      needs: ['uptime'],
      lineItems: [line(fleet)],
    })
    expect(r.statusCode, r.body).toBe(409)
    const unchanged = await getDeal(good.id)
    expect(unchanged).toMatchObject({ productFit: 50, accountId: null, needs: [] })
    expect(unchanged.lineItems).toHaveLength(1)
  })

  it('always allows a lost stage, such as walking away from a poor fit', async () => {
    const deal = await poorDeal('Walk away')
    const r = await as(sales, 'PATCH', `/api/v1/deals/${deal.id}`, {
      stageId: stages['Closed lost'],
      lossReason: 'poor_fit_walked_away',
      marketingCouldHelp: 'no',
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().data.stage.isLost).toBe(true)
  })

  it('lets a deal at or above the threshold, or without lines, move freely', async () => {
    const fitting = await createDeal({ name: 'Fits', lineItems: [line(loose)] }) // 50 ≥ 40
    const bare = await createDeal({ name: 'Bare' })
    for (const deal of [fitting, bare]) {
      const r = await as(sales, 'PATCH', `/api/v1/deals/${deal.id}`, { stageId: stages.Proposal })
      expect(r.statusCode, r.body).toBe(200)
    }
  })

  it('refuses the whole bulk update when one deal fits poorly', async () => {
    const good = await createDeal({ name: 'Bulk good', lineItems: [line(loose)] })
    const poor = await poorDeal('Bulk poor')
    const r = await as(sales, 'PATCH', '/api/v1/deals/bulk', {
      ids: [good.id, poor.id],
      patch: { stageId: stages.Proposal },
    })
    expect(r.statusCode, r.body).toBe(409)
    expect(r.json().error.details).toMatchObject({ reason: 'poor_fit', dealId: poor.id })
    expect((await getDeal(good.id)).stageId).toBe(good.stageId)
    expect((await getDeal(poor.id)).stageId).toBe(poor.stageId)
  })

  it('guards creating a poor-fit deal straight into a proposal stage', async () => {
    const r = await as(sales, 'POST', '/api/v1/deals', {
      name: 'Born late',
      accountId: mismatch,
      needs: ['uptime'],
      lineItems: [line(fleet)],
      stageId: stages.Proposal,
    })
    expect(r.statusCode, r.body).toBe(409)
    expect(r.json().error.details.reason).toBe('poor_fit')
    const found = await t.ctx.db
      .selectFrom('deals')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'Born late')
      .execute()
    expect(found).toHaveLength(0)
  })

  it('a manager overrides with a reason (audited), then the sales user moves the deal', async () => {
    const deal = await poorDeal('Overridden')
    const url = `/api/v1/deals/${deal.id}/fit-override`
    const reason = 'Strategic logo; the customer accepts the gaps in writing.'
    const refused = await as(sales, 'POST', url, { reason })
    expect(refused.statusCode, refused.body).toBe(403)
    const tooShort = await as(manager, 'POST', url, { reason: 'ok fine' })
    expect(tooShort.statusCode, tooShort.body).toBe(400)
    expect(tooShort.json().error.message).toMatch(/^body\.reason: /)
    const tooLong = await as(manager, 'POST', url, { reason: 'x'.repeat(1001) })
    expect(tooLong.statusCode, tooLong.body).toBe(400)
    expect((await getDeal(deal.id)).fitOverride).toBeNull()

    const ok = await as(manager, 'POST', url, { reason })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().data).toMatchObject({
      poorFit: true,
      fitOverride: { by: manager.userId, reason },
    })
    expect(ok.json().data.fitOverride.byName).toBeTruthy()
    const audit = await auditOf(deal.id, 'deal.fit_override')
    expect(audit).toHaveLength(1)
    expect(audit[0]?.actorId).toBe(manager.userId)
    expect(audit[0]?.details).toMatchObject({ reason, productFit: 25, threshold: 40 })

    const moved = await as(sales, 'PATCH', `/api/v1/deals/${deal.id}`, {
      stageId: stages.Proposal,
    })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(moved.json().data.stage.name).toBe('Proposal')

    // Won while flagged poor fit: won_fit keeps the fit of that moment.
    const won = await as(sales, 'PATCH', `/api/v1/deals/${deal.id}`, {
      stageId: stages['Closed won'],
    })
    expect(won.statusCode, won.body).toBe(200)
    const stored = await t.ctx.db
      .selectFrom('deals')
      .select('wonFit')
      .where('id', '=', deal.id)
      .executeTakeFirstOrThrow()
    expect(stored.wonFit).toBe(25)
  })

  it('removing the override puts the guard back (audited)', async () => {
    const deal = await poorDeal('Revoked')
    const url = `/api/v1/deals/${deal.id}/fit-override`
    await as(manager, 'POST', url, { reason: 'Pilot approved by the VP of sales.' })
    expect((await as(sales, 'DELETE', url)).statusCode).toBe(403)
    const removed = await as(manager, 'DELETE', url)
    expect(removed.statusCode, removed.body).toBe(200)
    expect(removed.json().data.fitOverride).toBeNull()
    expect(await auditOf(deal.id, 'deal.fit_override_remove')).toHaveLength(1)
    const r = await as(sales, 'PATCH', `/api/v1/deals/${deal.id}`, { stageId: stages.Proposal })
    expect(r.statusCode, r.body).toBe(409)
  })

  it('refuses an override of a deal not flagged poor fit: 400', async () => {
    const deal = await createDeal({ name: 'Not poor', lineItems: [line(loose)] })
    const r = await as(manager, 'POST', `/api/v1/deals/${deal.id}/fit-override`, {
      reason: 'Just in case someone asks later.',
    })
    expect(r.statusCode, r.body).toBe(400)
    expect(r.json().error.message).toMatch(/^productFit: the deal is not flagged poor fit/)
    expect((await getDeal(deal.id)).fitOverride).toBeNull()
    expect(await auditOf(deal.id, 'deal.fit_override')).toHaveLength(0)
  })

  it("reads poorFit against the workspace's threshold at read time", async () => {
    const poor = await poorDeal('Threshold 25') // fit 25
    const fair = await createDeal({ name: 'Threshold 50', lineItems: [line(loose)] }) // fit 50
    try {
      await setThreshold(20)
      expect((await getDeal(poor.id)).poorFit).toBe(false)
      await setThreshold(60)
      expect((await getDeal(poor.id)).poorFit).toBe(true)
      expect((await getDeal(fair.id)).poorFit).toBe(true)
      const blocked = await as(sales, 'PATCH', `/api/v1/deals/${fair.id}`, {
        stageId: stages.Proposal,
      })
      expect(blocked.statusCode, blocked.body).toBe(409)
      expect(blocked.json().error.details).toMatchObject({ productFit: 50, threshold: 60 })
      await setThreshold(20)
      const free = await as(sales, 'PATCH', `/api/v1/deals/${poor.id}`, {
        stageId: stages.Proposal,
      })
      expect(free.statusCode, free.body).toBe(200)
    } finally {
      await setThreshold(null)
    }
  })
})

describe('churned, refunded and downgraded dates', () => {
  it('are set and cleared on deals and accounts', async () => {
    const deal = await createDeal({ name: 'Churner' })
    let r = await as(owner, 'PATCH', `/api/v1/deals/${deal.id}`, {
      churnedOn: '2026-03-01',
      refundedOn: '2026-03-15',
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().data).toMatchObject({
      churnedOn: '2026-03-01',
      refundedOn: '2026-03-15',
      downgradedOn: null,
    })
    r = await as(owner, 'PATCH', `/api/v1/deals/${deal.id}`, { churnedOn: null })
    expect(r.json().data.churnedOn).toBeNull()
    const account = await makeAccount(owner, workspaceId, {
      name: 'Downgrader',
      downgradedOn: '2026-06-30',
    })
    const got = await as(owner, 'GET', `/api/v1/accounts/${account}`)
    expect(got.json().data).toMatchObject({
      churnedOn: null,
      refundedOn: null,
      downgradedOn: '2026-06-30',
    })
    const list = await as(owner, 'GET', '/api/v1/accounts?q=Downgrader')
    expect(list.json().data[0].downgradedOn).toBe('2026-06-30')
  })

  it('refuse invalid dates naming the field, writing nothing', async () => {
    const deal = await createDeal({ name: 'Bad dates' })
    for (const [field, value] of [
      ['churnedOn', '2026-02-30'],
      ['refundedOn', 'yesterday'],
      ['downgradedOn', 20260101],
    ] as const) {
      const r = await as(owner, 'PATCH', `/api/v1/deals/${deal.id}`, { [field]: value, amount: 5 })
      expect(r.statusCode, r.body).toBe(400)
      expect(r.json().error.message).toMatch(new RegExp(`^body\\.${field}: `))
    }
    expect((await getDeal(deal.id)).amount).toBe(deal.amount)
    const account = await makeAccount(owner, workspaceId, { name: 'Bad account dates' })
    const r = await as(owner, 'PATCH', `/api/v1/accounts/${account}`, { refundedOn: '2026-13-01' })
    expect(r.statusCode, r.body).toBe(400)
    expect(r.json().error.message).toMatch(/^body\.refundedOn: /)
  })

  it('come in by CSV import of accounts and deals', async () => {
    const actor = {
      kind: 'user' as const,
      userId: owner.userId,
      name: 'Owner',
      email: owner.email,
      workspaceId,
      role: 'admin' as const,
    }
    const run = async (entity: 'accounts' | 'deals', text: string) => {
      const errors: RowError[] = []
      await runImport(t.ctx.db, {
        workspaceId,
        actor,
        entity,
        input: Readable.from([Buffer.from(text)]),
        onRowError: (e) => errors.push(e),
      })
      return errors
    }
    expect(
      await run('accounts', 'Name,Churned on,Refunded on\nImported churner,2025-11-02,\n'),
    ).toEqual([])
    expect(await run('deals', 'Name,Downgraded on\nImported deal,2025-12-24\n')).toEqual([])
    const account = await t.ctx.db
      .selectFrom('accounts')
      .select(['churnedOn', 'refundedOn'])
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'Imported churner')
      .executeTakeFirstOrThrow()
    expect(account).toEqual({ churnedOn: '2025-11-02', refundedOn: null })
    const deal = await t.ctx.db
      .selectFrom('deals')
      .select(['downgradedOn'])
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'Imported deal')
      .executeTakeFirstOrThrow()
    expect(deal.downgradedOn).toBe('2025-12-24')
    const bad = await run('accounts', 'Name,Churned on\nBad churner,2025-02-30\n')
    expect(bad).toHaveLength(1)

    // Imported deals get their product fit, and a deal the file closes as won keeps it as won_fit.
    expect(
      await run('accounts', 'Name,Industry,Employees,Region\nTiny Imports,Retail,12,APAC\n'),
    ).toEqual([])
    expect(
      await run(
        'deals',
        'Name,Account name,Product,Amount,Stage\nImported poor fit,Tiny Imports,Fleet,1000,Closed won\n',
      ),
    ).toEqual([])
    const imported = await t.ctx.db
      .selectFrom('deals')
      .select(['id', 'productFit', 'wonFit'])
      .where('workspaceId', '=', workspaceId)
      .where('name', '=', 'Imported poor fit')
      .executeTakeFirstOrThrow()
    // Tiny Imports vs Fleet: industry, employees and region miss (the deal has no needs): 0.
    expect(imported).toMatchObject({ productFit: 0, wonFit: 0 })
    // An imported account update re-fits its deals: Tiny Imports grows into Fleet's profile.
    expect(
      await run('accounts', 'Name,Industry,Employees\nTiny Imports,Manufacturing,300\n'),
    ).toEqual([])
    // Industry and employees now match, the region still does not: 2 of 3.
    expect((await getDeal(imported.id)).productFit).toBe(67)
  })
})
