import type { ReactNode } from 'react'

/**
 * A horizontally scrollable wrapper for a wide table on a narrow screen. It is focusable and named,
 * so keyboard users can scroll it too (axe "scrollable-region-focusable").
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard.
    <section aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      {children}
    </section>
  )
}
