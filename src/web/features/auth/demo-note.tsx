import { Alert } from '@mantine/core'
import { IconInfoCircle } from '@tabler/icons-react'

/** Shown only when the server says it holds the demo world (GET /api/health → demo). */
export function DemoNote() {
  return (
    <Alert variant="light" color="gray" icon={<IconInfoCircle aria-hidden="true" />} role="note">
      Demo: admin@northwind.example / tandem-demo (demo only)
    </Alert>
  )
}
