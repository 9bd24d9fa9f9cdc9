/**
 * Tandem's website tracking snippet (docs/tracking.md). GET /t.js serves it built by esbuild, with
 * helpers.ts and storage.ts, into one self-contained ES2019 IIFE, followed by
 * `tandemSnippet.start(<config>)`. No dependencies; it runs in browsers from 2019 on, guards every
 * browser API it uses, and sends Segment-spec events to the same /v1/batch endpoint as Segment's
 * libraries.
 */
import {
  byteLength,
  type Campaign,
  chunkEvents,
  type FormField,
  formTraits,
  isDoNotTrack,
  parseUtm,
  retryDelayMs,
  uuid,
} from './helpers.ts'
import { parseJson, readCookie, readStored, writeCookie, writeStored } from './storage.ts'

/** What GET /t.js configures the snippet with: the write key and the workspace's settings. */
export interface SnippetConfig {
  writeKey: string
  host: string
  consentRequired: boolean
  cookieDomain: string | null
  captureForms: boolean
}

type Json = Record<string, unknown>
type Stored = { first?: Campaign; last?: Campaign }
type Api = Record<string, (...args: unknown[]) => unknown>

export const libraryVersion = '1.0.0'
/** Events sent by one fetch, and the most kept waiting (the oldest go first). */
export const batchSize = 20
export const maxQueued = 100
/** sendBeacon refuses bodies over 64 KB: chunks stay below 60 KB, envelope included. */
export const beaconBytes = 60_000

const aidKey = 'tandem_aid'
const utmKey = 'tandem_utm'
const uidKey = 'tandem_uid'
const consentKey = 'tandem_consent'
const queueKey = 'tandem_queue'

/** Starts tracking on this page: `window.tandem`, the first page view, history and form listeners. */
export function start(config: SnippetConfig): void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return
  const w = window as unknown as Window & { tandem?: unknown; doNotTrack?: string }
  const stub = w.tandem
  if (stub && !Array.isArray(stub)) return // loaded twice
  const nav = typeof navigator === 'undefined' ? undefined : navigator
  const dnt = isDoNotTrack(nav as Parameters<typeof isDoNotTrack>[0], w)
  const domain = config.cookieDomain
  const endpoint = `${config.host.replace(/\/+$/, '')}/v1/batch`
  const choice = readCookie(consentKey)
  let granted = !dnt && (choice === '1' || (!config.consentRequired && choice !== '0'))
  let aid = readCookie(aidKey) || readStored(aidKey) || uuid()
  let uid = readStored(uidKey)
  const stored = parseJson(readCookie(utmKey) || readStored(utmKey))
  const utm: Stored = stored && typeof stored === 'object' ? (stored as Stored) : {}
  const persisted = granted ? parseJson(readStored(queueKey)) : undefined
  let queue: Json[] = Array.isArray(persisted)
    ? persisted.filter((e) => e && typeof e === 'object')
    : []
  let held: Json[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let sending = false
  let warned = false
  let pageUrl = currentUrl()
  let referrer = document.referrer
  let route = location.pathname + location.search

  function currentUrl() {
    return location.href.replace(/#.*$/, '')
  }

  function save() {
    if (!granted) return
    writeCookie(aidKey, aid, domain)
    writeStored(aidKey, aid)
    const text = JSON.stringify(utm)
    if (text !== '{}') {
      writeCookie(utmKey, text, domain)
      writeStored(utmKey, text)
    }
    if (uid) writeStored(uidKey, uid)
  }

  function saveQueue() {
    if (granted) writeStored(queueKey, queue.length > 0 ? JSON.stringify(queue) : null)
  }

  function noteUtm() {
    const seen = parseUtm(location.search)
    if (!seen) return undefined
    if (!utm.first) utm.first = seen
    utm.last = seen
    save()
    return seen
  }

  function body(batch: Json[]) {
    return JSON.stringify({ batch, writeKey: config.writeKey, sentAt: new Date().toISOString() })
  }

  function sizeOf(event: Json) {
    return byteLength(JSON.stringify(event))
  }

  function drop(sent: Json[]) {
    queue = queue.filter((event) => sent.indexOf(event) < 0)
    saveQueue()
  }

  function later(ms: number) {
    if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined
        flush()
      }, ms)
    }
  }

  function warn(message: string) {
    if (warned || typeof console === 'undefined') return
    warned = true
    console.warn(`Tandem: ${message}`)
  }

  function flush() {
    if (sending || !granted || queue.length === 0) return
    if (typeof fetch !== 'function') return beacon()
    const batch = chunkEvents(queue, sizeOf, beaconBytes, batchSize)[0] || []
    const settle = (retry: boolean) => {
      sending = false
      if (retry) {
        // The backoff replaces a sooner flush that events queued meanwhile asked for.
        clearTimeout(timer)
        timer = undefined
        return later(retryDelayMs(attempt++))
      }
      attempt = 0
      drop(batch)
      if (queue.length > 0) later(0)
    }
    sending = true
    fetch(endpoint, {
      method: 'POST',
      keepalive: true,
      credentials: 'omit',
      headers: { 'content-type': 'text/plain' },
      body: body(batch),
    }).then(
      (response) => {
        if (response.ok) return settle(false)
        if (response.status === 429 || response.status >= 500) return settle(true)
        // Refused for good (a revoked key, an invalid event): resending cannot help.
        response.json().then(
          (answer) => warn(String(answer?.error?.message || '')),
          () => warn(`HTTP ${response.status}`),
        )
        settle(false)
      },
      () => settle(true),
    )
  }

  /** Sends what waits with sendBeacon: the page is going away (or may be killed once hidden). */
  function beacon() {
    // While the server fails, keep the events for the next page instead.
    if (!granted || queue.length === 0 || attempt > 0) return
    if (!nav || typeof nav.sendBeacon !== 'function' || typeof Blob !== 'function') return
    for (const chunk of chunkEvents(queue, sizeOf, beaconBytes - 500)) {
      try {
        if (nav.sendBeacon(endpoint, new Blob([body(chunk)], { type: 'text/plain' }))) drop(chunk)
      } catch {
        // Refused (over the browser's beacon quota): kept for the next page.
      }
    }
  }

  function send(event: Json) {
    if (dnt) return
    if (!granted) {
      held = held.concat(event).slice(-maxQueued)
      return
    }
    queue = queue.concat(event).slice(-maxQueued)
    saveQueue()
    if (queue.length >= batchSize && attempt === 0) flush()
    else later(1000)
  }

  function event(type: string, fields: Json, campaign?: Campaign): Json {
    const context: Json = {
      page: {
        url: currentUrl(),
        path: location.pathname,
        referrer,
        title: document.title,
        search: location.search,
      },
      library: { name: 'tandem.js', version: libraryVersion },
    }
    if (nav) {
      context.userAgent = nav.userAgent
      context.locale = nav.language
    }
    if (campaign) context.campaign = campaign
    const result: Json = {
      type,
      messageId: uuid(),
      timestamp: new Date().toISOString(),
      anonymousId: aid,
      context,
    }
    if (uid) result.userId = uid
    for (const key in fields) if (fields[key] !== undefined) result[key] = fields[key]
    return result
  }

  // A wrong argument must not cost the batch it would go in (the server refuses it whole).
  function objectOr(value: unknown): Json {
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {}
  }

  function identify(userId?: unknown, traits?: unknown) {
    if (userId && typeof userId === 'object') return identify(undefined, userId)
    if ((typeof userId === 'string' && userId) || typeof userId === 'number') {
      uid = String(userId)
      save()
    }
    send(event('identify', { traits: objectOr(traits) }, utm.last))
  }

  function track(name: unknown, properties?: unknown, campaign?: Campaign) {
    if (typeof name !== 'string' || !name.trim()) return
    send(event('track', { event: name.slice(0, 200), properties: objectOr(properties) }, campaign))
  }

  function page(name?: unknown, properties?: unknown, campaign?: Campaign) {
    if (name && typeof name === 'object') return page(undefined, name)
    send(
      event(
        'page',
        { name: typeof name === 'string' ? name : undefined, properties: objectOr(properties) },
        campaign,
      ),
    )
  }

  function onRoute() {
    // After the app has rendered the new route, so the title is the new page's.
    setTimeout(() => {
      const next = location.pathname + location.search
      if (next === route) return
      route = next
      referrer = pageUrl
      pageUrl = currentUrl()
      page(undefined, undefined, noteUtm())
    }, 50)
  }

  function onSubmit(submitted: Event) {
    const form = submitted.target as HTMLFormElement | null
    if (form?.tagName !== 'FORM' || typeof form.querySelectorAll !== 'function') return
    // Tandem's own hosted forms (GET /f/<id>.js) record their submissions themselves.
    if (/(^|\s)tandem-form(\s|$)/.test(form.className || '')) return
    const fields: FormField[] = []
    const inputs = form.querySelectorAll('input,select,textarea')
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as HTMLInputElement
      fields.push({
        name: input.name || input.id || '',
        type: input.type || '',
        value: typeof input.value === 'string' ? input.value : '',
        autocomplete: input.autocomplete,
      })
    }
    const traits = formTraits(fields)
    if (!traits) return
    if (traits.email) identify(undefined, traits)
    const properties: Json = {
      formId: form.getAttribute('id') || undefined,
      formName: form.getAttribute('name') || undefined,
      formAction: typeof form.action === 'string' ? form.action : form.getAttribute('action'),
    }
    if (utm.first) properties.firstUtm = utm.first
    track('Form Submitted', properties, utm.last)
    // The browser is about to leave the page: a fetch could be cut off.
    beacon()
  }

  const api: Api = {
    identify,
    track: (name, properties) => track(name, properties),
    page: (name, properties) => page(name, properties),
    consent(accepted) {
      if (dnt) return
      writeCookie(consentKey, accepted ? '1' : '0', domain)
      if (accepted) {
        if (granted) return
        granted = true
        save()
        queue = queue.concat(held).slice(-maxQueued)
        held = []
        saveQueue()
        later(0)
        return
      }
      granted = false
      held = []
      queue = []
      for (const key of [aidKey, utmKey]) writeCookie(key, null, domain)
      for (const key of [aidKey, utmKey, uidKey, queueKey]) writeStored(key, null)
    },
    reset() {
      uid = null
      writeStored(uidKey, null)
      aid = uuid()
      save()
    },
    anonymousId: () => aid,
  }
  w.tandem = api
  if (dnt) return

  save()
  const landing = noteUtm()
  // Calls made before the snippet loaded: window.tandem = [['identify', 'u-1'], …]
  for (const call of (stub as unknown[][] | undefined) || []) {
    const method = Array.isArray(call) ? api[String(call[0])] : undefined
    if (method && Array.isArray(call)) method(...call.slice(1))
  }
  page(undefined, undefined, landing)

  const history = w.history
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history?.[name]
    if (typeof original !== 'function') continue
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      onRoute()
      return result
    }
  }
  w.addEventListener('popstate', onRoute)
  w.addEventListener('pagehide', beacon)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') beacon()
  })
  if (config.captureForms) document.addEventListener('submit', onSubmit, true)
  if (queue.length > 0) later(1000)
}
