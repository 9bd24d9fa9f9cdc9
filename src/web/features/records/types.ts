/** Shapes of the CRM records as the API answers them (ARCHITECTURE.md, API conventions). */
import type { TagRef } from '../feedback/feedback-api.ts'

export interface Ref {
  id: string
  name: string
}

export type CustomValues = Record<string, string | number | string[] | null>

export interface LifecycleEntry {
  stage: string
  enteredAt: string
  isReentry: boolean
}

export interface Account {
  id: string
  name: string
  domain: string | null
  industry: string | null
  employees: number | null
  annualRevenue: number | null
  annualRevenueCurrency: string | null
  country: string | null
  region: string | null
  tier: string | null
  owner: Ref | null
  ownerId: string | null
  lifecycleStage: string | null
  custom: CustomValues
  externalSource: string | null
  externalId: string | null
  /** After-sale outcomes (YYYY-MM-DD or null); regret rate reads them. */
  churnedOn: string | null
  refundedOn: string | null
  downgradedOn: string | null
  createdAt: string
  updatedAt: string
}

export interface AccountDetail extends Account {
  counts: { contacts: number; deals: number }
  stageHistory: LifecycleEntry[]
}

export interface Contact {
  id: string
  email: string | null
  firstName: string | null
  lastName: string | null
  title: string | null
  persona: string | null
  phone: string | null
  accountId: string | null
  account: Ref | null
  lifecycleStage: string | null
  leadStatus: string | null
  ownerId: string | null
  owner: Ref | null
  source: string | null
  firstTouchUtm: Record<string, string> | null
  lastTouchUtm: Record<string, string> | null
  emailOptIn: boolean
  doNotContact: boolean
  recycleUntil: string | null
  custom: CustomValues
  createdAt: string
  updatedAt: string
  /** When its personal data was erased on request (docs/privacy.md). */
  erasedAt?: string | null
}

/** Traits hold whatever the sender's identify calls carried: any JSON, never trusted as HTML. */
export type Traits = Record<string, unknown>

/** The touch that made this person a lead (the first form fill or, failing that, the first touch). */
export interface LeadCreation {
  touchpointId: string
  at: string
  type: string
}

export interface ContactDetail extends Contact {
  stageHistory: LifecycleEntry[]
  traits: Traits | null
  identifiedAt: string | null
  leadCreation: LeadCreation | null
}

/** An anonymous visitor's history joined to a contact by an identify or alias call. */
export interface IdentityMerge {
  id: string
  contactId: string
  anonymousId: string
  reason: 'identify' | 'alias'
  messageId: string | null
  touchpointsMoved: number
  mergedAt: string
  undoneAt: string | null
  undoneBy: Ref | null
}

/** What the sender's library reported about the device and page (userAgent, ip, page, library…). */
export type TouchContext = Record<string, unknown>

export interface Stage {
  id: string
  name: string
  position: number
  winProbability: number
  isWon: boolean
  isLost: boolean
  isProposalOrLater: boolean
}

export interface Pipeline {
  id: string
  name: string
  isDefault: boolean
  stages: Stage[]
}

export type MarketingCouldHelp = 'yes' | 'no' | 'unsure'

/** One deal line's product fit (DEFINITIONS, Product fit): 0-100 with the reasons it is not 100. */
export interface DealLineFit {
  productId: string
  productName: string
  fit: number
  reasons: string[]
}

/** A sales manager's override of the poor-fit guard: who, why, when. */
export interface FitOverride {
  by: string | null
  byName?: string | null
  reason: string
  at: string
}

export interface Deal {
  id: string
  name: string
  /** Objections and competitors mentioned (issue 8). */
  tags?: TagRef[]
  accountId: string | null
  account: Ref | null
  pipelineId: string
  pipeline: Ref
  stageId: string
  stage: Stage
  amount: number
  currency: string
  closeDate: string | null
  ownerId: string | null
  owner: Ref | null
  forecastCategory: string
  lossReason: string | null
  lossCompetitor: string | null
  lossNotes: string | null
  marketingCouldHelp: MarketingCouldHelp | null
  needs: string[]
  sourceCampaignId: string | null
  /** The lowest line's fit 0-100; null when the deal has no lines. */
  productFit: number | null
  /** productFit below the workspace's threshold: the guard stops it before a proposal. */
  poorFit: boolean
  fitDetails: DealLineFit[]
  fitOverride: FitOverride | null
  churnedOn: string | null
  refundedOn: string | null
  downgradedOn: string | null
  custom: CustomValues
  createdAt: string
  updatedAt: string
}

/** One stage change of a deal: where from, where to, when and by whom. */
export interface DealStageEntry {
  id: string
  fromStage: Ref | null
  toStage: Ref
  changedAt: string
  changedBy: Ref | null
}

export interface DealContact {
  contactId: string
  name: string | null
  email: string | null
  role: string | null
  isPrimary: boolean
}

export interface LineItem {
  id: string
  productId: string
  productName: string
  quantity: number
  unitPrice: number
  amount: number
}

export interface DealDetail extends Deal {
  stageHistory: DealStageEntry[]
  contacts: DealContact[]
  lineItems: LineItem[]
}

export type ActivityType = 'call' | 'email' | 'meeting' | 'note' | 'task'

export interface Activity {
  id: string
  type: ActivityType
  subject: string
  body: string | null
  contactId: string | null
  accountId: string | null
  dealId: string | null
  occurredAt: string | null
  dueAt: string | null
  doneAt: string | null
  done: boolean
}

export type TimelineItem =
  | (Activity & { kind: 'activity'; at: string; outcome: string | null })
  | {
      kind: 'touchpoint'
      at: string
      id: string
      type: string
      eventName: string | null
      channel: string
      url: string | null
      referrer: string | null
      campaignId: string | null
      activityId: string | null
      utm: Record<string, string> | null
      anonymousId: string | null
      isBot: boolean
      botReason: string | null
      timeFlag: string | null
      receivedAt: string | null
      context: TouchContext | null
    }

export interface Persona {
  key: string
  label: string
}

/** An activity as lists show it: with the names of what it is about. */
export interface ActivityRow extends Activity {
  /** Objections and competitors mentioned (issue 8). */
  tags?: TagRef[]
  contact: Ref | null
  account: Ref | null
  deal: Ref | null
  owner: Ref | null
  outcome: string | null
  createdAt: string
  updatedAt: string
}

export interface Campaign {
  id: string
  name: string
  channel: string
  type: string
  startsOn: string | null
  endsOn: string | null
  /** Minor units of currency. */
  budget: number | null
  currency: string
  utmCampaigns: string[]
  goalLeads: number | null
  goalMqls: number | null
  /** Minor units of currency. */
  goalPipeline: number | null
  ownerId: string | null
  owner: Ref | null
  createdAt: string
  updatedAt: string
}

export type RecordEntity = 'account' | 'contact' | 'deal'

export interface SavedView {
  id: string
  entity: RecordEntity
  name: string
  filter: unknown
  sort: string | null
  columns: string[]
}

export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multi_select'

export interface CustomField {
  id: string
  entity: RecordEntity
  key: string
  label: string
  type: CustomFieldType
  options: string[]
  position: number
}
