import type { Role } from '../db/schema.ts'

/** What each role may do: the one table every service checks (ARCHITECTURE.md, Security). */
export const roles = [
  'admin',
  'marketing',
  'sales',
  'sales_manager',
  'viewer',
] as const satisfies readonly Role[]

export type Permission =
  | 'workspace:read'
  | 'workspace:update'
  | 'members:read'
  | 'members:manage'
  | 'api_keys:manage'
  | 'write_keys:manage'
  | 'tracking:manage'
  | 'identities:manage'
  | 'audit:read'
  | 'records:read'
  | 'records:write'
  | 'records:delete'
  | 'campaigns:write'
  | 'catalog:manage'
  | 'privacy:manage'
  | 'handoffs:work'
  | 'handoffs:manage'
  | 'routing:manage'
  | 'sla:manage'
  | 'mql:manage'
  | 'webhooks:manage'
  | 'feedback:manage'
  | 'scoring:manage'
  | 'fit:override'
  | 'attribution:manage'
  | 'forecast:submit'
  | 'forecast:manage'
  | 'today:team'
  | 'targets:manage'
  | 'plan:agree_sales'
  | 'plan:agree_marketing'
  | 'leader:read'

const everyone: Permission[] = ['workspace:read', 'members:read', 'records:read']
const editors: Permission[] = [...everyone, 'records:write']

// catalog:manage covers the workspace's set-up: teams, pipelines and stages, products, custom
// fields, personas and exchange rates. write_keys:manage (create, rotate, revoke) is for admin and
// marketing, who install the tracking snippet, and so is tracking:manage (the snippet's settings:
// consent, cookie domain, form capture); every member may list write keys, which are public by
// design (they sit in the website's HTML), unlike API keys. identities:manage (undoing an identity
// merge of ingestion) is the admin's alone, and so is privacy:manage (a contact's personal-data
// export and erasure, and lifting a suppression: docs/privacy.md).
// The handoff (issue 7): handoffs:work lets a rep accept, reject, rate and work the handoffs they
// own; handoffs:manage (sales managers, admins) acts on anyone's and reassigns. routing:manage and
// sla:manage (routing rules, rep capacity and absence, business calendars, SLA policies) belong to
// sales managers and admins; mql:manage (MQL rules, monthly MQL targets) to marketing and admins;
// webhooks:manage to admins. Marking a contact MQL by hand needs records:write.
// The Bridge (issue 8): feedback:manage (the taxonomy of objections and competitors) belongs to
// admins, marketing and sales managers; tagging a record needs only records:write.
// Scores and product fit (issue 9): scoring:manage (scoring rules, the half-life, the product-fit
// threshold) belongs to admins and marketing; fit:override (moving a poor-fit deal into a proposal
// or later stage, with a written reason) to sales managers and admins.
// Attribution (issue 12): attribution:manage (the default model, lookback window, custom weights)
// belongs to admins and marketing; every member reads the reports.
// The sales forecast (issue 13): forecast:submit lets sales, sales managers and admins submit their
// own forecast for an open period; forecast:manage lets sales managers (of the rep's team) and
// admins adjust a rep's submission with a note. Every member reads the forecast call.
// Today (issue 13): every member reads their own Today; today:team (any rep's Today, any team's
// view and leaderboard) belongs to sales managers and admins. A team's manager of another role sees
// their own team's reps without it.
// Targets (issue 13): targets:manage (revenue, deals won, SQL and pipeline targets of anyone)
// belongs to admins and sales managers; MQL targets stay with mql:manage (marketing's commitment).
// The reverse-waterfall plan (issue 13): plan:agree_sales (sales managers, admins) and
// plan:agree_marketing (marketing, admins) record each side's agreement; either may propose or edit
// a plan. leader:read (the leader view) is the admin role's, and anyone's given it.
export const permissionsOf: Record<Role, readonly Permission[]> = {
  admin: [
    ...editors,
    'records:delete',
    'campaigns:write',
    'catalog:manage',
    'workspace:update',
    'members:manage',
    'api_keys:manage',
    'write_keys:manage',
    'tracking:manage',
    'identities:manage',
    'audit:read',
    'privacy:manage',
    'handoffs:work',
    'handoffs:manage',
    'routing:manage',
    'sla:manage',
    'mql:manage',
    'webhooks:manage',
    'feedback:manage',
    'scoring:manage',
    'fit:override',
    'attribution:manage',
    'plan:agree_sales',
    'plan:agree_marketing',
    'leader:read',
    'targets:manage',
    'today:team',
    'forecast:submit',
    'forecast:manage',
  ],
  marketing: [
    ...editors,
    'records:delete',
    'campaigns:write',
    'write_keys:manage',
    'tracking:manage',
    'mql:manage',
    'feedback:manage',
    'scoring:manage',
    'attribution:manage',
    'plan:agree_marketing',
  ],
  sales: [...editors, 'handoffs:work', 'forecast:submit'],
  sales_manager: [
    ...editors,
    'records:delete',
    'handoffs:work',
    'handoffs:manage',
    'routing:manage',
    'sla:manage',
    'feedback:manage',
    'fit:override',
    'plan:agree_sales',
    'targets:manage',
    'today:team',
    'forecast:submit',
    'forecast:manage',
  ],
  viewer: everyone,
}

export function can(role: Role, permission: Permission): boolean {
  return permissionsOf[role].includes(permission)
}
