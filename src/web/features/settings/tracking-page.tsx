import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import { ApiError, getData, patchData } from '../../api/client.ts'
import { CopyValue } from '../../components/copy-value.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { humanize } from '../records/labels.ts'
import { useMe } from '../shell/me-context.tsx'
import {
  SendingEvents,
  type WriteKey,
  WriteKeysSection,
  writeKeysQueryKey,
} from './write-keys-section.tsx'

/** GET /api/v1/tracking/settings. */
interface TrackingSettings {
  consentRequired: boolean
  cookieDomain: string | null
  captureForms: boolean
}

/** GET /api/v1/tracking/live. */
interface LiveTracking {
  waiting: number
  events: {
    id: string
    occurredAt: string
    type: string
    eventName: string | null
    channel: string
    url: string | null
    anonymousId: string | null
    isBot: boolean
    contact: { id: string; name: string | null; email: string | null } | null
  }[]
  setAside: { id: string; receivedAt: string; events: number; error: string }[]
  rejections: { id: string; receivedAt: string; endpoint: string; message: string }[]
}

const settingsKey = ['tracking', 'settings'] as const
const liveKey = ['tracking', 'live'] as const

/** Settings → Tracking: install the snippet, its settings, the live events, write keys. */
export function TrackingPage() {
  useDocumentTitle('Tracking')
  const me = useMe()
  const canManageKeys = me.permissions.includes('write_keys:manage')
  const canManageSettings = me.permissions.includes('tracking:manage')
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={2}>Tracking</Title>
        <Text size="sm" c="dimmed">
          Put one script tag on your website and every visit shows here within seconds: page views
          with their campaign and referrer, then the contact once a visitor fills in a form or is
          identified. See docs/tracking.md for the details.
        </Text>
      </Stack>
      <InstallSnippet />
      <SnippetSettings canManage={canManageSettings} />
      <LiveEvents />
      <WriteKeysSection canManage={canManageKeys} />
      <SendingEvents />
    </Stack>
  )
}

function InstallSnippet() {
  const keys = useCursorList<WriteKey>(writeKeysQueryKey, '/api/v1/write-keys')
  const usable = keys.items.filter((k) => k.state === 'active')
  const [chosen, setChosen] = useState<string | null>(null)
  const key = usable.find((k) => k.id === chosen) ?? usable[0]
  const tag = key
    ? `<script async src="${window.location.origin}/t.js?key=${key.key}"></script>`
    : ''
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Install on your website
        </Title>
        {keys.isPending ? (
          <LoadingRows label="Loading write keys" />
        ) : keys.error ? (
          <ErrorAlert
            title="Could not load write keys"
            error={keys.error}
            onRetry={() => void keys.refetch()}
          />
        ) : key ? (
          <>
            <Text size="sm">
              Paste this tag into every page, just before <code>&lt;/head&gt;</code> (or add it in
              your tag manager). It has no dependencies and loads without slowing the page.
            </Text>
            {usable.length > 1 ? (
              <Select
                label="Write key"
                data={usable.map((k) => ({ value: k.id, label: k.name }))}
                value={key.id}
                onChange={setChosen}
                allowDeselect={false}
                w={320}
              />
            ) : null}
            <CopyValue value={tag} label="tracking snippet" testId="tracking-snippet" />
            <Text size="sm" c="dimmed">
              Then, in your site's code:{' '}
              <code>
                tandem.identify('user-42', {'{'} email {'}'})
              </code>{' '}
              when someone signs in, <code>tandem.track('Trial Started')</code> for what matters to
              you.
            </Text>
          </>
        ) : (
          <Text size="sm">
            The snippet needs a write key: create one under “Write keys” below, and the tag to paste
            appears here.
          </Text>
        )}
      </Stack>
    </Paper>
  )
}

function SnippetSettings({ canManage }: { canManage: boolean }) {
  const query = useQuery({
    queryKey: settingsKey,
    queryFn: () => getData<TrackingSettings>('/api/v1/tracking/settings'),
  })
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Snippet settings
        </Title>
        {query.isPending ? (
          <LoadingRows label="Loading tracking settings" />
        ) : query.error ? (
          <ErrorAlert
            title="Could not load tracking settings"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : (
          <SettingsForm key={query.dataUpdatedAt} settings={query.data} canManage={canManage} />
        )}
      </Stack>
    </Paper>
  )
}

function SettingsForm({ settings, canManage }: { settings: TrackingSettings; canManage: boolean }) {
  const queryClient = useQueryClient()
  const [consentRequired, setConsentRequired] = useState(settings.consentRequired)
  const [captureForms, setCaptureForms] = useState(settings.captureForms)
  const [cookieDomain, setCookieDomain] = useState(settings.cookieDomain ?? '')
  const save = useMutation({
    mutationFn: (input: TrackingSettings) =>
      patchData<TrackingSettings>('/api/v1/tracking/settings', input),
    onSuccess: async () => {
      notifySuccess('Tracking settings saved: the snippet uses them within five minutes.')
      await queryClient.invalidateQueries({ queryKey: settingsKey })
    },
  })
  const fieldError =
    save.error instanceof ApiError &&
    JSON.stringify(save.error.details ?? '').includes('cookieDomain')
      ? save.error.message
      : null
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate({
      consentRequired,
      captureForms,
      cookieDomain: cookieDomain.trim() === '' ? null : cookieDomain.trim().toLowerCase(),
    })
  }
  const changed =
    consentRequired !== settings.consentRequired ||
    captureForms !== settings.captureForms ||
    cookieDomain.trim() !== (settings.cookieDomain ?? '')
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <Switch
          label="Ask for consent before tracking"
          description="Nothing is sent and no cookie is set until your consent banner calls tandem.consent(true). Turn on where the law (GDPR, ePrivacy) asks for it."
          checked={consentRequired}
          onChange={(e) => setConsentRequired(e.currentTarget.checked)}
          disabled={!canManage}
        />
        <Switch
          label="Capture forms with an email field"
          description="When a visitor submits any form with an email field, the visitor becomes a contact (email, name, company, phone) with a form submission. Passwords and hidden fields are never read."
          checked={captureForms}
          onChange={(e) => setCaptureForms(e.currentTarget.checked)}
          disabled={!canManage}
        />
        <TextInput
          label="Cookie domain"
          description="Share the anonymous visitor id across subdomains, e.g. example.com for www.example.com and app.example.com. Empty: the page's own host."
          placeholder="example.com"
          value={cookieDomain}
          onChange={(e) => setCookieDomain(e.currentTarget.value)}
          error={fieldError}
          disabled={!canManage}
          maw={420}
        />
        {save.error && !fieldError ? (
          <ErrorAlert title="Could not save tracking settings" error={save.error} />
        ) : null}
        {canManage ? (
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!changed}>
              Save settings
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Only admins and marketing can change these settings.
          </Text>
        )}
      </Stack>
    </form>
  )
}

/** The latest events, polled every three seconds while the page is open (pausable). */
function LiveEvents() {
  const [isPaused, setPaused] = useState(false)
  const query = useQuery({
    queryKey: liveKey,
    queryFn: () => getData<LiveTracking>('/api/v1/tracking/live?limit=25'),
    refetchInterval: isPaused ? false : 3000,
  })
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={3} size="h4">
              Live events
            </Title>
            <Text size="sm" c={isPaused ? 'dimmed' : 'teal.9'} aria-live="polite">
              {isPaused ? 'Paused' : '● Live: refreshed every 3 s'}
            </Text>
            {query.data && query.data.waiting > 0 ? (
              <Text size="sm" c="dimmed">
                · {query.data.waiting} being written
              </Text>
            ) : null}
          </Group>
          <Button
            variant="default"
            size="xs"
            leftSection={
              isPaused ? (
                <IconPlayerPlay size={14} aria-hidden="true" />
              ) : (
                <IconPlayerPause size={14} aria-hidden="true" />
              )
            }
            onClick={() => setPaused(!isPaused)}
          >
            {isPaused ? 'Resume' : 'Pause'}
          </Button>
        </Group>
        {query.isPending ? (
          <LoadingRows label="Loading live events" />
        ) : query.error ? (
          <ErrorAlert
            title="Could not load the live events"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : (
          <LiveContent live={query.data} />
        )}
      </Stack>
    </Paper>
  )
}

function LiveContent({ live }: { live: LiveTracking }) {
  return (
    <Stack gap="sm">
      {live.rejections.length > 0 ? (
        <Alert color="red" title="Refused requests" role="status">
          <Stack gap={4}>
            {live.rejections.slice(0, 5).map((r) => (
              <Text size="sm" key={r.id}>
                <time dateTime={r.receivedAt}>{formatDateTime(r.receivedAt)}</time> · /v1/
                {r.endpoint}: {r.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : null}
      {live.setAside.length > 0 ? (
        <Alert color="orange" title="Requests that could not be written" role="status">
          <Stack gap={4}>
            {live.setAside.slice(0, 5).map((r) => (
              <Text size="sm" key={r.id}>
                <time dateTime={r.receivedAt}>{formatDateTime(r.receivedAt)}</time> · {r.events}{' '}
                events: {r.error}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : null}
      {live.events.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="lg">
          No events in the last 7 days. Install the snippet and open your website: page views appear
          here within seconds.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" aria-label="Live events">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Page</Table.Th>
                <Table.Th>Who</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {live.events.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>
                  </Table.Td>
                  <Table.Td>
                    {humanize(e.type)}
                    {e.eventName ? (
                      <Text span size="sm" c="dimmed">
                        {' '}
                        · {e.eventName}
                      </Text>
                    ) : null}
                    {e.isBot ? (
                      <Badge ml="xs" size="xs" color="gray">
                        bot
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{humanize(e.channel)}</Table.Td>
                  <Table.Td maw={280} style={{ wordBreak: 'break-all' }}>
                    {e.url ?? '—'}
                  </Table.Td>
                  <Table.Td>
                    {e.contact ? (
                      <Anchor component={Link} to={`/microscope/contacts/${e.contact.id}`}>
                        {e.contact.name ?? e.contact.email ?? 'Contact'}
                      </Anchor>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Anonymous visitor
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  )
}
