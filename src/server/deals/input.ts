import { z } from 'zod'
import { forecastCategories } from '../../domain/forecast.ts'
import { TagIds } from '../feedback/service.ts'
import { Id } from '../http/schemas.ts'
import { Currency, ExternalRef, IsoDate, MinorUnits } from '../records/fields.ts'

// Domain words exactly as in DEFINITIONS.md (Forecasting; Reasons for losing a deal).
export { forecastCategories }
export const lossReasons = [
  'price',
  'competitor',
  'no_decision',
  'budget_cut',
  'timing',
  'product_gap',
  'delivery_capacity',
  'unresponsive',
  'no_access_to_decision_maker',
  'legal_security_procurement',
  'poor_fit_walked_away',
] as const
export const marketingCouldHelpAnswers = ['yes', 'no', 'unsure'] as const

const Text = (max: number) => z.string().trim().min(1).max(max).nullable().optional()

export const DealContactInput = z.object({
  contactId: Id,
  role: z.string().trim().min(1).max(100).nullable().optional(),
  isPrimary: z.boolean().optional(),
})
export type DealContactInput = z.infer<typeof DealContactInput>

export const LineItemInput = z.object({
  productId: Id,
  quantity: z
    .number()
    .positive()
    .max(1e9)
    .refine((q) => Math.abs(Math.round(q * 100) - q * 100) < 1e-6, 'at most two decimals'),
  unitPrice: MinorUnits.optional().describe(
    "minor units of the deal's currency; defaults to the product's price",
  ),
})
export type LineItemInput = z.infer<typeof LineItemInput>

export const DealInput = z.object({
  name: z.string().trim().min(1).max(200),
  accountId: Id.nullable().optional(),
  pipelineId: Id.optional().describe('defaults to the default pipeline'),
  stageId: Id.optional().describe("defaults to the pipeline's first open stage"),
  amount: MinorUnits.optional().describe('minor units (cents) of currency'),
  currency: Currency.optional().describe("defaults to the workspace's base currency"),
  closeDate: IsoDate.nullable().optional(),
  ownerId: z.string().min(1).max(100).nullable().optional(),
  forecastCategory: z.enum(forecastCategories).optional(),
  lossReason: z.enum(lossReasons).nullable().optional(),
  lossCompetitor: Text(200).describe('required when lossReason is competitor'),
  lossNotes: Text(5000),
  marketingCouldHelp: z.enum(marketingCouldHelpAnswers).nullable().optional(),
  needs: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .transform((tags) => [...new Set(tags)])
    .optional(),
  sourceCampaignId: Id.nullable().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
  contacts: z.array(DealContactInput).max(100).optional().describe('the whole buying group'),
  lineItems: z.array(LineItemInput).max(200).optional().describe('all line items, in order'),
  tagIds: TagIds,
  churnedOn: IsoDate.nullable().optional().describe('when the customer churned (YYYY-MM-DD)'),
  refundedOn: IsoDate.nullable().optional().describe('when the deal was refunded (YYYY-MM-DD)'),
  downgradedOn: IsoDate.nullable().optional().describe('when the customer downgraded (YYYY-MM-DD)'),
  ...ExternalRef,
})
export type DealInput = z.infer<typeof DealInput>
export const DealPatch = DealInput.partial()
export type DealPatch = z.infer<typeof DealPatch>
