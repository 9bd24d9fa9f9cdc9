import { createHash, randomBytes } from 'node:crypto'
import { uuidv7 } from 'uuidv7'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { Role } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import type { Mailer } from '../mail/mailer.ts'
import { presentInvitation } from './present.ts'
import { findInvitationByTokenHash, selectInvitations } from './queries.ts'

const invitationDays = 7

function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

export async function listInvitations(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'members:manage')
  const rows = await selectInvitations(db, workspaceId)
  return { data: rows.map(presentInvitation), nextCursor: null }
}

/** Invites an email address with a role; the link is mailed (or logged) and returned to the admin. */
export async function inviteMember(
  db: Database,
  mailer: Mailer,
  principal: Principal,
  input: { email: string; role: Role; origin: string },
) {
  const { workspaceId } = requirePermission(principal, 'members:manage')
  const email = input.email.toLowerCase()
  const already = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select('m.userId')
    .where('m.workspaceId', '=', workspaceId)
    .where('u.email', '=', email)
    .executeTakeFirst()
  if (already) throw new AppError('conflict', `${email} is already a member`, { field: 'email' })
  const token = randomBytes(24).toString('base64url')
  const acceptUrl = `${input.origin}/invite/${token}`
  const row = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('invitations')
      .set({ status: 'revoked' })
      .where('workspaceId', '=', workspaceId)
      .where('email', '=', email)
      .where('status', '=', 'pending')
      .execute()
    const created = await trx
      .insertInto('invitations')
      .values({
        workspaceId,
        id: uuidv7(),
        email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: principal.kind === 'user' ? principal.userId : null,
        expiresAt: new Date(Date.now() + invitationDays * 86_400_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, principal, workspaceId, {
      action: 'invitation.create',
      targetType: 'invitation',
      targetId: created.id,
      details: { email, role: input.role },
    })
    return created
  })
  await mailer.send(
    email,
    'You are invited to Tandem',
    `Join the workspace on Tandem: ${acceptUrl}`,
  )
  const invitedByName = principal.kind === 'user' ? principal.name : null
  return { ...presentInvitation({ ...row, invitedByName }), acceptUrl }
}

export async function revokeInvitation(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'members:manage')
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('invitations')
      .set({ status: 'revoked' })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returning(['email'])
      .executeTakeFirst()
    if (!row) throw new AppError('not_found', 'Invitation not found or no longer pending')
    await recordAudit(trx, principal, workspaceId, {
      action: 'invitation.revoke',
      targetType: 'invitation',
      targetId: id,
      details: { email: row.email },
    })
  })
}

/** What an invitation link offers, shown before the person signs in. */
export async function previewInvitation(db: Database, token: string) {
  const row = await findInvitationByTokenHash(db, hashToken(token))
  if (!row) throw new AppError('not_found', 'This invitation link is not valid')
  const expired = row.status === 'pending' && row.expiresAt.getTime() < Date.now()
  return {
    workspaceName: row.workspaceName,
    email: row.email,
    role: row.role,
    status: expired ? 'expired' : row.status,
    expiresAt: row.expiresAt.toISOString(),
  }
}

/** The signed-in person whose email was invited joins the workspace with the invited role. */
export async function acceptInvitation(db: Database, principal: Principal, token: string) {
  if (principal.kind !== 'user') throw new AppError('forbidden', 'Sign in to accept an invitation')
  return db.transaction().execute(async (trx) => {
    const row = await findInvitationByTokenHash(trx, hashToken(token))
    if (!row) throw new AppError('not_found', 'This invitation link is not valid')
    if (row.status !== 'pending')
      throw new AppError('conflict', `This invitation was ${row.status}`)
    if (row.expiresAt.getTime() < Date.now())
      throw new AppError('conflict', 'This invitation has expired')
    if (row.email !== principal.email.toLowerCase()) {
      throw new AppError(
        'forbidden',
        `This invitation is for ${row.email}; sign in with that address`,
      )
    }
    await trx
      .insertInto('memberships')
      .values({ workspaceId: row.workspaceId, userId: principal.userId, role: row.role })
      .onConflict((oc) => oc.columns(['workspaceId', 'userId']).doNothing())
      .execute()
    await trx
      .updateTable('invitations')
      .set({ status: 'accepted', acceptedBy: principal.userId, acceptedAt: new Date() })
      .where('workspaceId', '=', row.workspaceId)
      .where('id', '=', row.id)
      .execute()
    await recordAudit(trx, principal, row.workspaceId, {
      action: 'invitation.accept',
      targetType: 'invitation',
      targetId: row.id,
      details: { email: row.email, role: row.role },
    })
    return { workspaceId: row.workspaceId }
  })
}
