import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
} from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react'
import type { Stage } from '../records/types.ts'

export interface StageRow {
  key: number
  id?: string
  name: string
  percent: string
  kind: 'open' | 'won' | 'lost'
  isProposalOrLater: boolean
}

let nextKey = 0
export function stageRow(partial: Partial<StageRow> & { name: string; percent: string }): StageRow {
  nextKey += 1
  return { key: nextKey, kind: 'open', isProposalOrLater: false, ...partial }
}

export function toRows(stages: Stage[]): StageRow[] {
  return stages.map((s) =>
    stageRow({
      id: s.id,
      name: s.name,
      percent: String(Math.round(s.winProbability * 1000) / 10),
      kind: s.isWon ? 'won' : s.isLost ? 'lost' : 'open',
      isProposalOrLater: s.isProposalOrLater,
    }),
  )
}

export const defaultStages = (): StageRow[] => [
  stageRow({ name: 'Qualification', percent: '10' }),
  stageRow({ name: 'Discovery', percent: '20' }),
  stageRow({ name: 'Proposal', percent: '50', isProposalOrLater: true }),
  stageRow({ name: 'Negotiation', percent: '75', isProposalOrLater: true }),
  stageRow({ name: 'Closed won', percent: '100', kind: 'won', isProposalOrLater: true }),
  stageRow({ name: 'Closed lost', percent: '0', kind: 'lost' }),
]

/** Checks the rows locally (the server checks again) and turns them into the API's stage list. */
export function toStageInput(rows: StageRow[]): { stages?: unknown[]; problem?: string } {
  for (const [i, row] of rows.entries()) {
    const p = Number(row.percent)
    if (!row.name.trim()) return { problem: `Stage ${i + 1} needs a name.` }
    if (!Number.isFinite(p) || p < 0 || p > 100)
      return { problem: `Stage ${i + 1}: the win probability is a percentage from 0 to 100.` }
  }
  if (rows.filter((r) => r.kind === 'won').length !== 1)
    return { problem: 'A pipeline needs exactly one won stage.' }
  if (!rows.some((r) => r.kind === 'lost')) return { problem: 'A pipeline needs a lost stage.' }
  if (!rows.some((r) => r.kind === 'open')) return { problem: 'A pipeline needs an open stage.' }
  return {
    stages: rows.map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      name: r.name.trim(),
      winProbability: Number(r.percent) / 100,
      isWon: r.kind === 'won',
      isLost: r.kind === 'lost',
      isProposalOrLater: r.isProposalOrLater,
    })),
  }
}

const kinds = [
  { value: 'open', label: 'Open' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
]

/** Stages in order: name, default win probability, open/won/lost and "proposal or later". */
export function StageEditor({
  rows,
  onChange,
}: {
  rows: StageRow[]
  onChange: (rows: StageRow[]) => void
}) {
  const change = (index: number, row: StageRow) =>
    onChange(rows.map((r, i) => (i === index ? row : r)))
  const swap = (a: number, b: number) => {
    const next = [...rows]
    const first = next[a]
    const second = next[b]
    if (!first || !second) return
    next[a] = second
    next[b] = first
    onChange(next)
  }
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        Deals move left to right. Win probability is the default chance of winning from that stage;
        Tandem learns the real one from your history. A stage with deals in it cannot be removed.
      </Text>
      {rows.map((row, index) => {
        const n = index + 1
        return (
          <Group key={row.key} gap="xs" align="flex-end" wrap="nowrap">
            <TextInput
              aria-label={`Name of stage ${n}`}
              style={{ flex: 1 }}
              maxLength={100}
              value={row.name}
              onChange={(e) => change(index, { ...row, name: e.currentTarget.value })}
            />
            <TextInput
              aria-label={`Win probability of stage ${n} (%)`}
              inputMode="decimal"
              w={70}
              rightSection="%"
              value={row.percent}
              onChange={(e) => change(index, { ...row, percent: e.currentTarget.value })}
            />
            <NativeSelect
              aria-label={`Kind of stage ${n}`}
              w={90}
              data={kinds}
              value={row.kind}
              onChange={(e) =>
                change(index, { ...row, kind: e.currentTarget.value as StageRow['kind'] })
              }
            />
            <Checkbox
              aria-label={`Stage ${n} is proposal or later`}
              title="Proposal or later"
              checked={row.isProposalOrLater}
              onChange={(e) =>
                change(index, { ...row, isProposalOrLater: e.currentTarget.checked })
              }
              mb={8}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Move stage ${n} up`}
              disabled={index === 0}
              onClick={() => swap(index, index - 1)}
            >
              <IconArrowUp size={16} aria-hidden="true" />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Move stage ${n} down`}
              disabled={index === rows.length - 1}
              onClick={() => swap(index, index + 1)}
            >
              <IconArrowDown size={16} aria-hidden="true" />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              aria-label={`Remove stage ${n}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              <IconTrash size={16} aria-hidden="true" />
            </ActionIcon>
          </Group>
        )
      })}
      <Group>
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden="true" />}
          onClick={() => onChange([...rows, stageRow({ name: '', percent: '50' })])}
        >
          Add stage
        </Button>
        <Text size="xs" c="dimmed">
          The checkbox marks “proposal or later”: product fit is checked before a deal gets there.
        </Text>
      </Group>
    </Stack>
  )
}
