import { notifications } from '@mantine/notifications'
import { errorMessage } from '../api/client.ts'

const closeButtonProps = { 'aria-label': 'Dismiss notification' }

export function notifySuccess(message: string, title?: string) {
  notifications.show({ color: 'teal', title, message, closeButtonProps })
}

/** A failed action the page has no better place to explain: the API's message, verbatim. */
export function notifyError(title: string, error: unknown) {
  notifications.show({ color: 'red', title, message: errorMessage(error), closeButtonProps })
}
