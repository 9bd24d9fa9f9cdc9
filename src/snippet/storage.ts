/**
 * The snippet's first-party storage: cookies and localStorage, each guarded (storage can be off in
 * private windows and sandboxed frames, cookies blocked), answering null rather than throwing.
 */

const year = 31_536_000

export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

export function writeStored(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  } catch {
    // Storage off (private mode, sandboxed frame): cookies and memory still work.
  }
}

export function readCookie(name: string): string | null {
  try {
    const found = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`))
    return found ? decodeURIComponent(found[1] || '') : null
  } catch {
    return null
  }
}

/** Sets (or with null removes) a first-party cookie, on `domain` when the browser accepts it. */
export function writeCookie(name: string, value: string | null, domain: string | null): void {
  try {
    const secure = location.protocol === 'https:' ? '; Secure' : ''
    const cookie = `${name}=${value === null ? '' : encodeURIComponent(value)}; path=/; max-age=${value === null ? 0 : year}; SameSite=Lax${secure}`
    if (domain) {
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in 2019's browsers
      document.cookie = `${cookie}; domain=${domain}`
      if (value !== null && readCookie(name) === value) return
    }
    // No domain set, or the browser refused it (another site's domain, a public suffix).
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in 2019's browsers
    document.cookie = cookie
  } catch {
    // Cookies blocked: localStorage and memory still work.
  }
}

export function parseJson(text: string | null): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}
