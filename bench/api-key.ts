/** A fresh install's first person, their workspace and an API key of that workspace. */
export interface BenchWorkspace {
  workspaceId: string
  key: string
}

/** One request of a signed-in browser: JSON in and out, a non-2xx answer thrown. */
export type SessionCall = (
  method: string,
  url: string,
  body: unknown,
  headers?: Record<string, string>,
) => Promise<unknown>

/**
 * Requests as the web app makes them: the session cookie kept between calls and the CSRF token
 * sent back in its header, so a benchmark signs in and creates keys as a person would.
 */
export function browserSession(base: string): SessionCall {
  const cookies = new Map<string, string>()
  return async (method, url, body, headers = {}) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        origin: base,
        'content-type': 'application/json',
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        'x-csrf-token': cookies.get('tandem_csrf') ?? '',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const at = pair.indexOf('=')
      cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`)
    return JSON.parse(text) as unknown
  }
}

/** Creates an API key with `role` in `workspaceId` for the signed-in person; returns the key. */
export async function createApiKey(
  call: SessionCall,
  workspaceId: string,
  name: string,
  role: 'admin' | 'viewer',
): Promise<string> {
  const key = await call(
    'POST',
    '/api/v1/api-keys',
    { name, role },
    { 'x-workspace-id': workspaceId },
  )
  return readData(key, 'key')
}

/**
 * An API key with `role` on a fresh install, made as a person would: sign up, create a workspace,
 * create the key (no demo data, so a benchmark does not depend on the seed).
 */
export async function createWorkspaceKey(
  base: string,
  role: 'admin' | 'viewer',
): Promise<BenchWorkspace> {
  const call = browserSession(base)
  const person = { name: 'Bench', email: 'bench@example.com', password: 'bench-password-1' }
  await call('POST', '/api/auth/sign-up/email', person)
  await call('GET', '/api/v1/me', undefined)
  const workspace = await call('POST', '/api/v1/workspaces', { name: 'Bench' })
  const workspaceId = readData(workspace, 'id')
  return { workspaceId, key: await createApiKey(call, workspaceId, 'bench', role) }
}

function readData(body: unknown, field: string): string {
  const data = typeof body === 'object' && body && 'data' in body ? body.data : undefined
  const value =
    typeof data === 'object' && data && field in data ? data[field as keyof typeof data] : ''
  if (typeof value !== 'string' || value === '') throw new Error(`No data.${field} in the answer`)
  return value
}
