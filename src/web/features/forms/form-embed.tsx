import { Anchor, Stack, Text, Title } from '@mantine/core'
import { CopyValue } from '../../components/copy-value.tsx'
import type { Form } from './types.ts'

/** The three ways to put a form on a site: script tag, iframe, or the hosted page's link. */
export function FormEmbed({ form }: { form: Form }) {
  const origin = window.location.origin
  const pageUrl = `${origin}/f/${form.id}`
  const title = form.name.replace(/"/g, '&quot;')
  return (
    <Stack gap="sm">
      <Title order={3}>Embed</Title>
      <Text size="sm" c="dimmed">
        The script renders the form where you paste it and carries the visitor’s tracking id (from
        the tracking snippet’s cookie), so their earlier visits join the contact.
      </Text>
      <Text size="sm" fw={600}>
        Script tag
      </Text>
      <CopyValue
        label="script tag"
        testId="embed-script"
        value={`<script src="${origin}/f/${form.id}.js"></script>`}
      />
      <Text size="sm" fw={600}>
        Iframe
      </Text>
      <CopyValue
        label="iframe"
        testId="embed-iframe"
        value={`<iframe src="${pageUrl}" title="${title}" width="100%" height="640" style="border:0"></iframe>`}
      />
      <Text size="sm" fw={600}>
        Hosted page
      </Text>
      <CopyValue label="hosted page link" testId="embed-link" value={pageUrl} />
      <Anchor href={pageUrl} target="_blank" rel="noreferrer" size="sm">
        Open the hosted page
      </Anchor>
    </Stack>
  )
}
