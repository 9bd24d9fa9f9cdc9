/** Where a key stands now: `expiring` is a rotated key still inside its overlap. */
export type WriteKeyState = 'active' | 'expiring' | 'expired' | 'revoked'

export function writeKeyState(
  row: { revokedAt: Date | null; expiresAt: Date | null },
  now: Date,
): WriteKeyState {
  if (row.revokedAt) return 'revoked'
  if (!row.expiresAt) return 'active'
  return row.expiresAt > now ? 'expiring' : 'expired'
}

export function presentWriteKey(
  row: {
    id: string
    name: string
    key: string
    createdAt: Date
    createdBy: string | null
    createdByName: string | null
    revokedAt: Date | null
    expiresAt: Date | null
  },
  now = new Date(),
) {
  return {
    id: row.id,
    name: row.name,
    key: row.key,
    state: writeKeyState(row, now),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy ? { id: row.createdBy, name: row.createdByName ?? '' } : null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }
}
