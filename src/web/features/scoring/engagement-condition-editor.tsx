import { MultiSelect, Paper, SimpleGrid, Stack, TagsInput, Text, TextInput } from '@mantine/core'
import { channelOptions, labelOf, type Option } from '../records/labels.ts'
import { type TouchCondition, touchTypeOptions, useCampaignOptions } from './scoring-api.ts'

/** The engagement condition being edited; empty lists and text mean "any". */
export interface EngagementDraft {
  types: string[]
  channels: string[]
  campaignIds: string[]
  urlContains: string
  eventNames: string[]
}

export function engagementDraftFrom(condition: TouchCondition | null): EngagementDraft {
  return {
    types: condition?.types ?? [],
    channels: condition?.channels ?? [],
    campaignIds: condition?.campaignIds ?? [],
    urlContains: condition?.urlContains ?? '',
    eventNames: condition?.eventNames ?? [],
  }
}

export function engagementConditionOf(
  draft: EngagementDraft,
): { condition: TouchCondition } | { error: string } {
  const condition: TouchCondition = {}
  if (draft.types.length > 0) condition.types = draft.types
  if (draft.channels.length > 0) condition.channels = draft.channels
  if (draft.campaignIds.length > 0) condition.campaignIds = draft.campaignIds
  if (draft.urlContains.trim()) condition.urlContains = draft.urlContains.trim()
  if (draft.eventNames.length > 0) condition.eventNames = draft.eventNames
  if (Object.keys(condition).length === 0) {
    return { error: 'Choose at least one touch type, channel, campaign, URL or event name.' }
  }
  return { condition }
}

/** "Form submit or Webinar, channel Email, URL contains /pricing", for the rule lists. */
export function describeEngagement(condition: TouchCondition, campaigns: Option[]): string {
  const parts: string[] = []
  const list = (values: string[], options: Option[]) =>
    values.map((v) => labelOf(v, options)).join(' or ')
  if (condition.types?.length) parts.push(list(condition.types, touchTypeOptions))
  if (condition.channels?.length) parts.push(`channel ${list(condition.channels, channelOptions)}`)
  if (condition.campaignIds?.length) {
    parts.push(`campaign ${list(condition.campaignIds, campaigns)}`)
  }
  if (condition.urlContains) parts.push(`URL contains “${condition.urlContains}”`)
  if (condition.eventNames?.length) parts.push(`event ${condition.eventNames.join(' or ')}`)
  return parts.length > 0 ? `Touches: ${parts.join(', ')}` : 'Any touch'
}

interface EngagementConditionEditorProps {
  draft: EngagementDraft
  onChange: (draft: EngagementDraft) => void
  /** The API's message about one key (`condition.types`) or the whole condition. */
  error?: { key: keyof EngagementDraft | null; message: string } | null
}

/**
 * Engagement rules score a contact's touches (bots and scanners never count): a touch scores when
 * it matches every box filled in below; a box left empty matches any touch.
 */
export function EngagementConditionEditor({
  draft,
  onChange,
  error,
}: EngagementConditionEditorProps) {
  const campaigns = useCampaignOptions()
  const set = <K extends keyof EngagementDraft>(key: K, value: EngagementDraft[K]) =>
    onChange({ ...draft, [key]: value })
  const errorOf = (key: keyof EngagementDraft) => (error?.key === key ? error.message : undefined)
  // Keep chosen campaigns visible even before (or without) the list loading.
  const campaignData = [
    ...(campaigns.data ?? []),
    ...draft.campaignIds
      .filter((id) => !campaigns.data?.some((c) => c.value === id))
      .map((id) => ({ value: id, label: id })),
  ]
  return (
    <Paper withBorder p="sm" role="group" aria-labelledby="engagement-condition-label">
      <Stack gap="xs">
        <Text size="sm" fw={500} id="engagement-condition-label">
          Touches that score (each box filled in must match; leave a box empty for any)
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <MultiSelect
            label="Touch types"
            placeholder={draft.types.length ? undefined : 'Any type'}
            data={touchTypeOptions}
            value={draft.types}
            onChange={(value) => set('types', value)}
            searchable
            clearable
            error={errorOf('types')}
            comboboxProps={{ withinPortal: true }}
          />
          <MultiSelect
            label="Channels"
            placeholder={draft.channels.length ? undefined : 'Any channel'}
            data={channelOptions}
            value={draft.channels}
            onChange={(value) => set('channels', value)}
            searchable
            clearable
            error={errorOf('channels')}
            comboboxProps={{ withinPortal: true }}
          />
          <MultiSelect
            label="Campaigns"
            placeholder={
              draft.campaignIds.length
                ? undefined
                : campaigns.isPending
                  ? 'Loading campaigns…'
                  : 'Any campaign'
            }
            data={campaignData}
            value={draft.campaignIds}
            onChange={(value) => set('campaignIds', value)}
            searchable
            clearable
            nothingFoundMessage="No campaign by that name"
            error={
              errorOf('campaignIds') ??
              (campaigns.error ? 'The campaigns could not be loaded.' : undefined)
            }
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label="URL contains"
            placeholder="e.g. /pricing"
            maxLength={500}
            value={draft.urlContains}
            onChange={(event) => set('urlContains', event.currentTarget.value)}
            error={errorOf('urlContains')}
          />
          <TagsInput
            label="Event names"
            description="Custom events by their tracked name; press Enter after each."
            placeholder={draft.eventNames.length ? undefined : 'e.g. Trial Started'}
            value={draft.eventNames}
            onChange={(value) => set('eventNames', value)}
            error={errorOf('eventNames')}
            clearable
          />
        </SimpleGrid>
        {error && error.key === null ? (
          <Text size="sm" c="red.8" role="alert">
            {error.message}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  )
}
