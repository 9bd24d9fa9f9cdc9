import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { envelope, errorResponses } from '../http/schemas.ts'
import { ExchangeRatesInput, getExchangeRates, putExchangeRates } from './service.ts'

export const ExchangeRates = z
  .object({
    baseCurrency: z.string(),
    rates: z.array(
      z.object({
        currency: z.string(),
        rateToBase: z
          .number()
          .describe('units of the base currency that one unit of this currency is worth'),
        isBase: z.boolean(),
        updatedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ExchangeRates' })

export function exchangeRateRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/exchange-rates',
      {
        schema: {
          tags: ['Exchange rates'],
          summary: 'The base currency (rate 1) and the rate of each other currency to it',
          response: { 200: envelope(ExchangeRates), ...errorResponses },
        },
      },
      async (request) => ({ data: await getExchangeRates(ctx.db, request.principal) }),
    )
    app.put(
      '/exchange-rates',
      {
        schema: {
          tags: ['Exchange rates'],
          summary: 'Replace the table of exchange rates',
          description:
            'Currencies left out are removed. rateToBase > 0 is how many units of the base currency one unit of the currency is worth. The base currency is always 1: list it only with rate 1, or leave it out.',
          body: ExchangeRatesInput,
          response: { 200: envelope(ExchangeRates), ...errorResponses },
        },
      },
      async (request) => ({
        data: await putExchangeRates(ctx.db, request.principal, request.body),
      }),
    )
  }
}
