import { Alert, Badge, Button, Group, List, Stack, Table, Text } from '@mantine/core'
import { IconShieldCheck } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api/client.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { formatDateTime } from '../../components/format.ts'
import type { Deal } from '../records/types.ts'
import { PoorFitBadge } from './fit-badge.tsx'
import { useCanOverrideFit } from './fit-guard.ts'
import { FitOverrideModal, useRemoveFitOverride } from './fit-guard-modal.tsx'

// Light alerts colour their title like their accent, too pale on the light background (axe).
const readableTitle = { title: { color: 'var(--mantine-color-text)' } }

/** The workspace's product-fit threshold (Settings → Scoring); undefined until known. */
function useFitThreshold(): number | undefined {
  const query = useQuery({
    queryKey: ['fit', 'threshold'],
    queryFn: () => api.get<{ data: { productFitThreshold: number } }>('/api/v1/scoring/settings'),
    staleTime: 60_000,
    retry: false,
  })
  return query.data?.data.productFitThreshold
}

function lineFitColor(
  fit: number,
  threshold: number | undefined,
  isLowest: boolean,
  poor: boolean,
) {
  const isPoor = threshold !== undefined ? fit < threshold : poor && isLowest
  return isPoor ? 'red.9' : fit >= 75 ? 'teal.9' : 'gray.8'
}

/** Each line's fit with its reasons, and the override (who, why, when) when there is one. */
export function FitPanel({ deal }: { deal: Deal }) {
  const canOverride = useCanOverrideFit()
  const threshold = useFitThreshold()
  const [dialog, setDialog] = useState<'override' | 'remove' | null>(null)
  const remove = useRemoveFitOverride(deal.id)
  const details = deal.fitDetails ?? []
  const override = deal.fitOverride ?? null

  if (deal.productFit === null || deal.productFit === undefined || details.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No products on this deal yet. Add line items: each is checked against its product’s ideal
        customer profile (Settings → Products).
      </Text>
    )
  }
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Text size="sm">
          Deal fit <b>{deal.productFit}</b> (its lowest line)
          {threshold !== undefined ? `; poor below ${threshold}` : ''}
        </Text>
        <PoorFitBadge deal={deal} size="xs" />
      </Group>
      {deal.poorFit && !override ? (
        <Alert color="red" variant="light" title="Poor fit" styles={readableTitle}>
          <Text size="sm">
            This deal cannot move to a proposal stage or be won until a sales manager overrides the
            fit guard with a reason.
          </Text>
          {canOverride ? (
            <Button size="xs" mt="xs" color="red.9" onClick={() => setDialog('override')}>
              Override fit guard
            </Button>
          ) : null}
        </Alert>
      ) : null}
      {override ? (
        <Alert
          color="orange"
          variant="light"
          title="Fit guard overridden"
          styles={readableTitle}
          icon={<IconShieldCheck aria-hidden="true" />}
        >
          <Text size="sm">
            By {override.byName ?? 'a former member'} on{' '}
            <time dateTime={override.at}>{formatDateTime(override.at)}</time>:
          </Text>
          <Text size="sm" fs="italic" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
            “{override.reason}”
          </Text>
          {canOverride ? (
            <Button
              size="xs"
              mt="xs"
              variant="default"
              onClick={() => {
                remove.reset()
                setDialog('remove')
              }}
            >
              Remove override
            </Button>
          ) : null}
        </Alert>
      ) : null}
      <Table aria-label="Product fit per line" verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Product</Table.Th>
            <Table.Th ta="right">Fit</Table.Th>
            <Table.Th>Why not a full fit</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {details.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines keep the deal's order and may repeat a product
            <Table.Tr key={`${line.productId}:${i}`}>
              <Table.Td>{line.productName}</Table.Td>
              <Table.Td ta="right">
                <Badge
                  variant="outline"
                  color={lineFitColor(
                    line.fit,
                    threshold,
                    line.fit === deal.productFit,
                    deal.poorFit,
                  )}
                >
                  {line.fit}
                </Badge>
              </Table.Td>
              <Table.Td>
                {line.reasons.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    Fits its profile
                  </Text>
                ) : (
                  <List size="sm" spacing={2}>
                    {line.reasons.map((reason) => (
                      <List.Item key={reason}>{reason}</List.Item>
                    ))}
                  </List>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <FitOverrideModal
        opened={dialog === 'override'}
        dealId={deal.id}
        dealName={deal.name}
        onClose={() => setDialog(null)}
      />
      <ConfirmModal
        opened={dialog === 'remove'}
        title="Remove the override"
        confirmLabel="Remove override"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDialog(null)}
        onConfirm={() => remove.mutate(undefined, { onSuccess: () => setDialog(null) })}
      >
        The fit guard applies again: this poor-fit deal cannot move to a proposal stage or be won
        until a sales manager overrides it again. Stages it already reached stay as they are.
      </ConfirmModal>
    </Stack>
  )
}
