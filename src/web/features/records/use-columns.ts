import { useState } from 'react'
import { useMe } from '../shell/me-context.tsx'
import type { Column } from './list-config.ts'

function read(key: string): string[] | null {
  try {
    const raw = window.localStorage.getItem(key)
    const parsed: unknown = raw ? JSON.parse(raw) : null
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : null
  } catch {
    return null
  }
}

/** The columns a person chose for a list, kept in this browser per person and list. */
export function useColumns<T>(entity: string, columns: Column<T>[]) {
  const me = useMe()
  const storageKey = `tandem.columns.${me.user?.id ?? 'anyone'}.${entity}`
  const defaults = columns.filter((c) => c.isDefault).map((c) => c.key)
  const [chosen, setChosen] = useState<string[] | null>(() => read(storageKey))
  const visibleKeys = chosen ?? defaults
  const save = (keys: string[] | null) => {
    setChosen(keys)
    try {
      if (keys === null) window.localStorage.removeItem(storageKey)
      else window.localStorage.setItem(storageKey, JSON.stringify(keys))
    } catch {
      // Storage may be disabled; the choice then lasts until the page is left.
    }
  }
  // The first column names the record, so it always shows.
  const first = columns[0]
  const visible = columns.filter((c) => c === first || visibleKeys.includes(c.key))
  return { visible, visibleKeys, setVisibleKeys: save, isCustom: chosen !== null }
}
