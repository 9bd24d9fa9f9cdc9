import { Alert } from '@mantine/core'
import { IconLock } from '@tabler/icons-react'

/** Said plainly instead of showing a form the person cannot use. */
export function AdminOnly({ children }: { children: string }) {
  return (
    <Alert color="gray" variant="light" icon={<IconLock aria-hidden="true" />} role="note">
      {children}
    </Alert>
  )
}
