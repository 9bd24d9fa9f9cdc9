/** Touchpoint types, exactly as DEFINITIONS.md (Touchpoints and channels) names them. */
export const touchpointTypes = [
  'page_view',
  'form_submit',
  'email_open',
  'email_click',
  'ad_click',
  'webinar',
  'event',
  'content_download',
  'content_view',
  'chat',
  'call',
  'meeting',
  'sales_email',
  'custom',
] as const
export type TouchpointType = (typeof touchpointTypes)[number]

/** Channel slugs of DEFINITIONS.md, in the order the channel rules try them. */
export const channels = [
  'sales',
  'paid_search',
  'paid_social',
  'display',
  'email',
  'events',
  'partner',
  'organic_social',
  'other',
  'organic_search',
  'referral',
  'direct',
] as const
export type Channel = (typeof channels)[number]
