import {
  Alert,
  Button,
  Group,
  Modal,
  NativeSelect,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core'
import { IconThumbUp } from '@tabler/icons-react'
import { type FormEvent, useEffect, useState } from 'react'
import { ErrorAlert } from '../../components/error-alert.tsx'
import type { TagRef } from '../feedback/feedback-api.ts'
import { TagPicker } from '../feedback/tag-picker.tsx'
import { lossReasonOptions, marketingCouldHelpOptions } from '../records/labels.ts'
import type { MarketingCouldHelp } from '../records/types.ts'

export interface LossDetails {
  lossReason: string
  lossCompetitor: string | null
  lossNotes: string | null
  marketingCouldHelp: MarketingCouldHelp
  /** The objections and competitors mentioned; absent leaves the deal's tags as they are. */
  tagIds?: string[]
}

interface LossReasonModalProps {
  opened: boolean
  dealName: string
  stageName: string
  loading: boolean
  error: unknown
  onSubmit: (details: LossDetails) => void
  onClose: () => void
  /** The deal's feedback tags so far: the picker starts from them. */
  currentTags?: TagRef[]
}

/**
 * Asks why a deal was lost before it moves to a lost stage: one primary reason (DEFINITIONS.md),
 * the competitor when that is the reason, and whether marketing could have helped.
 */
export function LossReasonModal(props: LossReasonModalProps) {
  const { opened, dealName, stageName, loading, error, onSubmit, onClose, currentTags } = props
  const [reason, setReason] = useState('')
  const [tagIds, setTagIds] = useState<string[]>([])
  const currentIds = (currentTags ?? []).map((tag) => tag.id).join(',')
  const [competitor, setCompetitor] = useState('')
  const [couldHelp, setCouldHelp] = useState('')
  const [notes, setNotes] = useState('')
  const [problems, setProblems] = useState<Record<string, string>>({})
  useEffect(() => {
    if (opened) {
      setReason('')
      setCompetitor('')
      setCouldHelp('')
      setNotes('')
      setTagIds(currentIds ? currentIds.split(',') : [])
      setProblems({})
    }
  }, [opened, currentIds])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!reason) found.reason = 'Pick the main reason.'
    if (reason === 'competitor' && !competitor.trim()) found.competitor = 'Name the competitor.'
    if (!couldHelp) found.couldHelp = 'Answer yes, no or not sure.'
    setProblems(found)
    if (Object.keys(found).length > 0) return
    onSubmit({
      lossReason: reason,
      lossCompetitor: reason === 'competitor' ? competitor.trim() : null,
      lossNotes: notes.trim() || null,
      marketingCouldHelp: couldHelp as MarketingCouldHelp,
      ...(tagIds.length > 0 || currentIds ? { tagIds } : {}),
    })
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Why was this deal lost?" size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">
            “{dealName}” moves to {stageName}. Your answer goes to marketing's voice of sales and
            the win/loss reports.
          </Text>
          {error ? <ErrorAlert title="The deal did not move" error={error} /> : null}
          <NativeSelect
            label="Loss reason"
            withAsterisk
            aria-required="true"
            data-autofocus
            data={[{ value: '', label: 'Choose the main reason…' }, ...lossReasonOptions]}
            value={reason}
            error={problems.reason || null}
            onChange={(event) => {
              setReason(event.currentTarget.value)
              setProblems({ ...problems, reason: '' })
            }}
          />
          {reason === 'poor_fit_walked_away' ? (
            <Alert color="teal" variant="light" icon={<IconThumbUp aria-hidden="true" />}>
              Walking away from a poor fit is a good outcome: it is counted as such, not as a loss
              in the win rate.
            </Alert>
          ) : null}
          {reason === 'competitor' ? (
            <TextInput
              label="Competitor"
              withAsterisk
              aria-required="true"
              maxLength={200}
              value={competitor}
              error={problems.competitor || null}
              onChange={(event) => {
                setCompetitor(event.currentTarget.value)
                setProblems({ ...problems, competitor: '' })
              }}
            />
          ) : null}
          <Radio.Group
            label="Could marketing have helped?"
            withAsterisk
            value={couldHelp}
            error={problems.couldHelp || null}
            onChange={(value) => {
              setCouldHelp(value)
              setProblems({ ...problems, couldHelp: '' })
            }}
          >
            <Group mt={6}>
              {marketingCouldHelpOptions.map((o) => (
                <Radio key={o.value} value={o.value} label={o.label} />
              ))}
            </Group>
          </Radio.Group>
          <TagPicker value={tagIds} onChange={setTagIds} current={currentTags} />
          <Textarea
            label="Notes"
            description="What happened, in a sentence or two"
            autosize
            minRows={2}
            maxLength={2000}
            value={notes}
            onChange={(event) => setNotes(event.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={loading}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={loading}>
              Mark as lost
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

interface WonModalProps {
  opened: boolean
  dealName: string
  amount: string
  loading: boolean
  error: unknown
  onConfirm: () => void
  onClose: () => void
}

/** Winning closes the deal and credits campaigns, so it is confirmed first. */
export function WonModal({
  opened,
  dealName,
  amount,
  loading,
  error,
  onConfirm,
  onClose,
}: WonModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Mark the deal as won?">
      <Stack>
        <Text size="sm">
          “{dealName}” ({amount}) closes as won today. Revenue reports and campaign credit count it
          from now on.
        </Text>
        {error ? <ErrorAlert title="The deal did not move" error={error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={loading}>
            Cancel
          </Button>
          <Button color="teal" onClick={onConfirm} loading={loading} data-autofocus>
            Mark as won
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
