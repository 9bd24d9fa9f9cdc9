import {
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import {
  eventTypeOptions,
  fieldError,
  formatOptions,
  type Webhook,
  webhooksQueryKey,
} from './types.ts'

interface CreateWebhookModalProps {
  opened: boolean
  onClose: () => void
  /** Called with the new subscription, whose secret is shown in full this once. */
  onCreated: (webhook: Webhook) => void
}

/** Subscribe a URL to event types, in Tandem's JSON or as Slack messages. */
export function CreateWebhookModal({ opened, onClose, onCreated }: CreateWebhookModalProps) {
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [eventTypes, setEventTypes] = useState<string[]>(['handoff.created'])
  const [format, setFormat] = useState<'json' | 'slack'>('json')
  const mutation = useMutation({
    mutationFn: () =>
      postData<Webhook>('/api/v1/webhooks', {
        name: name.trim(),
        url: url.trim(),
        eventTypes,
        format,
      }),
    onSuccess: async (created) => {
      onCreated(created)
      close()
      await queryClient.invalidateQueries({ queryKey: webhooksQueryKey })
    },
  })
  const close = () => {
    mutation.reset()
    setName('')
    setUrl('')
    setEventTypes(['handoff.created'])
    setFormat('json')
    onClose()
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    mutation.mutate()
  }
  const urlError = fieldError(mutation.error, 'url')
  const nameError = fieldError(mutation.error, 'name')
  const eventsError = fieldError(mutation.error, 'eventTypes')
  const otherError = mutation.error && !urlError && !nameError && !eventsError
  return (
    <Modal opened={opened} onClose={close} title="Add webhook" size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            description="For you: e.g. “Sales Slack channel” or “CRM sync”"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            required
            maxLength={200}
            data-autofocus
          />
          <TextInput
            label="URL"
            description={
              format === 'slack'
                ? 'The Slack incoming-webhook URL (https://hooks.slack.com/services/…)'
                : 'Tandem POSTs each event here; answer 2xx within 10 seconds'
            }
            placeholder="https://"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={urlError}
            required
            maxLength={2000}
          />
          <Select
            label="Format"
            data={formatOptions}
            value={format}
            onChange={(value) => setFormat(value === 'slack' ? 'slack' : 'json')}
            allowDeselect={false}
          />
          <Checkbox.Group
            label="Events"
            description="Choose at least one"
            value={eventTypes}
            onChange={setEventTypes}
            error={eventsError ?? (eventTypes.length === 0 ? 'Choose at least one event' : null)}
            required
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
              {eventTypeOptions.map((option) => (
                <Checkbox
                  key={option.value}
                  value={option.value}
                  label={
                    <>
                      {option.label}{' '}
                      <Text span size="xs" c="dimmed" ff="monospace">
                        {option.value}
                      </Text>
                    </>
                  }
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          {otherError ? (
            <ErrorAlert title="Could not add the webhook" error={mutation.error} />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={mutation.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={eventTypes.length === 0 || name.trim() === '' || url.trim() === ''}
            >
              Add webhook
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
