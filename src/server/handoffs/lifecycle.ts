import type { LifecycleState } from '../../domain/lifecycle.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { updateContact } from '../contacts/service.ts'
import type { Database } from '../db/database.ts'
import { AppError } from '../errors.ts'
import { qualifyContact } from './open.ts'

/**
 * POST /contacts/{id}/lifecycle: `mql` qualifies the contact by hand and opens its handoff in the
 * same transaction; any other stage is the contact's usual stage change (forward-only, side states
 * with a re-engage date for recycled).
 */
export async function moveContactLifecycle(
  db: Database,
  principal: Principal,
  contactId: string,
  input: { stage: LifecycleState; reason?: string; recycleOn?: string },
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  if (input.recycleOn !== undefined && input.stage !== 'recycled') {
    throw new AppError('invalid_input', 'recycleOn: only applies when the stage is recycled', {
      field: 'recycleOn',
    })
  }
  if (input.stage !== 'mql') {
    const contact = await updateContact(db, principal, contactId, {
      lifecycleStage: input.stage,
      ...(input.recycleOn !== undefined ? { recycleUntil: input.recycleOn } : {}),
    })
    return { contactId, lifecycleStage: contact.lifecycleStage, handoffId: null }
  }
  if (!input.reason) {
    throw new AppError('invalid_input', 'reason: say why sales should talk to this person', {
      field: 'reason',
    })
  }
  const reason = input.reason
  const opened = await db.transaction().execute(async (trx) => {
    const handoff = await qualifyContact(trx, {
      workspaceId,
      contactId,
      source: 'manual',
      reason,
      actorId: principal.kind === 'user' ? principal.userId : null,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'contact.qualify',
      targetType: 'contact',
      targetId: contactId,
      details: { stage: 'mql', reason, handoffId: handoff?.handoffId ?? null },
    })
    return handoff
  })
  return { contactId, lifecycleStage: 'mql', handoffId: opened?.handoffId ?? null }
}
