import { endianness } from 'node:os'
import type { Kysely } from 'kysely'
import type pg from 'pg'
import { lifecycleStages } from '../../domain/lifecycle.ts'
import { copyBinaryRows, microsToMs, readMicros } from '../db/copy-binary.ts'
import type { DB } from '../db/schema.ts'
import { UuidIndex } from '../db/uuid-index.ts'
import { type DealRecord, loadDeals } from './facts.ts'

/**
 * What the full recompute reads of a workspace (issue 12), as columns: the same records as
 * `loadAttributionFacts` (facts.ts), but millions of touches arrive through binary COPY straight into
 * typed arrays, with contacts, accounts and campaigns numbered instead of kept as strings.
 */

export interface TouchTable {
  count: number
  /** Milliseconds since 1970, and the microseconds within that millisecond (0–999). */
  at: Float64Array
  micros: Int16Array
  /** Index into `channels`. */
  channel: Int32Array
  channels: string[]
  /** Numbers in `campaigns`, `contacts`, `accounts`; −1: none. `account` is set only without a contact. */
  campaign: Int32Array
  contact: Int32Array
  account: Int32Array
  /** 16 bytes per touch. */
  ids: Uint8Array
}

export interface AttributionColumns {
  /** Live contacts are numbered 0 … contactCount − 1 in id order; contacts only touches name follow. */
  contacts: UuidIndex
  contactCount: number
  /** Per live contact: its account's number, or −1. */
  contactAccount: Int32Array
  /** Per live contact: its lead-creation touch's id (16 bytes), when `hasLeadCreation`. */
  leadCreation: Uint8Array
  hasLeadCreation: Uint8Array
  /** Per live contact: first entry into lead, MQL, SQL (ms); NaN: never, or not loaded. */
  leadAt: Float64Array
  mqlAt: Float64Array
  sqlAt: Float64Array
  accounts: UuidIndex
  campaigns: UuidIndex
  touches: TouchTable
  deals: DealRecord[]
  baseCurrency: string
  missingRates: string[]
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A text array literal of fixed words of our code (COPY takes no parameters). */
const words = (list: readonly string[]) => `'{${list.join(',')}}'::text[]`

function grow<T extends Float64Array | Int32Array | Int16Array | Uint8Array>(
  array: T,
  size: number,
): T {
  if (size <= array.length) return array
  const grown = new (array.constructor as new (length: number) => T)(
    Math.max(size, array.length * 2),
  )
  grown.set(array)
  return grown
}

async function loadContacts(
  client: pg.ClientBase,
  workspaceId: string,
  withStages: boolean,
  into: Pick<AttributionColumns, 'contacts' | 'accounts'>,
) {
  const atOrAfter = (stage: 'lead' | 'mql' | 'sql') =>
    words(lifecycleStages.slice(lifecycleStages.indexOf(stage)))
  const select = withStages
    ? `select c.id, c.account_id, c.lead_creation_touchpoint_id,
        min(e.entered_at) filter (where e.stage = any(${atOrAfter('lead')})),
        min(e.entered_at) filter (where e.stage = any(${atOrAfter('mql')})),
        min(e.entered_at) filter (where e.stage = any(${atOrAfter('sql')}))
      from contacts c
      left join lifecycle_entries e
        on e.workspace_id = c.workspace_id and e.entity = 'contact' and e.record_id = c.id
      where c.workspace_id = '${workspaceId}' and c.deleted_at is null and c.merged_into is null
      group by c.workspace_id, c.id
      order by c.id`
    : `select c.id, c.account_id, c.lead_creation_touchpoint_id, null::timestamptz,
        null::timestamptz, null::timestamptz
      from contacts c
      where c.workspace_id = '${workspaceId}' and c.deleted_at is null and c.merged_into is null
      order by c.id`
  let account = new Int32Array(1024)
  let leadCreation = new Uint8Array(16 * 1024)
  let hasLeadCreation = new Uint8Array(1024)
  const stages: Float64Array[] = [
    new Float64Array(1024),
    new Float64Array(1024),
    new Float64Array(1024),
  ]
  let n = 0
  await copyBinaryRows(client, select, 6, (buf, starts, lengths) => {
    into.contacts.at(buf, starts[0] as number, true)
    account = grow(account, n + 1)
    hasLeadCreation = grow(hasLeadCreation, n + 1)
    leadCreation = grow(leadCreation, 16 * (n + 1))
    account[n] = lengths[1] === 16 ? into.accounts.at(buf, starts[1] as number, true) : -1
    if (lengths[2] === 16) {
      const start = starts[2] as number
      leadCreation.set(buf.subarray(start, start + 16), 16 * n)
      hasLeadCreation[n] = 1
    }
    for (let s = 0; s < 3; s++) {
      const column = grow(stages[s] as Float64Array, n + 1)
      stages[s] = column
      column[n] =
        lengths[3 + s] === 8 ? microsToMs(readMicros(buf, starts[3 + s] as number)) : Number.NaN
    }
    n++
  })
  const [leadAt, mqlAt, sqlAt] = stages.map((column) => column.slice(0, n)) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ]
  return {
    contactCount: n,
    contactAccount: account.slice(0, n),
    leadCreation: leadCreation.slice(0, 16 * n),
    hasLeadCreation: hasLeadCreation.slice(0, n),
    leadAt,
    mqlAt,
    sqlAt,
  }
}

/** Channel names read from binary rows without a string per row. */
class ChannelNames {
  readonly names: string[] = []
  private readonly byKey = new Map<number, { bytes: Buffer; index: number }[]>()

  at(buf: Buffer, start: number, length: number): number {
    const key =
      length > 0
        ? length * 16_777_216 +
          (buf[start] as number) * 65_536 +
          (buf[start + length - 1] as number) * 256 +
          (buf[start + (length >> 1)] as number)
        : 0
    let list = this.byKey.get(key)
    if (list) {
      for (const entry of list) {
        const { bytes } = entry
        let k = 0
        while (k < length && bytes[k] === buf[start + k]) k++
        if (k === length && bytes.length === length) return entry.index
      }
    } else {
      list = []
      this.byKey.set(key, list)
    }
    const bytes = Buffer.from(buf.subarray(start, start + length))
    const index = this.names.length
    this.names.push(bytes.toString('utf8'))
    list.push({ bytes, index })
    return index
  }
}

async function loadTouches(
  client: pg.ClientBase,
  workspaceId: string,
  includeSales: boolean,
  numbers: Pick<AttributionColumns, 'contacts' | 'accounts' | 'campaigns'>,
): Promise<TouchTable> {
  const select = `select contact_id, account_id, occurred_at, channel, campaign_id, id
    from touchpoints
    where workspace_id = '${workspaceId}' and not is_bot
      and (contact_id is not null or account_id is not null)
      ${includeSales ? '' : `and channel <> 'sales'`}`
  let capacity = 1 << 16
  let at = new Float64Array(capacity)
  let micros = new Int16Array(capacity)
  let channel = new Int32Array(capacity)
  let campaign = new Int32Array(capacity)
  let contact = new Int32Array(capacity)
  let account = new Int32Array(capacity)
  let ids = new Uint8Array(16 * capacity)
  const channels = new ChannelNames()
  const { contacts, accounts, campaigns } = numbers
  let n = 0
  await copyBinaryRows(client, select, 6, (buf, starts, lengths) => {
    if (n === capacity) {
      capacity *= 2
      at = grow(at, capacity)
      micros = grow(micros, capacity)
      channel = grow(channel, capacity)
      campaign = grow(campaign, capacity)
      contact = grow(contact, capacity)
      account = grow(account, capacity)
      ids = grow(ids, 16 * capacity)
    }
    if (lengths[0] === 16) {
      contact[n] = contacts.at(buf, starts[0] as number, true)
      account[n] = -1
    } else {
      contact[n] = -1
      account[n] = accounts.at(buf, starts[1] as number, true)
    }
    const time = readMicros(buf, starts[2] as number)
    const ms = microsToMs(time)
    at[n] = ms
    micros[n] = time - (ms - 946_684_800_000) * 1000
    channel[n] = channels.at(buf, starts[3] as number, lengths[3] as number)
    campaign[n] = lengths[4] === 16 ? campaigns.at(buf, starts[4] as number, true) : -1
    const id = starts[5] as number
    const into = 16 * n
    for (let k = 0; k < 16; k++) ids[into + k] = buf[id + k] as number
    n++
  })
  return {
    count: n,
    at: at.subarray(0, n),
    micros: micros.subarray(0, n),
    channel: channel.subarray(0, n),
    channels: channels.names,
    campaign: campaign.subarray(0, n),
    contact: contact.subarray(0, n),
    account: account.subarray(0, n),
    ids: ids.subarray(0, 16 * n),
  }
}

/**
 * Loads a workspace's attribution records as columns on `client` (in the caller's transaction);
 * `db` must run on the same connection. Contacts' lifecycle stages are read only `withStages`
 * (the contact conversions need them).
 */
export async function loadAttributionColumns(
  db: Kysely<DB>,
  client: pg.ClientBase,
  workspaceId: string,
  options: { includeSales: boolean; withStages: boolean },
): Promise<AttributionColumns> {
  if (!uuidPattern.test(workspaceId)) throw new RangeError(`not a workspace id: ${workspaceId}`)
  const numbers = {
    contacts: new UuidIndex(),
    accounts: new UuidIndex(),
    campaigns: new UuidIndex(),
  }
  const contacts = await loadContacts(client, workspaceId, options.withStages, numbers)
  const touches = await loadTouches(client, workspaceId, options.includeSales, numbers)
  const { deals, baseCurrency, missingRates } = await loadDeals(db, workspaceId)
  return { ...numbers, ...contacts, touches, deals, baseCurrency, missingRates }
}

/** Touches grouped per contact and per account, each group in time order. */
export interface TouchGroups {
  /** Contact groups first, then account groups: touch indexes. */
  order: Int32Array
  /** Per contact number: its touches are order[contactFrom[c]] … order[contactTo[c] − 1]. */
  contactFrom: Int32Array
  contactTo: Int32Array
  /** Per account number, likewise: its contacts' touches and its own. */
  accountFrom: Int32Array
  accountTo: Int32Array
}

/**
 * The touches' indexes by time to the millisecond, ties by index: each packed with its time in one
 * 64-bit word (milliseconds since the earliest touch above, index in the low 24 bits) and sorted as
 * numbers, natively. Null when that does not fit (over 2^24 touches, or 2^40 ms ≈ 34 years apart).
 */
function timeOrder(at: Float64Array): Int32Array | null {
  const count = at.length
  if (count >= 2 ** 24 || endianness() !== 'LE') return null
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < count; i++) {
    const time = at[i] as number
    if (time < min) min = time
    if (time > max) max = time
  }
  if (count > 0 && max - min >= 2 ** 40) return null
  const keys = new BigUint64Array(count)
  // Written as two 32-bit halves (little-endian words): no BigInt per touch.
  const halves = new Uint32Array(keys.buffer)
  for (let i = 0; i < count; i++) {
    const ms = (at[i] as number) - min
    halves[2 * i + 1] = Math.floor(ms / 256)
    halves[2 * i] = ((ms % 256) * 2 ** 24 + i) >>> 0
  }
  keys.sort()
  const order = new Int32Array(count)
  for (let i = 0; i < count; i++) order[i] = (halves[2 * i] as number) & 0xffffff
  return order
}

/**
 * Places touches with a key ≥ 0 at `offset` in `order`, grouped by key (counting sort), each group
 * in the order of `sequence` (all touches' indexes) when given.
 */
function groupByKey(
  keys: Int32Array,
  groups: number,
  order: Int32Array,
  offset: number,
  sequence: Int32Array | null,
) {
  const from = new Int32Array(groups)
  const to = new Int32Array(groups)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number
    if (key >= 0) to[key] = (to[key] as number) + 1
  }
  let next = offset
  for (let g = 0; g < groups; g++) {
    const size = to[g] as number
    from[g] = next
    to[g] = next
    next += size
  }
  for (let k = 0; k < keys.length; k++) {
    const i = sequence ? (sequence[k] as number) : k
    const key = keys[i] as number
    if (key < 0) continue
    const slot = to[key] as number
    order[slot] = i
    to[key] = slot + 1
  }
  return { from, to, end: next }
}

/** Sorts each group of `order` with `compare` unless it already is in order. */
function sortGroups(
  order: Int32Array,
  from: Int32Array,
  to: Int32Array,
  compare: (a: number, b: number) => number,
) {
  for (let g = 0; g < from.length; g++) {
    const start = from[g] as number
    const end = to[g] as number
    let sorted = true
    for (let p = start + 1; p < end && sorted; p++) {
      sorted = compare(order[p - 1] as number, order[p] as number) <= 0
    }
    if (!sorted) order.subarray(start, end).sort(compare)
  }
}

/**
 * Groups the touches as journeys read them (per contact only those flagged in `contacts` when given), in the order `loadAttributionFacts` and
 * `computeAttribution` give them so that both compute the same: a contact's touches by time (to the
 * microsecond, then id); an account's by millisecond, then contact (in id order; the account's own
 * touches last), then microsecond and id.
 */
export function groupTouches(columns: AttributionColumns, contacts?: Uint8Array): TouchGroups {
  const { touches, contactAccount, contactCount } = columns
  const { at, micros, ids } = touches
  const accountKey = new Int32Array(touches.count)
  // Only the contacts asked for get their group (all when not said): deals' journeys need few.
  const contact = contacts ? new Int32Array(touches.count) : touches.contact
  for (let i = 0; i < touches.count; i++) {
    const c = touches.contact[i] as number
    accountKey[i] =
      c < 0 ? (touches.account[i] as number) : c < contactCount ? (contactAccount[c] as number) : -1
    if (contacts) contact[i] = c >= 0 && contacts[c] === 1 ? c : -1
  }
  // Grouped in time order, only ties within a millisecond are left for the comparisons below.
  const sequence = timeOrder(at)
  const order = new Int32Array(2 * touches.count)
  const byContact = groupByKey(contact, columns.contacts.size, order, 0, sequence)
  const byAccount = groupByKey(accountKey, columns.accounts.size, order, byContact.end, sequence)
  const byId = (a: number, b: number) => {
    for (let k = 0; k < 16; k++) {
      const d = (ids[16 * a + k] as number) - (ids[16 * b + k] as number)
      if (d !== 0) return d
    }
    return 0
  }
  const rank = (i: number) => {
    const c = touches.contact[i] as number
    return c < 0 ? 2 ** 31 : c
  }
  sortGroups(
    order,
    byContact.from,
    byContact.to,
    (a, b) =>
      (at[a] as number) - (at[b] as number) ||
      (micros[a] as number) - (micros[b] as number) ||
      byId(a, b),
  )
  sortGroups(
    order,
    byAccount.from,
    byAccount.to,
    (a, b) =>
      (at[a] as number) - (at[b] as number) ||
      rank(a) - rank(b) ||
      (micros[a] as number) - (micros[b] as number) ||
      byId(a, b),
  )
  return {
    order: order.subarray(0, byAccount.end),
    contactFrom: byContact.from,
    contactTo: byContact.to,
    accountFrom: byAccount.from,
    accountTo: byAccount.to,
  }
}
