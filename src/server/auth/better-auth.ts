import { betterAuth } from 'better-auth'
import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'

export interface AuthOptions {
  db: Kysely<never>
  secret: string
  baseURL?: string
  sendEmail: (to: string, subject: string, text: string) => Promise<void>
}

/**
 * better-auth handles people's credentials: email/password, sessions (rotated at every sign-in),
 * and password reset. Workspaces, roles and invitations are Tandem's own tables (see workspaces/).
 */
export function createAuth(options: AuthOptions) {
  return betterAuth({
    appName: 'Tandem',
    logger: { level: 'error' },
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: '/api/auth',
    database: { db: options.db, type: 'postgres' },
    user: { modelName: 'users' },
    session: { modelName: 'sessions', expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    account: { modelName: 'auth_accounts' },
    verification: { modelName: 'verifications' },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 200,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url }) => {
        await options.sendEmail(
          user.email,
          'Reset your Tandem password',
          `Open this link to choose a new password: ${url}\nIt expires in one hour.`,
        )
      },
    },
    advanced: {
      cookiePrefix: 'tandem',
      database: { generateId: () => uuidv7() },
      defaultCookieAttributes: { sameSite: 'lax', httpOnly: true },
    },
    trustedOrigins: (request) => {
      const host = request?.headers.get('host')
      if (!host) return []
      return [`http://${host}`, `https://${host}`]
    },
    // Sign-in, sign-up and reset are rate-limited per address by Fastify (auth/routes.ts).
    rateLimit: { enabled: false },
  })
}

export type Auth = ReturnType<typeof createAuth>
