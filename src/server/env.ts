import path from 'node:path'
import { z } from 'zod'

/** The only reader of process.env. Each variable is documented in README.md's configuration table. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  TANDEM_DATA_DIR: z.string().min(1).default('.tandem'),
  TANDEM_SECRET: z.string().min(32, 'TANDEM_SECRET must be at least 32 characters').optional(),
  TANDEM_BASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: z.string().url().optional(),
  TEST_DATABASE_URL: z.string().url().optional(),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  TANDEM_INGEST_MAX_PENDING: z.coerce.number().int().min(1).default(10_000),
  TANDEM_INGEST_MAX_BACKLOG: z.coerce.number().int().min(1).default(50_000),
})
export type Env = z.infer<typeof EnvSchema>

let cached: Env | undefined

/** Parses the environment once; a bad value stops the process with the variable's name. */
export function getEnv(): Env {
  if (cached) return cached
  const parsed = EnvSchema.safeParse(process.env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`Invalid environment variable ${issue?.path.join('.')}: ${issue?.message}`)
  }
  cached = parsed.data
  return cached
}

export function resolveDataDir(env: Env = getEnv()): string {
  return path.resolve(env.TANDEM_DATA_DIR)
}
