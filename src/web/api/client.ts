import type { Envelope, Page } from './types.ts'

/** Every failed call becomes an ApiError carrying the server's code and human message. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

const workspaceStorageKey = 'tandem.workspaceId'
const csrfCookieName = 'tandem_csrf'

export function getStoredWorkspaceId(): string | null {
  try {
    return window.localStorage.getItem(workspaceStorageKey)
  } catch {
    return null
  }
}

export function setStoredWorkspaceId(id: string | null) {
  try {
    if (id === null) window.localStorage.removeItem(workspaceStorageKey)
    else window.localStorage.setItem(workspaceStorageKey, id)
  } catch {
    // Storage can be disabled (private mode); the server then uses the first workspace.
  }
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Please sign in to continue.'
  if (status === 403) return 'You do not have permission to do this.'
  if (status === 404) return 'Not found.'
  if (status === 429) return 'Too many attempts. Please wait a minute and try again.'
  if (status >= 500) return `The server could not complete the request (HTTP ${status}).`
  return `The request failed (HTTP ${status}).`
}

/** Reads both Tandem's `{ error: { code, message, details } }` and better-auth's `{ code, message }`. */
function toApiError(status: number, body: unknown): ApiError {
  const source = isRecord(body) && isRecord(body.error) ? body.error : body
  if (isRecord(source)) {
    const code = typeof source.code === 'string' ? source.code : `http_${status}`
    const message =
      typeof source.message === 'string' && source.message.length > 0
        ? source.message
        : fallbackMessage(status)
    return new ApiError(status, code, message, source.details)
  }
  return new ApiError(status, `http_${status}`, fallbackMessage(status))
}

async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text.length === 0) return null
  try {
    const json: unknown = JSON.parse(text)
    return json
  } catch {
    return text
  }
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { ...init, credentials: 'same-origin' })
  } catch {
    throw new ApiError(
      0,
      'network',
      'Could not reach the Tandem server. Check your connection and try again.',
    )
  }
}

/**
 * The server sets the tandem_csrf cookie on any /api/v1 response once signed in; a write made
 * before any read (e.g. right after sign-up) first asks for it with a harmless GET.
 */
async function csrfToken(): Promise<string | undefined> {
  const existing = readCookie(csrfCookieName)
  if (existing !== undefined) return existing
  await send('/api/v1/me', { method: 'GET', headers: { Accept: 'application/json' } })
  return readCookie(csrfCookieName)
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const isForm = body instanceof FormData
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json'
  if (path.startsWith('/api/v1/')) {
    const workspaceId = getStoredWorkspaceId()
    if (workspaceId) headers['X-Workspace-Id'] = workspaceId
    if (method !== 'GET') {
      const token = await csrfToken()
      if (token !== undefined) headers['X-CSRF-Token'] = token
    }
  }
  const response = await send(path, {
    method,
    headers,
    body: body === undefined || isForm ? body : JSON.stringify(body),
  })
  const parsed = await parseBody(response)
  if (!response.ok) throw toApiError(response.status, parsed)
  return parsed as T
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: (path: string) => request<null>('DELETE', path),
}

/** GET an `{ data }` envelope and return what is inside. */
export async function getData<T>(path: string): Promise<T> {
  const envelope = await api.get<Envelope<T>>(path)
  return envelope.data
}

export async function postData<T>(path: string, body: unknown): Promise<T> {
  const envelope = await api.post<Envelope<T>>(path, body)
  return envelope.data
}

export async function putData<T>(path: string, body: unknown): Promise<T> {
  const envelope = await api.put<Envelope<T>>(path, body)
  return envelope.data
}

export async function patchData<T>(path: string, body: unknown): Promise<T> {
  const envelope = await api.patch<Envelope<T>>(path, body)
  return envelope.data
}

/** GET one page of a cursor-paginated list. */
export function getPage<T>(path: string, limit: number, cursor: string | null): Promise<Page<T>> {
  const params = new URLSearchParams({ limit: String(limit) })
  if (cursor) params.set('cursor', cursor)
  return api.get<Page<T>>(`${path}${path.includes('?') ? '&' : '?'}${params.toString()}`)
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status)
}
