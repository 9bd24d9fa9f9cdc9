import { Badge, Group, MultiSelect } from '@mantine/core'
import { useMemo } from 'react'
import { type FeedbackTagKind, kindLabels, type TagRef, useFeedbackTags } from './feedback-api.ts'

interface TagPickerProps {
  value: string[]
  onChange: (ids: string[]) => void
  /** The tags the record carries already: kept selectable even when archived since. */
  current?: TagRef[]
  description?: string
  disabled?: boolean
}

const kinds: FeedbackTagKind[] = ['objection', 'competitor']

/**
 * Picks the objections and competitors a contact mentioned, from the workspace's live taxonomy
 * (Settings → Objections & competitors), grouped by kind.
 */
export function TagPicker({
  value,
  onChange,
  current = [],
  description,
  disabled,
}: TagPickerProps) {
  const tags = useFeedbackTags()
  const data = useMemo(() => {
    const live = (tags.data ?? []).filter((tag) => !tag.archived)
    const kept = current.filter((tag) => !live.some((l) => l.id === tag.id))
    return kinds
      .map((kind) => ({
        group: kindLabels[kind].plural,
        items: [
          ...live
            .filter((tag) => tag.kind === kind)
            .map((tag) => ({ value: tag.id, label: tag.name })),
          ...kept
            .filter((tag) => tag.kind === kind)
            .map((tag) => ({ value: tag.id, label: `${tag.name} (archived)` })),
        ],
      }))
      .filter((group) => group.items.length > 0)
  }, [tags.data, current])
  const empty = !tags.isPending && data.length === 0
  return (
    <MultiSelect
      label="Objections & competitors mentioned"
      description={
        description ??
        (empty
          ? 'No objections or competitors are set up yet (Settings → Objections & competitors).'
          : 'Optional: what the contact raised, for marketing’s voice of sales')
      }
      placeholder={value.length === 0 ? (tags.isPending ? 'Loading…' : 'Pick any') : undefined}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      clearable
      hidePickedOptions
      nothingFoundMessage="No such tag"
      disabled={disabled || empty}
      comboboxProps={{ withinPortal: true }}
    />
  )
}

/** The tags of a record as small badges: objections grey, competitors grape. */
export function TagBadges({ tags, label }: { tags: TagRef[] | undefined; label?: string }) {
  if (!tags || tags.length === 0) return null
  return (
    <Group gap={4} aria-label={label ?? 'Objections and competitors mentioned'} role="list">
      {tags.map((tag) => (
        <Badge
          key={tag.id}
          role="listitem"
          size="sm"
          variant="light"
          color={tag.kind === 'competitor' ? 'grape' : 'gray'}
          title={tag.kind === 'competitor' ? 'Competitor mentioned' : 'Objection'}
        >
          {tag.name}
        </Badge>
      ))}
    </Group>
  )
}
