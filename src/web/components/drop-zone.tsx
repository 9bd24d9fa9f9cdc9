import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core'
import { IconFileTypeCsv, IconUpload, IconX } from '@tabler/icons-react'
import { type DragEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'

const units = ['bytes', 'KB', 'MB', 'GB'] as const

/** 1536 → "1.5 KB": a file's size as people read it. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${value.toFixed(digits)} ${units[unit]}`
}

interface DropZoneProps {
  /** Names the zone and its "choose" button, e.g. "CSV file". */
  label: string
  file: File | null
  onChange: (file: File | null) => void
  /** The file input's accept list, e.g. ".csv,text/csv". */
  accept?: string
  /** Files over this size are refused here, before any upload. */
  maxBytes?: number
  hint?: ReactNode
}

/**
 * Drag a file onto the zone or choose it with a button (the keyboard's way in). Shows the chosen
 * file's name and size, and refuses one over `maxBytes` with a message instead of uploading it.
 */
export function DropZone({ label, file, onChange, accept, maxBytes, hint }: DropZoneProps) {
  const input = useRef<HTMLInputElement>(null)
  const [isOver, setIsOver] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const labelId = useId()
  const hintId = useId()

  // A file dropped beside the zone would make the browser leave the page to open it.
  useEffect(() => {
    const keep = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault()
    }
    window.addEventListener('dragover', keep)
    window.addEventListener('drop', keep)
    return () => {
      window.removeEventListener('dragover', keep)
      window.removeEventListener('drop', keep)
    }
  }, [])

  const take = (next: File | null | undefined) => {
    if (!next) return
    if (maxBytes !== undefined && next.size > maxBytes) {
      setRefusal(
        `${next.name} is ${formatBytes(next.size)}; files up to ${formatBytes(maxBytes)} can be uploaded. Split it into smaller files, or import it with the tandem import command, which has no limit.`,
      )
      return
    }
    setRefusal(null)
    onChange(next)
  }

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    setIsOver(false)
    take(event.dataTransfer.files[0])
  }

  return (
    <Paper
      role="group"
      aria-labelledby={labelId}
      aria-describedby={hintId}
      withBorder
      p="md"
      data-dragging={isOver || undefined}
      style={{
        borderStyle: 'dashed',
        borderWidth: 2,
        borderColor: isOver ? 'var(--mantine-primary-color-filled)' : undefined,
        background: isOver ? 'var(--mantine-primary-color-light)' : undefined,
      }}
      onDragOver={(event) => {
        event.preventDefault()
        event.dataTransfer.dropEffect = 'copy'
        setIsOver(true)
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setIsOver(false)
      }}
      onDrop={onDrop}
    >
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        tabIndex={-1}
        aria-labelledby={labelId}
        onChange={(event) => {
          take(event.currentTarget.files?.[0])
          // Choosing the same file again after removing it must fire change again.
          event.currentTarget.value = ''
        }}
      />
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="nowrap" miw={0}>
          {file ? (
            <IconFileTypeCsv size={32} aria-hidden="true" />
          ) : (
            <IconUpload size={32} aria-hidden="true" />
          )}
          <Stack gap={2} miw={0}>
            <Text fw={600} id={labelId}>
              {label}
            </Text>
            {file ? (
              <Text size="sm" truncate="end" data-testid="chosen-file">
                {file.name} · {formatBytes(file.size)}
              </Text>
            ) : null}
            <Text size="sm" c="dimmed" id={hintId}>
              {isOver ? 'Drop the file to use it' : hint}
            </Text>
          </Stack>
        </Group>
        <Group gap="xs">
          <Button variant={file ? 'default' : 'filled'} onClick={() => input.current?.click()}>
            {file ? 'Choose another file' : 'Choose file'}
          </Button>
          {file ? (
            <Button
              variant="subtle"
              color="gray"
              leftSection={<IconX size={14} aria-hidden="true" />}
              onClick={() => {
                setRefusal(null)
                onChange(null)
              }}
            >
              Remove
            </Button>
          ) : null}
        </Group>
      </Group>
      {refusal ? (
        <Alert color="red" variant="light" mt="sm" role="alert" title="This file is too big">
          {refusal}
        </Alert>
      ) : null}
    </Paper>
  )
}
