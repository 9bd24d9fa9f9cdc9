/**
 * Touchpoint type of a Segment event (DEFINITIONS.md, "Touchpoints and channels"): a `page` or
 * `screen` is a `page_view`; a `track` maps by its event name through a configurable map (defaults
 * below, e.g. "Form Submitted" → `form_submit`), else `custom` (the caller keeps the event name).
 * Names compare case- and spacing-insensitively: "form_submitted", "FormSubmitted" and
 * " Form  Submitted " are all "Form Submitted".
 */
import type { TouchpointType } from './touchpoints.ts'

export interface TouchEvent {
  type: 'page' | 'screen' | 'track'
  /** The track call's event name. */
  event?: string | null
}

/** Event names of Segment's specs (E-mail, Video, Live Chat…) and common tools, by type. */
export const defaultTrackEventMap: Readonly<Record<string, TouchpointType>> = {
  'Form Submitted': 'form_submit',
  'Form Submit': 'form_submit',
  'Form Submission': 'form_submit',
  'Form Completed': 'form_submit',
  'Demo Requested': 'form_submit',
  'Signed Up': 'form_submit',
  'Email Opened': 'email_open',
  'Email Open': 'email_open',
  'Email Link Clicked': 'email_click',
  'Email Clicked': 'email_click',
  'Email Click': 'email_click',
  'Ad Clicked': 'ad_click',
  'Ad Click': 'ad_click',
  'Webinar Attended': 'webinar',
  'Webinar Joined': 'webinar',
  'Event Attended': 'event',
  'Booth Visited': 'event',
  'Content Downloaded': 'content_download',
  'Asset Downloaded': 'content_download',
  'File Downloaded': 'content_download',
  'Content Viewed': 'content_view',
  'Asset Viewed': 'content_view',
  'Video Watched': 'content_view',
  'Chat Started': 'chat',
  'Live Chat Conversation Started': 'chat',
  'Meeting Booked': 'meeting',
  'Meeting Scheduled': 'meeting',
}

const compiledCache = new WeakMap<object, ReadonlyMap<string, TouchpointType>>()

/**
 * Touchpoint type of a page, screen or track call. A workspace's `eventMap` is read over the
 * defaults: it adds names, and can retire a default by mapping it to `custom`.
 */
export function touchTypeOf(
  event: TouchEvent,
  eventMap?: Readonly<Record<string, TouchpointType>>,
): TouchpointType {
  if (event.type === 'page' || event.type === 'screen') return 'page_view'
  const key = eventNameKey(event.event ?? '')
  if (!key) return 'custom'
  return compileMap(eventMap).get(key) ?? 'custom'
}

/** The comparison key of an event name: letters and digits only, lower-cased. */
export function eventNameKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
}

function compileMap(
  eventMap: Readonly<Record<string, TouchpointType>> | undefined,
): ReadonlyMap<string, TouchpointType> {
  const cacheKey = eventMap ?? defaultTrackEventMap
  let compiled = compiledCache.get(cacheKey)
  if (compiled) return compiled
  const map = new Map<string, TouchpointType>()
  for (const source of [defaultTrackEventMap, eventMap ?? {}]) {
    for (const [name, type] of Object.entries(source)) map.set(eventNameKey(name), type)
  }
  compiled = map
  compiledCache.set(cacheKey, compiled)
  return compiled
}
