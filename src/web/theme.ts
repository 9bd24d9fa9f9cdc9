import {
  Anchor,
  type CSSVariablesResolver,
  createTheme,
  Modal,
  NavLink,
  Notification,
} from '@mantine/core'

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 keeps links and filled buttons above WCAG AA contrast on white.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  focusRing: 'auto',
  fontFamily:
    'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    // Links inside sentences must be told apart by more than colour (WCAG 1.4.1).
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
    // Icon-only close buttons need a name; a dialog's header is not a page banner landmark.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    ModalHeader: { defaultProps: { component: 'div' } },
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
    }),
  },
})

/** Mantine's default "dimmed" grey is below 4.5:1 on white; use one shade darker (lighter in dark). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
})
