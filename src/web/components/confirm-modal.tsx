import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { ErrorAlert } from './error-alert.tsx'

interface ConfirmModalProps {
  opened: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  loading: boolean
  error: unknown
  onConfirm: () => void
  onClose: () => void
}

/** Asks before anything that cannot be undone; the API's error stays visible in the dialog. */
export function ConfirmModal(props: ConfirmModalProps) {
  const { opened, title, children, confirmLabel, loading, error, onConfirm, onClose } = props
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack>
        <Text size="sm">{children}</Text>
        {error ? <ErrorAlert title="That did not work" error={error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={loading}>
            Cancel
          </Button>
          <Button color="red" onClick={onConfirm} loading={loading} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
