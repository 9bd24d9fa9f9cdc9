import { ActionIcon, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core'
import { IconMoon, IconSun } from '@tabler/icons-react'

/** Flips between light and dark; Mantine persists the choice in localStorage. */
export function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme()
  const computed = useComputedColorScheme('light')
  const nextScheme = computed === 'dark' ? 'light' : 'dark'
  return (
    <Tooltip label={`Switch to ${nextScheme} theme`}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label="Toggle color scheme"
        onClick={() => setColorScheme(nextScheme)}
      >
        {computed === 'dark' ? (
          <IconSun size={18} aria-hidden="true" />
        ) : (
          <IconMoon size={18} aria-hidden="true" />
        )}
      </ActionIcon>
    </Tooltip>
  )
}
