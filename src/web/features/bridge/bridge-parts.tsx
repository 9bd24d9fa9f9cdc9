import {
  Anchor,
  Badge,
  Group,
  Paper,
  Stack,
  Text,
  Title,
  useMantineTheme,
  VisuallyHidden,
} from '@mantine/core'
import { Link } from 'react-router'
import { monthLabel } from '../mql/mql-api.ts'
import {
  type AlignmentOwner,
  type AlignmentPart,
  type AlignmentPoint,
  ownerColors,
  ownerLabels,
} from './alignment-api.ts'

/** "Sales" / "Marketing" / "Both": whose promise a number is. Never truncated. */
export function OwnerBadge({ owner }: { owner: AlignmentOwner }) {
  return (
    <Badge
      variant="light"
      color={ownerColors[owner].color}
      c={ownerColors[owner].text}
      style={{ flexShrink: 0, overflow: 'visible' }}
      styles={{ label: { overflow: 'visible', textOverflow: 'clip' } }}
    >
      {ownerLabels[owner]}
    </Badge>
  )
}

/** "Jan 2026 71, Feb 2026 74, …" — the words behind a chart, for its label. */
export function describeTrend(points: AlignmentPoint[]): string {
  const known = points.filter((p) => p.value !== null)
  if (known.length === 0) return 'no data yet'
  return known.map((p) => `${monthLabel(p.period)} ${Math.round(p.value ?? 0)}`).join(', ')
}

export const formatValue = (value: number) =>
  Number.isInteger(value) ? String(value) : value.toFixed(1)

/**
 * A sparkline drawn as one SVG image with its values in its label (no focusable chart inside an
 * image, which axe refuses). Months without data break the line.
 */
function TrendLine({ label, values }: { label: string; values: (number | null)[] }) {
  const theme = useMantineTheme()
  if (!values.some((v) => v !== null)) return null
  const width = 140
  const height = 40
  const step = values.length > 1 ? width / (values.length - 1) : 0
  const y = (v: number) => height - 2 - (Math.min(100, Math.max(0, v)) / 100) * (height - 4)
  const segments: string[][] = [[]]
  values.forEach((v, i) => {
    if (v === null) segments.push([])
    else segments.at(-1)?.push(`${(i * step).toFixed(1)},${y(v).toFixed(1)}`)
  })
  const dots = values
    .map((v, i) => (v === null ? null : { x: i * step, y: y(v), i }))
    .filter((d) => d !== null)
  const last = dots.at(-1)
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <title>{label}</title>
      <line
        x1={0}
        x2={width}
        y1={y(50)}
        y2={y(50)}
        stroke={theme.colors.gray[3]}
        strokeDasharray="2 3"
      />
      {segments
        .filter((points) => points.length > 1)
        .map((points) => (
          <polyline
            key={points[0]}
            points={points.join(' ')}
            fill="none"
            stroke={theme.colors.indigo[7]}
            strokeWidth={2}
          />
        ))}
      {last ? <circle cx={last.x} cy={last.y} r={3} fill={theme.colors.indigo[7]} /> : null}
    </svg>
  )
}

/** One part of the index: its value beside the raw figures, whose it is, and its records. */
export function PartCard({ part }: { part: AlignmentPart }) {
  const trend = part.trend.map((p) => p.value)
  return (
    <Paper withBorder p="md" component="article" aria-labelledby={`part-${part.key}`}>
      <Stack gap="xs" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Title order={3} size="h5" id={`part-${part.key}`} style={{ minWidth: 0 }}>
            {part.label}
          </Title>
          <OwnerBadge owner={part.owner} />
        </Group>
        <Group gap="md" align="center" wrap="nowrap">
          <Text fz={32} fw={700} lh={1} data-testid={`part-value-${part.key}`}>
            {formatValue(part.value)}
          </Text>
          <TrendLine
            label={`${part.label} per month: ${describeTrend(part.trend)}`}
            values={trend}
          />
        </Group>
        <Text size="sm">{part.detail}</Text>
        <Text size="xs" c="dimmed">
          {part.meaning}
        </Text>
        <Group gap="md" mt="auto">
          <Anchor component={Link} to={part.link} size="sm">
            See records<VisuallyHidden> of {part.label}</VisuallyHidden>
          </Anchor>
          {part.shortfallLink ? (
            <Anchor component={Link} to={part.shortfallLink} size="sm">
              See shortfall<VisuallyHidden> of {part.label}</VisuallyHidden>
            </Anchor>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  )
}
