import type { Kysely } from 'kysely'
import { checkCustomValues, loadDefinitions } from '../custom-fields/values.ts'
import type { CustomValues, DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { findProductsById } from '../products/service.ts'
import { requireMember } from '../records/common.ts'
import type { DealContactInput, DealPatch, LineItemInput } from './input.ts'
import { selectLiveIds } from './queries.ts'

export function invalid(field: string, message: string): never {
  throw new AppError('invalid_input', `${field}: ${message}`, { field })
}

async function requireLive(
  db: Kysely<DB>,
  table: 'accounts' | 'campaigns',
  workspaceId: string,
  id: string,
  field: string,
) {
  const found = await selectLiveIds(db, table, workspaceId, [id])
  if (!found.has(id)) invalid(field, `no ${table.slice(0, -1)} of this workspace has this id`)
}

/** The buying group, checked: contacts of this workspace, each once, at most one primary. */
async function checkContacts(db: Kysely<DB>, workspaceId: string, contacts: DealContactInput[]) {
  const found = await selectLiveIds(
    db,
    'contacts',
    workspaceId,
    contacts.map((c) => c.contactId),
  )
  const seen = new Set<string>()
  for (const [i, c] of contacts.entries()) {
    if (!found.has(c.contactId)) {
      invalid(`contacts[${i}].contactId`, 'no contact of this workspace has this id')
    }
    if (seen.has(c.contactId)) invalid(`contacts[${i}].contactId`, 'this contact is listed twice')
    seen.add(c.contactId)
  }
  if (contacts.filter((c) => c.isPrimary).length > 1) {
    invalid('contacts', 'at most one contact can be the primary contact')
  }
  return contacts.map((c) => ({
    contactId: c.contactId,
    role: c.role ?? null,
    isPrimary: c.isPrimary ?? false,
  }))
}

/** Line items, checked: products of this workspace; the unit price defaults to the product's. */
async function checkLineItems(db: Kysely<DB>, workspaceId: string, items: LineItemInput[]) {
  const products = await findProductsById(
    db,
    workspaceId,
    items.map((i) => i.productId),
  )
  return items.map((item, i) => {
    const product = products.get(item.productId)
    if (!product) invalid(`lineItems[${i}].productId`, 'no product of this workspace has this id')
    return {
      productId: item.productId,
      quantity: item.quantity,
      unitPrice: item.unitPrice ?? product.price,
    }
  })
}

/**
 * Checks every record a deal input points at belongs to this workspace (a record of another one
 * is invalid_input naming the field, never revealed), and turns the input into column values plus
 * the contacts and line items to store (undefined: leave them as they are).
 */
export async function checkLinks(
  db: Kysely<DB>,
  workspaceId: string,
  input: DealPatch,
  existingCustom?: CustomValues,
) {
  const { custom, contacts, lineItems, pipelineId: _p, stageId: _s, ...rest } = input
  const values: Record<string, unknown> = { ...rest }
  if (input.accountId) {
    await requireLive(db, 'accounts', workspaceId, input.accountId, 'accountId')
  }
  if (input.sourceCampaignId) {
    await requireLive(db, 'campaigns', workspaceId, input.sourceCampaignId, 'sourceCampaignId')
  }
  if (input.ownerId) await requireMember(db, workspaceId, input.ownerId, 'ownerId')
  if (custom !== undefined) {
    const definitions = await loadDefinitions(db, workspaceId, 'deal')
    values.custom = JSON.stringify(checkCustomValues(definitions, custom, existingCustom))
  }
  return {
    values,
    contacts: contacts && (await checkContacts(db, workspaceId, contacts)),
    lineItems: lineItems && (await checkLineItems(db, workspaceId, lineItems)),
  }
}
