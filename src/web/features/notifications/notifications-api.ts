import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getData, postData } from '../../api/client.ts'

/** GET /api/v1/notifications (one item). */
export interface Notification {
  id: string
  kind: string
  title: string
  body: string | null
  link: string | null
  createdAt: string
  readAt: string | null
}

/** Every notification query starts with this key, so one invalidation refreshes bell and page. */
export const notificationsKey = ['notifications'] as const
export const unreadCountKey = [...notificationsKey, 'unread-count'] as const
export const latestKey = [...notificationsKey, 'latest'] as const
export const pageKey = (unreadOnly: boolean) =>
  [...notificationsKey, 'page', unreadOnly ? 'unread' : 'all'] as const

// The badge is polled: a new handoff or an SLA breach shows within half a minute.
const pollEvery = 30_000

export function useUnreadCount() {
  return useQuery({
    queryKey: unreadCountKey,
    queryFn: () => getData<{ count: number }>('/api/v1/notifications/unread-count'),
    refetchInterval: pollEvery,
    refetchOnWindowFocus: true,
    select: (data) => data.count,
  })
}

/** The latest notifications, for the bell's panel; fetched each time the panel opens. */
export function useLatestNotifications(enabled: boolean) {
  return useQuery({
    queryKey: latestKey,
    queryFn: () => getData<Notification[]>('/api/v1/notifications?limit=10'),
    enabled,
    staleTime: 0,
  })
}

export function useMarkRead() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => postData<Notification>(`/api/v1/notifications/${id}/read`, {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  })
}

export function useMarkAllRead() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => postData<{ count: number }>('/api/v1/notifications/read-all', {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  })
}
