/** People-facing words for the domain's snake_case values (DEFINITIONS.md). */

export interface Option {
  value: string
  label: string
}

export function humanize(value: string): string {
  const words = value.replaceAll('_', ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export const lifecycleOptions: Option[] = [
  { value: 'subscriber', label: 'Subscriber' },
  { value: 'lead', label: 'Lead' },
  { value: 'mql', label: 'MQL' },
  { value: 'sal', label: 'SAL' },
  { value: 'sql', label: 'SQL' },
  { value: 'opportunity', label: 'Opportunity' },
  { value: 'customer', label: 'Customer' },
  { value: 'evangelist', label: 'Evangelist' },
  { value: 'disqualified', label: 'Disqualified' },
  { value: 'recycled', label: 'Recycled' },
]

export const leadStatusOptions: Option[] = [
  { value: 'new', label: 'New' },
  { value: 'attempting', label: 'Attempting' },
  { value: 'connected', label: 'Connected' },
  { value: 'qualified', label: 'Qualified' },
  { value: 'disqualified', label: 'Disqualified' },
]

export const lossReasonOptions: Option[] = [
  { value: 'price', label: 'Price' },
  { value: 'competitor', label: 'Competitor' },
  { value: 'no_decision', label: 'No decision' },
  { value: 'budget_cut', label: 'Budget cut' },
  { value: 'timing', label: 'Timing' },
  { value: 'product_gap', label: 'Product gap' },
  { value: 'delivery_capacity', label: 'Delivery capacity' },
  { value: 'unresponsive', label: 'Unresponsive' },
  { value: 'no_access_to_decision_maker', label: 'No access to the decision maker' },
  { value: 'legal_security_procurement', label: 'Legal, security or procurement' },
  { value: 'poor_fit_walked_away', label: 'Poor fit: we walked away' },
]

export const marketingCouldHelpOptions: Option[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'unsure', label: 'Not sure' },
]

export const forecastCategoryOptions: Option[] = [
  { value: 'pipeline', label: 'Pipeline' },
  { value: 'best_case', label: 'Best case' },
  { value: 'commit', label: 'Commit' },
  { value: 'closed_won', label: 'Closed won' },
  { value: 'omitted', label: 'Omitted' },
]

export const activityTypeOptions: Option[] = [
  { value: 'call', label: 'Call' },
  { value: 'email', label: 'Email' },
  { value: 'meeting', label: 'Meeting' },
  { value: 'note', label: 'Note' },
  { value: 'task', label: 'Task' },
]

/** Channels of DEFINITIONS.md (Touchpoints and channels). */
export const channelOptions: Option[] = [
  { value: 'paid_search', label: 'Paid search' },
  { value: 'paid_social', label: 'Paid social' },
  { value: 'display', label: 'Display' },
  { value: 'email', label: 'Email' },
  { value: 'events', label: 'Events' },
  { value: 'partner', label: 'Partner' },
  { value: 'organic_social', label: 'Organic social' },
  { value: 'organic_search', label: 'Organic search' },
  { value: 'referral', label: 'Referral' },
  { value: 'direct', label: 'Direct' },
  { value: 'sales', label: 'Sales' },
  { value: 'other', label: 'Other' },
]

const all = [
  ...lifecycleOptions,
  ...leadStatusOptions,
  ...lossReasonOptions,
  ...forecastCategoryOptions,
  ...activityTypeOptions,
]

/** The label of a known value, else the value made readable; an em dash for nothing. */
export function labelOf(value: string | null | undefined, options: Option[] = all): string {
  if (value === null || value === undefined || value === '') return '—'
  return options.find((o) => o.value === value)?.label ?? humanize(value)
}
