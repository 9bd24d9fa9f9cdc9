import type { ColumnType, Generated, JSONColumnType } from 'kysely'

// The database, typed by hand next to the migrations (no generated code). camelCase here,
// snake_case in SQL (CamelCasePlugin).

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export type Role = 'admin' | 'marketing' | 'sales' | 'sales_manager' | 'viewer'
export type ActorType = 'user' | 'api_key' | 'cli' | 'system'
export type InvitationStatus = 'pending' | 'accepted' | 'revoked'

export interface UsersTable {
  id: string
  name: string
  email: string
  emailVerified: boolean
  image: string | null
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export interface SessionsTable {
  id: string
  expiresAt: Timestamp
  token: string
  createdAt: CreatedAt
  updatedAt: Timestamp
  ipAddress: string | null
  userAgent: string | null
  userId: string
}

export interface AuthAccountsTable {
  id: string
  accountId: string
  providerId: string
  userId: string
  accessToken: string | null
  refreshToken: string | null
  idToken: string | null
  accessTokenExpiresAt: Timestamp | null
  refreshTokenExpiresAt: Timestamp | null
  scope: string | null
  password: string | null
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export interface VerificationsTable {
  id: string
  identifier: string
  value: string
  expiresAt: Timestamp
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export interface InstanceSettingsTable {
  key: string
  value: ColumnType<unknown, string, string>
  updatedAt: Generated<Date>
}

export interface WorkspacesTable {
  id: string
  name: string
  timeZone: Generated<string>
  baseCurrency: Generated<string>
  fiscalYearStartMonth: Generated<number>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface MembershipsTable {
  workspaceId: string
  userId: string
  role: Role
  createdAt: Generated<Date>
}

export interface InvitationsTable {
  workspaceId: string
  id: string
  email: string
  role: Role
  tokenHash: string
  status: Generated<InvitationStatus>
  invitedBy: string | null
  expiresAt: Timestamp
  acceptedBy: string | null
  acceptedAt: Timestamp | null
  createdAt: Generated<Date>
}

export interface ApiKeysTable {
  workspaceId: string
  id: string
  name: string
  role: Role
  prefix: string
  keyHash: string
  createdBy: string | null
  createdAt: Generated<Date>
  lastUsedAt: Timestamp | null
  revokedAt: Timestamp | null
}

export interface AuditLogTable {
  workspaceId: string
  id: string
  at: Generated<Date>
  actorType: ActorType
  actorId: string | null
  actorName: string
  action: string
  targetType: string
  targetId: string | null
  details: JSONColumnType<Record<string, unknown>>
}

export interface TeamsTable {
  workspaceId: string
  id: string
  name: string
  managerId: string | null
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface TeamMembersTable {
  workspaceId: string
  teamId: string
  userId: string
}

export interface WorkerHeartbeatsTable {
  workerId: string
  version: string
  beatAt: Generated<Date>
}

// Issue 3: CRM records.
type Json<T> = ColumnType<T, string, string>
type SoftDeleted = { deletedAt: ColumnType<Date | null, Date | null | undefined, Date | null> }
type Stamped = { createdAt: Generated<Date>; updatedAt: Generated<Date> }
export type CustomValues = Record<string, string | number | string[] | null>
export type CustomFieldEntity = 'account' | 'contact' | 'deal'
export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multi_select'

export interface CustomFieldDefinitionsTable extends Stamped {
  workspaceId: string
  id: string
  entity: CustomFieldEntity
  key: string
  label: string
  type: CustomFieldType
  options: Generated<string[]>
  position: Generated<number>
}

export interface PersonasTable {
  workspaceId: string
  key: string
  label: string
  position: Generated<number>
}

export interface ExchangeRatesTable {
  workspaceId: string
  currency: string
  rateToBase: ColumnType<string, string | number, string | number>
  updatedAt: Generated<Date>
}

/** A stored generated column (migration 2026-11-27T0120): read only. */
type DuplicateKey = ColumnType<string | null, never, never>

export interface AccountsTable extends Stamped, SoftDeleted {
  workspaceId: string
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
  ownerId: string | null
  lifecycleStage: string | null
  custom: ColumnType<CustomValues, string | undefined, string>
  externalSource: string | null
  externalId: string | null
  search: ColumnType<string, never, never>
  /** Set when merged into another record (issue 4): the record that absorbed this one. */
  mergedInto: ColumnType<string | null, string | null | undefined, string | null>
  /** Duplicate keys (issue 4), generated from name and domain; never written. */
  dupDomain: DuplicateKey
  dupName: DuplicateKey
  /** Ingestion (issue 5): the group's traits as the last group call sent them. */
  traits: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  /** Scores and product fit (issue 9): when the customer churned, was refunded or downgraded. */
  churnedOn: ColumnType<string | null, string | null | undefined, string | null>
  refundedOn: ColumnType<string | null, string | null | undefined, string | null>
  downgradedOn: ColumnType<string | null, string | null | undefined, string | null>
}

export interface ContactsTable extends Stamped, SoftDeleted {
  workspaceId: string
  id: string
  email: string | null
  firstName: string | null
  lastName: string | null
  title: string | null
  persona: string | null
  phone: string | null
  accountId: string | null
  lifecycleStage: string | null
  leadStatus: string | null
  ownerId: string | null
  source: string | null
  firstTouchUtm: Json<Record<string, string> | null> | null
  lastTouchUtm: Json<Record<string, string> | null> | null
  emailOptIn: Generated<boolean>
  doNotContact: Generated<boolean>
  recycleUntil: ColumnType<string | null, string | null | undefined, string | null>
  custom: ColumnType<CustomValues, string | undefined, string>
  externalSource: string | null
  externalId: string | null
  search: ColumnType<string, never, never>
  /** Set when merged into another record (issue 4): the record that absorbed this one. */
  mergedInto: ColumnType<string | null, string | null | undefined, string | null>
  /** Duplicate keys (issue 4), generated from email, name, phone and account; never written. */
  dupEmail: DuplicateKey
  dupNamePhone: DuplicateKey
  dupNameCompany: DuplicateKey
  /** Ingestion (issue 5): the person's traits as identify last sent them, and touch milestones. */
  traits: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  identifiedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  firstTouchUtmAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  lastTouchUtmAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  leadCreationTouchpointId: ColumnType<string | null, string | null | undefined, string | null>
  leadCreationAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  leadCreationType: ColumnType<string | null, string | null | undefined, string | null>
  /** Privacy (issue 6): when its personal data was erased; the row stays for the aggregates. */
  erasedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface LifecycleEntriesTable {
  workspaceId: string
  id: string
  entity: 'account' | 'contact'
  recordId: string
  stage: string
  enteredAt: Timestamp
  isReentry: Generated<boolean>
  source: Generated<string>
}

export interface ProductsTable extends Stamped, SoftDeleted {
  workspaceId: string
  id: string
  name: string
  family: string | null
  price: Generated<number>
  currency: string
  icpIndustries: Generated<string[]>
  icpEmployeesMin: number | null
  icpEmployeesMax: number | null
  icpRegions: Generated<string[]>
  icpProblems: Generated<string[]>
  externalSource: string | null
  externalId: string | null
  search: ColumnType<string, never, never>
}

export interface PipelinesTable extends Stamped, SoftDeleted {
  workspaceId: string
  id: string
  name: string
  isDefault: Generated<boolean>
  position: Generated<number>
}

export interface StagesTable extends SoftDeleted {
  workspaceId: string
  id: string
  pipelineId: string
  name: string
  position: number
  winProbability: ColumnType<string, string | number, string | number>
  isWon: Generated<boolean>
  isLost: Generated<boolean>
  isProposalOrLater: Generated<boolean>
  createdAt: Generated<Date>
}

export interface CampaignsTable extends Stamped, SoftDeleted {
  workspaceId: string
  id: string
  name: string
  channel: string
  type: string
  startsOn: ColumnType<string | null, string | null | undefined, string | null>
  endsOn: ColumnType<string | null, string | null | undefined, string | null>
  budget: number | null
  currency: string
  utmCampaigns: Generated<string[]>
  goalLeads: number | null
  goalMqls: number | null
  goalPipeline: number | null
  ownerId: string | null
  externalSource: string | null
  externalId: string | null
}

export interface CampaignCostsTable {
  workspaceId: string
  id: string
  campaignId: string
  incurredOn: ColumnType<string, string, string>
  amount: number
  currency: string
  note: string | null
  createdAt: Generated<Date>
}

export type ForecastCategory = 'pipeline' | 'best_case' | 'commit' | 'closed_won' | 'omitted'

export interface DealsTable extends Stamped, SoftDeleted {
  workspaceId: string
  id: string
  name: string
  accountId: string | null
  pipelineId: string
  stageId: string
  amount: Generated<number>
  currency: string
  closeDate: ColumnType<string | null, string | null | undefined, string | null>
  ownerId: string | null
  forecastCategory: Generated<ForecastCategory>
  lossReason: string | null
  lossCompetitor: string | null
  lossNotes: string | null
  marketingCouldHelp: 'yes' | 'no' | 'unsure' | null
  needs: Generated<string[]>
  sourceCampaignId: string | null
  closedAt: Timestamp | null
  custom: ColumnType<CustomValues, string | undefined, string>
  externalSource: string | null
  externalId: string | null
  search: ColumnType<string, never, never>
  /** Product fit (issue 9): the lowest line's fit 0-100 (null: no lines), and each line's reasons. */
  productFit: number | null
  fitDetails: ColumnType<DealLineFit[], string | undefined, string>
  /** productFit when the deal was won (regret: won while flagged poor fit). */
  wonFit: number | null
  /** A sales manager's override of the poor-fit guard: who, why, when. */
  fitOverrideBy: string | null
  fitOverrideReason: string | null
  fitOverrideAt: Timestamp | null
  churnedOn: ColumnType<string | null, string | null | undefined, string | null>
  refundedOn: ColumnType<string | null, string | null | undefined, string | null>
  downgradedOn: ColumnType<string | null, string | null | undefined, string | null>
}

export interface DealStageChangesTable {
  workspaceId: string
  id: string
  dealId: string
  fromStageId: string | null
  toStageId: string
  changedAt: Timestamp
  changedBy: string | null
}

export interface DealContactsTable {
  workspaceId: string
  dealId: string
  contactId: string
  role: string | null
  isPrimary: Generated<boolean>
}

export interface DealLineItemsTable {
  workspaceId: string
  id: string
  dealId: string
  productId: string
  quantity: ColumnType<string, string | number, string | number>
  unitPrice: number
  position: Generated<number>
}

export type ActivityType = 'call' | 'email' | 'meeting' | 'note' | 'task'

export interface ActivitiesTable extends Stamped, SoftDeleted {
  workspaceId: string
  id: string
  type: ActivityType
  subject: string
  body: string | null
  contactId: string | null
  accountId: string | null
  dealId: string | null
  ownerId: string | null
  occurredAt: Timestamp | null
  dueAt: Timestamp | null
  doneAt: Timestamp | null
  outcome: string | null
  externalSource: string | null
  externalId: string | null
}

export interface TouchpointsTable {
  workspaceId: string
  occurredAt: Timestamp
  id: string
  contactId: string | null
  anonymousId: string | null
  accountId: string | null
  type: string
  eventName: string | null
  channel: string
  campaignId: string | null
  activityId: string | null
  utm: Json<Record<string, string> | null> | null
  referrer: string | null
  url: string | null
  properties: ColumnType<Record<string, unknown>, string | undefined, string>
  isBot: Generated<boolean>
  messageId: string | null
  createdAt: Generated<Date>
  /** Ingestion (issue 5): when the event arrived, whether its time was clamped, why it is a bot's. */
  receivedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  timeFlag: ColumnType<string | null, string | null | undefined, string | null>
  botReason: ColumnType<string | null, string | null | undefined, string | null>
  context: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
}

export interface IdentitiesTable {
  workspaceId: string
  kind: 'user' | 'anonymous' | 'group'
  value: string
  recordId: string
  firstSeenAt: Generated<Date>
}

export interface IdentityMergesTable {
  workspaceId: string
  id: string
  contactId: string
  anonymousId: string
  reason: 'identify' | 'alias'
  messageId: string | null
  touchpointsMoved: Generated<number>
  mergedAt: Generated<Date>
  undoneAt: Date | null
  undoneBy: string | null
}

export interface EventNamesTable {
  workspaceId: string
  name: string
  firstSeenAt: Generated<Date>
}

export interface IngestInboxTable {
  id: Generated<number>
  workspaceId: string
  receivedAt: Date
  ip: string | null
  events: number
  messages: string
  attempts: Generated<number>
  failedAt: Date | null
  error: string | null
}

export interface IngestRejectionsTable {
  workspaceId: string
  id: Generated<number>
  receivedAt: Generated<Date>
  endpoint: string
  message: string
  ip: string | null
}

export interface TouchpointMessageIdsTable {
  workspaceId: string
  messageId: string
  touchpointId: string
  occurredAt: Timestamp
}

export interface SavedViewsTable {
  workspaceId: string
  id: string
  userId: string
  entity: 'account' | 'contact' | 'deal' | 'activity' | 'campaign' | 'product'
  name: string
  filter: Json<unknown> | null
  sort: string | null
  columns: Generated<string[]>
  createdAt: Generated<Date>
}

// Issue 4: files in chunks and imports.
export interface FileUploadsTable {
  workspaceId: string
  id: string
  fileName: string
  contentType: Generated<string>
  size: Generated<number>
  chunks: Generated<number>
  createdBy: string | null
  createdAt: Generated<Date>
}

export interface FileChunksTable {
  workspaceId: string
  uploadId: string
  seq: number
  data: Buffer
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed'

export interface ImportsTable {
  workspaceId: string
  id: string
  entity: string
  fileName: string
  fileSize: Generated<number>
  uploadId: string | null
  status: Generated<ImportStatus>
  options: ColumnType<Record<string, unknown>, string | undefined, string>
  actor: ColumnType<Record<string, unknown>, string, string>
  rows: Generated<number>
  imported: Generated<number>
  rejected: Generated<number>
  created: Generated<number>
  updated: Generated<number>
  unchanged: Generated<number>
  bytesRead: Generated<number>
  error: string | null
  errorsUploadId: string | null
  createdBy: string | null
  createdAt: Generated<Date>
  startedAt: Timestamp | null
  finishedAt: Timestamp | null
  updatedAt: Generated<Date>
}

// Issue 5: write keys for ingestion (public by design, stored as is).
export interface WriteKeysTable {
  workspaceId: string
  id: string
  name: string
  key: string
  createdBy: string | null
  createdAt: Generated<Date>
  revokedAt: Timestamp | null
  expiresAt: Timestamp | null
}

/** How the tracking snippet behaves for a workspace (issue 6); no row means the defaults. */
export interface TrackingSettingsTable {
  workspaceId: string
  consentRequired: Generated<boolean>
  cookieDomain: string | null
  captureForms: Generated<boolean>
  updatedAt: ColumnType<Date | null, Date | string | undefined, Date | string>
}

/** Hosted forms (issue 6): fields is the ordered list of FormField (src/server/forms/fields.ts). */
export interface FormsTable extends Stamped {
  workspaceId: string
  id: string
  name: string
  fields: Json<FormFieldRow[]>
  consentText: string | null
  thankYouMessage: string
  redirectUrl: string | null
  isHighIntent: Generated<boolean>
  archivedAt: Date | null
  createdBy: string | null
  updatedBy: string | null
}

export interface FormFieldRow {
  key: string
  label: string
  type: 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'checkbox'
  required: boolean
  mapsTo: string | null
  options?: string[]
}

export interface FormViewsTable {
  workspaceId: string
  formId: string
  day: string
  views: Generated<number>
}

export interface FormSubmissionsTable {
  workspaceId: string
  id: string
  formId: string
  contactId: string | null
  submittedAt: Generated<Date>
  values: Json<Record<string, string | boolean>>
  isConsentGiven: Generated<boolean>
  ip: string | null
  anonymousId: string | null
  touchpointId: string | null
}

/** Emails erased on request (sha-256 hex of the trimmed, lower-cased email): never re-created. */
export interface SuppressionsTable {
  workspaceId: string
  id: string
  emailHash: string
  reason: 'erased'
  createdAt: Generated<Date>
  createdBy: string
}

type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type JsonValue<T> = ColumnType<T, string | undefined, string>

/** The workspace's MQL rules (issue 7; DEFINITIONS.md "MQL by score"). One row per workspace. */
export interface MqlRulesTable {
  workspaceId: string
  fitMin: Generated<number>
  engagementMin: Generated<number>
  predictiveInCharge: Generated<boolean>
  /** numeric(4,3): pg returns it as text. */
  predictiveMin: ColumnType<string, number | string | undefined, number | string>
  highIntentForms: Generated<boolean>
  updatedAt: Generated<Date>
}

/** A business calendar (src/domain/business-hours.ts BusinessCalendar, stored by parts). */
export interface BusinessCalendarsTable {
  workspaceId: string
  id: string
  name: string
  timeZone: string
  /** ISO weekday (1 = Monday … 7) → { start: 'HH:mm', end: 'HH:mm' } | null. */
  week: JsonValue<Record<string, { start: string; end: string } | null>>
  /** YYYY-MM-DD dates, local to the calendar. */
  holidays: JsonValue<string[]>
  isDefault: Generated<boolean>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export type SegmentKey = 'smb' | 'mid_market' | 'enterprise'

/** SLA windows in business minutes; segment null = the policy for every other lead. */
export interface SlaPoliciesTable {
  workspaceId: string
  id: string
  name: string
  segment: SegmentKey | null
  calendarId: string | null
  firstTouchMinutes: Generated<number>
  acceptanceMinutes: Generated<number>
  escalationMinutes: Generated<number>
  reassignOnEscalation: Generated<boolean>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

/** Routing rules, tried by position; conditions are src/domain/routing.ts RoutingCondition[]. */
export interface RoutingRulesTable {
  workspaceId: string
  id: string
  name: string
  position: number
  conditions: JsonValue<unknown[]>
  teamId: string
  isActive: Generated<boolean>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

/** A rep's routing settings; a member without a row accepts leads with no limits. */
export interface RoutingRepsTable {
  workspaceId: string
  userId: string
  acceptsLeads: Generated<boolean>
  capacity: number | null
  dailyCap: number | null
  absentFrom: NullableTime
  absentUntil: NullableTime
  updatedAt: Generated<Date>
}

export type HandoffStatus = 'open' | 'accepted' | 'rejected'
export type MqlSource = 'manual' | 'form' | 'score' | 'predictive' | 'import'

/** One MQL passed to one owner (DEFINITIONS.md "Handoff"); SLA due times are fixed at creation. */
export interface HandoffsTable {
  workspaceId: string
  id: string
  contactId: string
  accountId: string | null
  ownerId: string | null
  teamId: string | null
  routingRuleId: string | null
  unassignedReason: string | null
  assignedAt: NullableTime
  campaignId: string | null
  triggerTouchpointId: string | null
  mqlSource: MqlSource
  mqlReason: string
  isReMql: Generated<boolean>
  segment: SegmentKey | null
  status: Generated<HandoffStatus>
  slaPolicyId: string | null
  createdAt: Timestamp
  firstTouchDueAt: Timestamp
  decisionDueAt: Timestamp
  escalateAt: Timestamp
  firstTouchAt: NullableTime
  firstTouchActivityId: string | null
  firstTouchBreachedAt: NullableTime
  decisionBreachedAt: NullableTime
  escalatedAt: NullableTime
  decidedAt: NullableTime
  decidedBy: string | null
  rejectionReason: string | null
  rejectionOutcome: 'recycle' | 'disqualify' | null
  /** date: YYYY-MM-DD. */
  recycleOn: string | null
  rejectionNote: string | null
  quality: number | null
  ratedBy: string | null
  ratedAt: NullableTime
  updatedAt: Generated<Date>
}

export type HandoffEventKind =
  | 'created'
  | 'assigned'
  | 'reassigned'
  | 'first_touch'
  | 'accepted'
  | 'rejected'
  | 'rated'
  | 'first_touch_breached'
  | 'decision_breached'
  | 'escalated'
  | 'lead_status'

/** The history of a handoff: every decision and clock event is a row (ARCHITECTURE.md). */
export interface HandoffEventsTable {
  workspaceId: string
  id: string
  handoffId: string
  kind: HandoffEventKind
  actorId: string | null
  at: Timestamp
  details: JsonValue<Record<string, unknown>>
}

/** The in-app notification centre. */
export interface NotificationsTable {
  workspaceId: string
  id: string
  userId: string
  kind: string
  title: string
  body: string | null
  link: string | null
  createdAt: Generated<Date>
  readAt: NullableTime
}

export interface WebhookSubscriptionsTable {
  workspaceId: string
  id: string
  name: string
  url: string
  eventTypes: string[]
  format: Generated<'json' | 'slack'>
  secret: string
  isActive: Generated<boolean>
  createdBy: string | null
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface WebhookDeliveriesTable {
  workspaceId: string
  id: string
  subscriptionId: string
  eventType: string
  eventId: string
  idempotencyKey: string
  payload: JsonValue<Record<string, unknown>>
  status: Generated<'pending' | 'succeeded' | 'failed'>
  attempts: Generated<number>
  nextAttemptAt: NullableTime
  lastStatusCode: number | null
  lastError: string | null
  createdAt: Generated<Date>
  deliveredAt: NullableTime
}

/** Marketing's MQL target per month (month = first day, YYYY-MM-DD). */
// Issue 13: targets, team membership history, reverse-waterfall plans, forecast submissions.
export type TargetSubjectKind = 'company' | 'team' | 'rep'
export type TargetMetric = 'revenue' | 'deals_won' | 'mqls' | 'sqls' | 'pipeline_created'
export type TargetPeriodKind = 'day' | 'week' | 'month' | 'quarter'
/** numeric columns come back as strings; written as numbers. */
type Numeric = ColumnType<string, number | string, number | string>
/** date columns: YYYY-MM-DD. */
type DateOnly = ColumnType<string, string, string>

export interface TargetsTable {
  workspaceId: string
  id: string
  subjectKind: TargetSubjectKind
  /** '' for the company, the team's id, or the rep's user id. Money metrics in minor units. */
  subjectId: Generated<string>
  metric: TargetMetric
  periodKind: TargetPeriodKind
  periodKey: string
  startsOn: DateOnly
  /** The day after the period's last day. */
  endsOn: DateOnly
  amount: number
  createdBy: string | null
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface TeamMemberHistoryTable {
  workspaceId: string
  teamId: string
  userId: string
  joinedAt: Timestamp
  leftAt: NullableTime
}

export interface WaterfallPlansTable {
  workspaceId: string
  id: string
  periodKind: 'month' | 'quarter'
  periodKey: string
  startsOn: DateOnly
  endsOn: DateOnly
  revenueTarget: number
  averageDealSize: number
  sqlToWonRate: Numeric
  mqlToSqlRate: Numeric
  wonNeeded: number
  sqlsNeeded: number
  mqlsNeeded: number
  salesAgreedBy: string | null
  salesAgreedAt: NullableTime
  marketingAgreedBy: string | null
  marketingAgreedAt: NullableTime
  createdBy: string | null
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface ForecastSubmissionsTable {
  workspaceId: string
  id: string
  repId: string
  periodKind: 'month' | 'quarter'
  periodKey: string
  startsOn: DateOnly
  endsOn: DateOnly
  kind: 'submission' | 'adjustment'
  adjustsId: string | null
  commitAmount: number
  bestCaseAmount: number
  pipelineAmount: number
  note: string | null
  submittedBy: string | null
  submittedAt: Generated<Date>
}

/** The Telescope's stored computations (issue 14): one per workspace and kind, kept for a local day. */
export interface TelescopeSnapshotsTable {
  workspaceId: string
  kind: 'outlook' | 'changes'
  asOf: DateOnly
  computedAt: Generated<Date>
  body: Json<unknown>
}

export interface DB {
  users: UsersTable
  sessions: SessionsTable
  authAccounts: AuthAccountsTable
  verifications: VerificationsTable
  instanceSettings: InstanceSettingsTable
  workspaces: WorkspacesTable
  memberships: MembershipsTable
  invitations: InvitationsTable
  apiKeys: ApiKeysTable
  auditLog: AuditLogTable
  teams: TeamsTable
  teamMembers: TeamMembersTable
  workerHeartbeats: WorkerHeartbeatsTable
  customFieldDefinitions: CustomFieldDefinitionsTable
  personas: PersonasTable
  exchangeRates: ExchangeRatesTable
  accounts: AccountsTable
  contacts: ContactsTable
  lifecycleEntries: LifecycleEntriesTable
  products: ProductsTable
  pipelines: PipelinesTable
  stages: StagesTable
  campaigns: CampaignsTable
  campaignCosts: CampaignCostsTable
  deals: DealsTable
  dealStageChanges: DealStageChangesTable
  dealContacts: DealContactsTable
  dealLineItems: DealLineItemsTable
  activities: ActivitiesTable
  touchpoints: TouchpointsTable
  touchpointMessageIds: TouchpointMessageIdsTable
  savedViews: SavedViewsTable
  fileUploads: FileUploadsTable
  fileChunks: FileChunksTable
  imports: ImportsTable
  writeKeys: WriteKeysTable
  identities: IdentitiesTable
  identityMerges: IdentityMergesTable
  eventNames: EventNamesTable
  ingestInbox: IngestInboxTable
  ingestRejections: IngestRejectionsTable
  trackingSettings: TrackingSettingsTable
  forms: FormsTable
  formViews: FormViewsTable
  formSubmissions: FormSubmissionsTable
  suppressions: SuppressionsTable
  mqlRules: MqlRulesTable
  businessCalendars: BusinessCalendarsTable
  slaPolicies: SlaPoliciesTable
  routingRules: RoutingRulesTable
  routingReps: RoutingRepsTable
  handoffs: HandoffsTable
  handoffEvents: HandoffEventsTable
  notifications: NotificationsTable
  webhookSubscriptions: WebhookSubscriptionsTable
  webhookDeliveries: WebhookDeliveriesTable
  targets: TargetsTable
  teamMemberHistory: TeamMemberHistoryTable
  waterfallPlans: WaterfallPlansTable
  forecastSubmissions: ForecastSubmissionsTable
  telescopeSnapshots: TelescopeSnapshotsTable
  feedbackTags: FeedbackTagsTable
  feedbackTagLinks: FeedbackTagLinksTable
  bridgeDigests: BridgeDigestsTable
  scoringRules: ScoringRulesTable
  scoringSettings: ScoringSettingsTable
  contactScores: ContactScoresTable
  scoreHistory: ScoreHistoryTable
  scoreQueue: ScoreQueueTable
  predictiveModels: PredictiveModelsTable
  attributionSettings: AttributionSettingsTable
  attributionRollups: AttributionRollupsTable
  attributionCredits: AttributionCreditsTable
  attributionRuns: AttributionRunsTable
  attributionQueue: AttributionQueueTable
  attributionContributions: AttributionContributionsTable
  predictiveTraining: PredictiveTrainingTable
  predictiveScores: PredictiveScoresTable
}

export type FeedbackTagKind = 'objection' | 'competitor'
export type FeedbackTagEntity = 'activity' | 'handoff' | 'deal'

/** The workspace's taxonomy of objections and competitors that sales tags feedback with. */
export interface FeedbackTagsTable {
  workspaceId: string
  id: string
  kind: FeedbackTagKind
  name: string
  description: string | null
  archivedAt: Timestamp | null
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface FeedbackTagLinksTable {
  workspaceId: string
  tagId: string
  entity: FeedbackTagEntity
  entityId: string
  createdAt: Generated<Date>
  createdBy: string | null
}

/** One row per workspace and week (its Monday) whose Bridge digest went out. */
export interface BridgeDigestsTable {
  workspaceId: string
  week: ColumnType<string, string, string>
  sentAt: Generated<Date>
  recipients: Generated<number>
}

/** One deal line's product fit (DEFINITIONS.md "Product fit"), as stored in deals.fit_details. */
export interface DealLineFit {
  productId: string
  productName: string
  /** 0-100; 50 when the product's profile has no criteria (fit unknown). */
  fit: number
  /** Plain words for each criterion that did not match or is unknown, e.g. "employees 12 outside 200-5000". */
  reasons: string[]
}

export type ScoringRuleKind = 'fit' | 'engagement'

/**
 * A scoring rule (DEFINITIONS.md "Scores"). condition: for fit, a filter of the filter language
 * over contacts; for engagement, a touch condition (src/domain/scoring.ts TouchCondition).
 */
export interface ScoringRulesTable {
  workspaceId: string
  id: string
  kind: ScoringRuleKind
  name: string
  position: Generated<number>
  condition: JsonValue<unknown>
  points: number
  isActive: Generated<boolean>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

/** A workspace's scoring settings; defaults (30 days, 40) while it has no row. */
export interface ScoringSettingsTable {
  workspaceId: string
  /** numeric(7,2): pg returns it as text. */
  halfLifeDays: ColumnType<string, number | string | undefined, number | string>
  productFitThreshold: Generated<number>
  updatedAt: Generated<Date>
}

/** One fired rule in a score's explanation; points are decayed for engagement, rounded to 0.1. */
export interface ScoreReason {
  ruleId: string
  kind: ScoringRuleKind
  name: string
  points: number
  /** Engagement: how many touches matched. */
  touches?: number
}

export interface ContactScoresTable {
  workspaceId: string
  contactId: string
  fit: number
  engagement: number
  explanation: ColumnType<ScoreReason[], string | undefined, string>
  scoredAt: Generated<Date>
}

export type ScoreCause = 'rules' | 'touch' | 'record' | 'decay' | 'manual'

export interface ScoreHistoryTable {
  workspaceId: string
  contactId: string
  recordedAt: Generated<Date>
  fit: number
  engagement: number
  cause: ScoreCause
}

/** Contacts waiting to be rescored (filled by triggers, drained by the scoring worker). */
export interface ScoreQueueTable {
  workspaceId: string
  contactId: string
  cause: Generated<ScoreCause>
  queuedAt: Generated<Date>
}

/** A trained predictive model (issue 10): the serialised calibrated learner and its holdout report. */
export interface PredictiveModelsTable {
  workspaceId: string
  id: string
  trainedAt: Timestamp
  learner: 'logistic' | 'gbm'
  model: JsonValue<unknown>
  report: JsonValue<unknown>
}

export type PredictiveTrainingStatus = 'idle' | 'queued' | 'running' | 'failed'

export interface PredictiveTrainingTable {
  workspaceId: string
  status: PredictiveTrainingStatus
  error: string | null
  startedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  updatedAt: Generated<Date>
}

/** One of a contact's top factors: a feature's contribution to the log-odds. */
export interface PredictiveFactor {
  feature: string
  label: string
  value: string | number | null
  contribution: number
}

export interface PredictiveScoresTable {
  workspaceId: string
  contactId: string
  modelId: string
  probability: number
  scoredAt: Generated<Date>
}

/** A workspace's attribution settings (issue 12); defaults while it has no row. */
export interface AttributionSettingsTable {
  workspaceId: string
  defaultModel: string
  lookbackDays: number
  /** numeric(6,2): pg returns it as text. */
  halfLifeDays: ColumnType<string, number | string | undefined, number | string>
  customWeights: ColumnType<
    { FT: number; LC: number; OC: number; CW: number; others: number },
    string | undefined,
    string
  >
  includeSalesTouches: boolean
  sourcedBy: 'first_touch' | 'lead_creation'
  updatedAt: Generated<Date>
}

export type AttributionConversion = 'lead_created' | 'mql' | 'sql' | 'opportunity_created' | 'won'
export type AttributionRowKind = 'touch' | 'pending' | 'no_touch'

/** Every model's credits per conversion kind, month, channel and campaign (issue 12). */
export interface AttributionRollupsTable {
  workspaceId: string
  model: string
  conversion: AttributionConversion
  /** The first day of the conversion's month (UTC), YYYY-MM-DD. */
  month: ColumnType<string, string, string>
  kind: AttributionRowKind
  channel: string | null
  campaignId: string | null
  conversions: number
  /** Credited value in minor units of the base currency (bigint: text from pg). */
  revenue: ColumnType<string, number | bigint | string, number | bigint | string>
}

/** Each conversion's credits per touch under the default model (issue 12). */
export interface AttributionCreditsTable {
  workspaceId: string
  conversion: AttributionConversion
  subjectId: string
  convertedAt: Timestamp
  kind: AttributionRowKind
  touchpointId: string | null
  touchAt: NullableTime
  channel: string | null
  campaignId: string | null
  credit: number
  revenue: ColumnType<string, number | bigint | string, number | bigint | string>
}

/** Deals, contacts and accounts whose journeys changed since the last run (issue 12). */
export interface AttributionQueueTable {
  workspaceId: string
  subject: 'contact' | 'account' | 'deal'
  id: string
  queuedAt: Generated<Date>
}

/** One subject's share of the rollups for one conversion kind (issue 12, incremental recompute). */
export interface AttributionContributionsTable {
  workspaceId: string
  subjectId: string
  conversion: AttributionConversion
  /** When the subject converted (for the drill-down under models without stored credits). */
  convertedAt: Date
  /** [model, month, kind, channel, campaign id, conversions, revenue] rows. */
  rows: ColumnType<
    [string, string, string, string | null, string | null, number, number][],
    string,
    string
  >
}

export interface AttributionRunsTable {
  workspaceId: string
  status: Generated<'idle' | 'queued' | 'running' | 'failed'>
  queuedAt: NullableTime
  startedAt: NullableTime
  finishedAt: NullableTime
  model: string | null
  weights: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  missingRates: Generated<string[]>
  error: string | null
}
