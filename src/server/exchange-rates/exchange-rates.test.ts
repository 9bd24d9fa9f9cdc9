import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Rates Co'))
})
afterAll(async () => t.close())

const put = (rates: unknown, session = owner) =>
  session.request({ method: 'PUT', url: '/api/v1/exchange-rates', workspaceId, payload: { rates } })
const get = () => owner.request({ method: 'GET', url: '/api/v1/exchange-rates', workspaceId })

describe('exchange rates', () => {
  it('shows the base currency at 1 before any rate is set', async () => {
    const response = await get()
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toEqual({
      baseCurrency: 'USD',
      rates: [{ currency: 'USD', rateToBase: 1, isBase: true, updatedAt: null }],
    })
  })

  it('replaces the table of rates, audited, and what GET answers can be sent back', async () => {
    const first = await put([
      { currency: 'eur', rateToBase: 1.08 },
      { currency: 'GBP', rateToBase: 1.27 },
    ])
    expect(first.statusCode).toBe(200)
    expect(
      first
        .json()
        .data.rates.map((r: { currency: string; rateToBase: number }) => [
          r.currency,
          r.rateToBase,
        ]),
    ).toEqual([
      ['USD', 1],
      ['EUR', 1.08],
      ['GBP', 1.27],
    ])
    const roundTrip = await put(
      (await get())
        .json()
        .data.rates.filter((r: { currency: string }) => r.currency !== 'GBP')
        .map((r: { currency: string; rateToBase: number }) => ({
          currency: r.currency,
          rateToBase: r.rateToBase,
        })),
    )
    expect(roundTrip.statusCode).toBe(200)
    expect(roundTrip.json().data.rates.map((r: { currency: string }) => r.currency)).toEqual([
      'USD',
      'EUR',
    ])
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('details')
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'exchange_rates.update')
      .orderBy('id')
      .execute()
    expect(audit.at(-1)?.details).toEqual({
      from: { EUR: 1.08, GBP: 1.27 },
      to: { EUR: 1.08 },
    })
  })

  it('refuses a rate for the base currency, a rate that is not positive, and duplicates', async () => {
    const cases: [unknown, string][] = [
      [[{ currency: 'USD', rateToBase: 2 }], 'rates[0].currency: USD is the base currency'],
      [[{ currency: 'EUR', rateToBase: 0 }], 'body.rates.0.rateToBase'],
      [[{ currency: 'EUR', rateToBase: -1 }], 'body.rates.0.rateToBase'],
      [[{ currency: 'XYZ', rateToBase: 1 }], 'body.rates.0.currency'],
      [
        [
          { currency: 'CHF', rateToBase: 1.1 },
          { currency: 'chf', rateToBase: 1.2 },
        ],
        'rates[1].currency: CHF is listed twice',
      ],
    ]
    for (const [rates, message] of cases) {
      const response = await put(rates)
      expect(response.statusCode, JSON.stringify(rates)).toBe(400)
      expect(response.json().error.message, JSON.stringify(rates)).toContain(message)
    }
    const stored = await t.ctx.db
      .selectFrom('exchangeRates')
      .select('currency')
      .where('workspaceId', '=', workspaceId)
      .execute()
    expect(stored.map((r) => r.currency)).toEqual(['EUR'])
  })

  it('lets everyone read rates but only catalog managers set them', async () => {
    const rep = await addMember(t, owner, workspaceId, 'sales_manager')
    const read = await rep.request({ method: 'GET', url: '/api/v1/exchange-rates', workspaceId })
    expect(read.statusCode).toBe(200)
    expect((await put([{ currency: 'EUR', rateToBase: 2 }], rep)).statusCode).toBe(403)
  })

  it("keeps each workspace's rates apart", async () => {
    const other = await makeWorkspace(t, 'Other Rates')
    const response = await other.owner.request({
      method: 'GET',
      url: '/api/v1/exchange-rates',
      workspaceId: other.workspaceId,
    })
    expect(response.json().data.rates).toHaveLength(1)
  })
})
