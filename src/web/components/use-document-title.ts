import { useEffect } from 'react'

/** Names the browser tab after the page, which screen readers also announce. */
export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Tandem`
  }, [title])
}
