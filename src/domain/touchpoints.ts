/**
 * Touchpoint types and channel slugs, exactly as DEFINITIONS.md ("Touchpoints and channels") names
 * them. The domain owns them; src/server/touchpoints/kinds.ts re-exports them for the server.
 */

/** Touchpoint types; `custom` keeps the tracked event's name beside it. */
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

/** Channel slugs, in the order the channel rules try them (first match wins). */
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
