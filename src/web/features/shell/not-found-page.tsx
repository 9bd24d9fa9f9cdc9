import { Anchor, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { useDocumentTitle } from '../../components/use-document-title.ts'

export function NotFoundPage() {
  useDocumentTitle('Page not found')
  return (
    <Stack component="main" p="xl" maw={560} mx="auto" mt="xl">
      <Title order={1}>Page not found</Title>
      <Text>There is no page at this address. It may have moved, or the link may be mistyped.</Text>
      <Anchor component={Link} to="/">
        Go to Tandem's start page
      </Anchor>
    </Stack>
  )
}
