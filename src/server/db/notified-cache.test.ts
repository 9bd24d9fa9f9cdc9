import { describe, expect, it } from 'vitest'
import { NotifiedCache } from './notified-cache.ts'

describe('NotifiedCache', () => {
  it('serves a loaded value from memory until it is purged', async () => {
    const cache = new NotifiedCache<string>('test_changed')
    let loads = 0
    const load = async () => {
      loads += 1
      return `value ${loads}`
    }
    expect(await cache.get('k', load)).toBe('value 1')
    expect(await cache.get('k', load)).toBe('value 1')
    cache.purge('k')
    expect(await cache.get('k', load)).toBe('value 2')
  })

  it('does not keep what a load read before a purge that came while it ran', async () => {
    // A key revoked while its lookup is in flight must not stay cached as valid.
    const cache = new NotifiedCache<string>('test_changed')
    let release: (value: string) => void = () => {}
    const slow = cache.get('k', () => new Promise<string>((resolve) => (release = resolve)))
    cache.purge('k')
    release('read before the revoke')
    expect(await slow).toBe('read before the revoke')
    expect(await cache.get('k', async () => undefined)).toBeUndefined()
  })

  it('forgets entries after their time to live', async () => {
    const cache = new NotifiedCache<string>('test_changed', 0)
    await cache.get('k', async () => 'old')
    expect(await cache.get('k', async () => 'new')).toBe('new')
  })
})
