import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { RoutingCondition } from '../../domain/routing.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { Id } from '../http/schemas.ts'
import { changes } from '../records/fields.ts'
import { presentRule } from './present.ts'
import {
  findRule,
  findTeamRef,
  lockRule,
  lockRuleOrder,
  nextRulePosition,
  selectRules,
} from './queries.ts'

export const RoutingRuleInput = z.object({
  name: z.string().trim().min(1).max(200),
  teamId: Id,
  conditions: z.array(RoutingCondition).max(50).optional(),
  isActive: z.boolean().optional(),
})
export type RoutingRuleInput = z.infer<typeof RoutingRuleInput>
export const RoutingRulePatch = RoutingRuleInput.partial()
export type RoutingRulePatch = z.infer<typeof RoutingRulePatch>
export const RuleOrder = z.object({ ids: z.array(Id).max(1000) })
export type RuleOrder = z.infer<typeof RuleOrder>

async function requireTeam(db: Kysely<DB>, workspaceId: string, teamId: string) {
  const team = await findTeamRef(db, workspaceId, teamId)
  if (!team) {
    throw new AppError('invalid_input', 'teamId: no team of this workspace has this id', {
      field: 'teamId',
    })
  }
}

async function getRule(db: Kysely<DB>, workspaceId: string, id: string) {
  const row = await findRule(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Routing rule not found')
  return presentRule(row)
}

/** The routing rules in the order they are tried (the first that matches a lead wins). */
export async function listRules(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'members:read')
  return { data: (await selectRules(db, workspaceId)).map(presentRule), nextCursor: null }
}

/** Adds a rule at the end of the order: earlier rules keep their priority. */
export async function createRule(db: Database, principal: Principal, input: RoutingRuleInput) {
  const { workspaceId } = requirePermission(principal, 'routing:manage')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    await requireTeam(trx, workspaceId, input.teamId)
    await lockRuleOrder(trx, workspaceId)
    const position = await nextRulePosition(trx, workspaceId)
    const values = {
      name: input.name,
      teamId: input.teamId,
      conditions: input.conditions ?? [],
      isActive: input.isActive ?? true,
    }
    await trx
      .insertInto('routingRules')
      .values({
        workspaceId,
        id,
        position,
        ...values,
        conditions: JSON.stringify(values.conditions),
      })
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'routing_rule.create',
      targetType: 'routing_rule',
      targetId: id,
      details: { ...values, position },
    })
  })
  return getRule(db, workspaceId, id)
}

/** Renames a rule, points it at another team, replaces its conditions or (de)activates it. */
export async function updateRule(
  db: Database,
  principal: Principal,
  id: string,
  patch: RoutingRulePatch,
) {
  const { workspaceId } = requirePermission(principal, 'routing:manage')
  await db.transaction().execute(async (trx) => {
    const before = await lockRule(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Routing rule not found')
    if (patch.teamId !== undefined) await requireTeam(trx, workspaceId, patch.teamId)
    const { conditions, ...fields } = patch
    await trx
      .updateTable('routingRules')
      .set({
        ...fields,
        ...(conditions ? { conditions: JSON.stringify(conditions) } : {}),
        updatedAt: new Date(),
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'routing_rule.update',
      targetType: 'routing_rule',
      targetId: id,
      details: changes(before, patch),
    })
  })
  return getRule(db, workspaceId, id)
}

/** Deletes a rule for good; leads it matched fall to the next rules. The audit log keeps it. */
export async function deleteRule(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'routing:manage')
  await db.transaction().execute(async (trx) => {
    const before = await lockRule(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Routing rule not found')
    await trx
      .deleteFrom('routingRules')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'routing_rule.delete',
      targetType: 'routing_rule',
      targetId: id,
      details: {
        name: before.name,
        teamId: before.teamId,
        conditions: before.conditions,
        isActive: before.isActive,
        position: before.position,
      },
    })
  })
}

/** Sets the order rules are tried in; `ids` must name every rule of the workspace once. */
export async function reorderRules(db: Database, principal: Principal, input: RuleOrder) {
  const { workspaceId } = requirePermission(principal, 'routing:manage')
  await db.transaction().execute(async (trx) => {
    await lockRuleOrder(trx, workspaceId)
    const current = await selectRules(trx, workspaceId)
    const known = new Set(current.map((r) => r.id))
    const given = new Set(input.ids)
    const unknown = input.ids.filter((id) => !known.has(id))
    const missing = current.filter((r) => !given.has(r.id)).map((r) => r.id)
    if (given.size !== input.ids.length || unknown.length > 0 || missing.length > 0) {
      throw new AppError(
        'invalid_input',
        'ids: must list every routing rule of this workspace exactly once',
        { field: 'ids', unknown, missing },
      )
    }
    for (const [position, id] of input.ids.entries()) {
      await trx
        .updateTable('routingRules')
        .set({ position, updatedAt: new Date() })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', id)
        .execute()
    }
    await recordAudit(trx, principal, workspaceId, {
      action: 'routing_rule.reorder',
      targetType: 'routing_rule',
      details: { from: current.map((r) => r.id), to: input.ids },
    })
  })
  return listRules(db, principal)
}
