/**
 * The pure helpers of the tracking snippet (tandem.ts): no browser needed, so tandem.test.ts tests
 * them in Node. esbuild bundles them into the snippet's one IIFE.
 */

/** Segment's `context.campaign`: the UTM values under Segment's names. */
export interface Campaign {
  source?: string
  medium?: string
  name?: string
  term?: string
  content?: string
}

const utmNames: [string, keyof Campaign][] = [
  ['utm_source', 'source'],
  ['utm_medium', 'medium'],
  ['utm_campaign', 'name'],
  ['utm_term', 'term'],
  ['utm_content', 'content'],
]

/** The UTM values of a query string as Segment's context.campaign; undefined when it has none. */
export function parseUtm(search: string): Campaign | undefined {
  const campaign: Campaign = {}
  let found = false
  for (const part of search.replace(/^\?/, '').split('&')) {
    const at = part.indexOf('=')
    const name = at < 0 ? part : part.slice(0, at)
    const entry = utmNames.find((pair) => pair[0] === name.toLowerCase())
    if (!entry || at < 0 || campaign[entry[1]] !== undefined) continue
    let value = part.slice(at + 1).replace(/\+/g, ' ')
    try {
      value = decodeURIComponent(value)
    } catch {
      // A malformed escape: keep the raw text.
    }
    value = value.trim().slice(0, 200)
    if (value) {
      campaign[entry[1]] = value
      found = true
    }
  }
  return found ? campaign : undefined
}

/** Whether the visitor asked not to be tracked: Do Not Track or Global Privacy Control. */
export function isDoNotTrack(
  nav: { doNotTrack?: string | null; globalPrivacyControl?: boolean } | undefined,
  win: { doNotTrack?: string | null } | undefined,
): boolean {
  const dnt = nav?.doNotTrack || win?.doNotTrack
  return dnt === '1' || dnt === 'yes' || (!!nav && nav.globalPrivacyControl === true)
}

export interface FormField {
  name: string
  type: string
  value: string
  autocomplete?: string
}

const traitNames: Record<string, string> = {
  email: 'email',
  emailaddress: 'email',
  firstname: 'firstName',
  fname: 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  lname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  name: 'name',
  fullname: 'name',
  company: 'company',
  companyname: 'company',
  organization: 'company',
  organisation: 'company',
  phone: 'phone',
  phonenumber: 'phone',
  telephone: 'phone',
  tel: 'phone',
  mobile: 'phone',
}
const secretName = /pass|card|^cc|cvc|cvv|ssn|secret|token|iban/
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * The traits an identify takes from a submitted form's fields; undefined when the form has no email
 * field (an input of type email or named email). Only named traits are taken (email, firstName,
 * lastName, name, company, phone), never hidden, password or file inputs nor fields named like a
 * card number, password or SSN. `email` is left out when its value is not an email address.
 */
export function formTraits(fields: FormField[]): Record<string, string> | undefined {
  const traits: Record<string, string> = {}
  let hasEmailField = false
  for (const field of fields) {
    const type = field.type.toLowerCase()
    // `contact[first_name]` → firstname
    const name = field.name
      .toLowerCase()
      .replace(/^.*\[([^\]]*)\]$/, '$1')
      .replace(/[^a-z0-9]/g, '')
    if (type === 'hidden' || type === 'password' || type === 'file' || secretName.test(name)) {
      continue
    }
    if (/^cc-/.test((field.autocomplete || '').toLowerCase())) continue
    const trait = type === 'email' ? 'email' : traitNames[name]
    if (trait === 'email') hasEmailField = true
    const value = field.value.trim().slice(0, 200)
    if (!trait || !value || traits[trait] !== undefined) continue
    if (trait !== 'email' || email.test(value)) traits[trait] = value
  }
  return hasEmailField ? traits : undefined
}

/** Splits events into runs of at most `maxCount` whose JSON stays under `maxBytes` together. */
export function chunkEvents<T>(
  events: T[],
  sizeOf: (event: T) => number,
  maxBytes: number,
  maxCount = Number.POSITIVE_INFINITY,
): T[][] {
  const chunks: T[][] = []
  let chunk: T[] = []
  let bytes = 0
  for (const event of events) {
    const size = sizeOf(event) + 1
    if (chunk.length > 0 && (bytes + size > maxBytes || chunk.length >= maxCount)) {
      chunks.push(chunk)
      chunk = []
      bytes = 0
    }
    chunk.push(event)
    bytes += size
  }
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

/** The UTF-8 length of a string (an upper bound where TextEncoder is missing). */
export function byteLength(text: string): number {
  return typeof TextEncoder === 'function' ? new TextEncoder().encode(text).length : text.length * 3
}

/** The wait before retry number `attempt` (0-based): 1, 2, 4, 8, 16, then 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30, 2 ** attempt) * 1000
}

/** A random UUID v4: crypto.randomUUID where there is one (secure pages), else built by hand. */
export function uuid(): string {
  const c = typeof crypto === 'undefined' ? undefined : crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) => {
    const random =
      c && typeof c.getRandomValues === 'function'
        ? (c.getRandomValues(new Uint8Array(1))[0] ?? 0)
        : Math.floor(Math.random() * 256)
    return (Number(digit) ^ (random & (15 >> (Number(digit) / 4)))).toString(16)
  })
}
