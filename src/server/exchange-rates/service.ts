import type { Kysely } from 'kysely'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { Currency } from '../records/fields.ts'
import { lockWorkspace, replaceRates, selectBaseCurrency, selectRates } from './queries.ts'

export const ExchangeRatesInput = z.object({
  rates: z
    .array(
      z.object({
        currency: Currency,
        rateToBase: z
          .number()
          .positive()
          .max(1e9)
          .describe('units of the base currency that one unit of this currency is worth'),
      }),
    )
    .max(300),
})
export type ExchangeRatesInput = z.infer<typeof ExchangeRatesInput>

/** The workspace's base currency (workspaces.base_currency): what sums are converted to. */
export function getBaseCurrency(db: Kysely<DB>, workspaceId: string): Promise<string> {
  return selectBaseCurrency(db, workspaceId)
}

/**
 * The base currency and each other currency's rate to it, for converting sums (domain/money.ts).
 * A stored rate for the base currency itself (left from before the base changed) is ignored.
 */
export async function loadRates(db: Kysely<DB>, workspaceId: string) {
  const [baseCurrency, rows] = await Promise.all([
    selectBaseCurrency(db, workspaceId),
    selectRates(db, workspaceId),
  ])
  const rates = new Map(
    rows.filter((r) => r.currency !== baseCurrency).map((r) => [r.currency, Number(r.rateToBase)]),
  )
  return { baseCurrency, rates }
}

async function present(db: Kysely<DB>, workspaceId: string) {
  const [baseCurrency, rows] = await Promise.all([
    selectBaseCurrency(db, workspaceId),
    selectRates(db, workspaceId),
  ])
  return {
    baseCurrency,
    rates: [
      { currency: baseCurrency, rateToBase: 1, isBase: true, updatedAt: null },
      ...rows
        .filter((r) => r.currency !== baseCurrency)
        .map((r) => ({
          currency: r.currency,
          rateToBase: Number(r.rateToBase),
          isBase: false,
          updatedAt: r.updatedAt.toISOString(),
        })),
    ],
  }
}

/** The base currency (always 1) and the rate of every other currency the workspace uses. */
export async function getExchangeRates(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  return present(db, workspaceId)
}

/**
 * Replaces the table of rates (currencies left out are removed). The base currency is always 1: it
 * may be listed only with rate 1 (so what GET answers can be sent back), and is not stored.
 */
export async function putExchangeRates(
  db: Database,
  principal: Principal,
  input: ExchangeRatesInput,
) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, workspaceId)
    const baseCurrency = await selectBaseCurrency(trx, workspaceId)
    const seen = new Set<string>()
    for (const [i, rate] of input.rates.entries()) {
      const field = `rates[${i}].currency`
      if (seen.has(rate.currency)) {
        throw new AppError('invalid_input', `${field}: ${rate.currency} is listed twice`, { field })
      }
      seen.add(rate.currency)
      if (rate.currency === baseCurrency && rate.rateToBase !== 1) {
        throw new AppError(
          'invalid_input',
          `${field}: ${baseCurrency} is the base currency; its rate is always 1`,
          { field },
        )
      }
    }
    const before = await selectRates(trx, workspaceId)
    const rates = input.rates.filter((r) => r.currency !== baseCurrency)
    await replaceRates(trx, workspaceId, rates)
    await recordAudit(trx, principal, workspaceId, {
      action: 'exchange_rates.update',
      targetType: 'workspace',
      targetId: workspaceId,
      details: {
        from: Object.fromEntries(before.map((r) => [r.currency, Number(r.rateToBase)])),
        to: Object.fromEntries(rates.map((r) => [r.currency, r.rateToBase])),
      },
    })
  })
  return present(db, workspaceId)
}
