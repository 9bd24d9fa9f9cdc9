import { z } from 'zod'
import { allLifecycleStates, leadStatuses } from '../../domain/lifecycle.ts'
import { ExternalRef, IsoDate } from '../records/fields.ts'

const email = z.email()

/** Trimmed and lower-cased so one person has one email; '' clears it. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .refine(
    (s) => s === '' || email.safeParse(s).success,
    'must be an email address such as ada@example.com',
  )

const UtmValue = z.string().trim().max(500).optional()
/** UTM parameters of a touch, under their usual names (stored as jsonb). */
export const Utm = z
  .object({
    utm_source: UtmValue,
    utm_medium: UtmValue,
    utm_campaign: UtmValue,
    utm_term: UtmValue,
    utm_content: UtmValue,
  })
  .strict()
export type Utm = z.infer<typeof Utm>
export const utmKeys = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const

// Date.parse rolls 2030-02-30 over to March; a real date reads back as itself.
const RealDate = IsoDate.refine(
  (s) => !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  'not a real date',
)

const Text = (max: number) => z.string().trim().min(1).max(max).nullable().optional()

export const ContactInput = z.object({
  email: Email.nullable().optional(),
  firstName: Text(100),
  lastName: Text(100),
  title: Text(200),
  persona: z.string().trim().min(1).max(63).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(
      /^\+?[0-9 ()./-]{3,40}(\s*(x|ext\.?)\s*[0-9]{1,6})?$/i,
      'must be a phone number such as +49 30 1234567',
    )
    .nullable()
    .optional(),
  accountId: z.uuid().nullable().optional(),
  lifecycleStage: z.enum(allLifecycleStates).nullable().optional(),
  leadStatus: z.enum(leadStatuses).nullable().optional(),
  ownerId: z.string().min(1).max(100).nullable().optional(),
  source: Text(100),
  firstTouchUtm: Utm.nullable().optional(),
  lastTouchUtm: Utm.nullable().optional(),
  emailOptIn: z.boolean().optional(),
  doNotContact: z.boolean().optional(),
  recycleUntil: RealDate.nullable().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
  ...ExternalRef,
})
export type ContactInput = z.infer<typeof ContactInput>
export const ContactPatch = ContactInput.partial()
export type ContactPatch = z.infer<typeof ContactPatch>
