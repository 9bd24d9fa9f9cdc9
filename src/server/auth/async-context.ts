import type { AsyncLocalStorage } from 'node:async_hooks'

/**
 * better-auth keeps its request context in AsyncLocalStorage. On Node 20 an enabled
 * AsyncLocalStorage runs a hook for every promise and tick of the whole process, which doubled the
 * cost of every API call, API-key reads included. better-auth needs it only while one of its calls
 * runs, so calls go through here and its storages are disabled again once none is in flight
 * (`run()` re-enables them on the next call).
 */
let inFlight = 0

export async function withAuthLibrary<T>(call: () => Promise<T>): Promise<T> {
  inFlight += 1
  try {
    return await call()
  } finally {
    inFlight -= 1
    if (inFlight === 0) disableAuthStorages()
  }
}

const storageNames = [
  'endpointContextAsyncStorage',
  'requestStateAsyncStorage',
  'adapterAsyncStorage',
] as const

function disableAuthStorages() {
  const global = (globalThis as Record<symbol, unknown>)[Symbol.for('better-auth:global')] as
    | { context?: Partial<Record<(typeof storageNames)[number], AsyncLocalStorage<unknown>>> }
    | undefined
  for (const name of storageNames) global?.context?.[name]?.disable()
}
