import { Button, Checkbox, Popover, Stack, Text } from '@mantine/core'
import { IconColumns } from '@tabler/icons-react'
import type { Column } from './list-config.ts'

interface ColumnChooserProps<T> {
  columns: Column<T>[]
  visibleKeys: string[]
  onChange: (keys: string[] | null) => void
}

/** Which columns a list shows; the first column (the record's name) always shows. */
export function ColumnChooser<T>({ columns, visibleKeys, onChange }: ColumnChooserProps<T>) {
  const [first, ...rest] = columns
  return (
    <Popover position="bottom-end" shadow="md" trapFocus withinPortal>
      <Popover.Target>
        <Button variant="default" leftSection={<IconColumns size={16} aria-hidden="true" />}>
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="group" aria-label="Columns to show">
          <Text size="xs" c="dimmed">
            {first ? `${first.label} always shows.` : null} Your choice is kept in this browser.
          </Text>
          {rest.map((column) => (
            <Checkbox
              key={column.key}
              label={column.label}
              checked={visibleKeys.includes(column.key)}
              onChange={(event) => {
                const checked = event.currentTarget.checked
                const next = checked
                  ? [...visibleKeys, column.key]
                  : visibleKeys.filter((k) => k !== column.key)
                onChange(columns.map((c) => c.key).filter((k) => next.includes(k)))
              }}
            />
          ))}
          <Button variant="subtle" size="xs" onClick={() => onChange(null)}>
            Reset to the default columns
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  )
}
