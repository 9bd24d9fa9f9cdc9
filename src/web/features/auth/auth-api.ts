import { api } from '../../api/client.ts'

export interface Credentials {
  email: string
  password: string
}

export interface SignUpInput extends Credentials {
  name: string
}

export function signIn(input: Credentials) {
  return api.post<unknown>('/api/auth/sign-in/email', input)
}

export function signUp(input: SignUpInput) {
  return api.post<unknown>('/api/auth/sign-up/email', input)
}

export function signOut() {
  return api.post<unknown>('/api/auth/sign-out', {})
}

export function requestPasswordReset(email: string) {
  return api.post<unknown>('/api/auth/request-password-reset', {
    email,
    redirectTo: '/reset-password',
  })
}

export function resetPassword(input: { newPassword: string; token: string }) {
  return api.post<unknown>('/api/auth/reset-password', input)
}

/** Only same-site paths are followed after sign-in, so a crafted link cannot send people away. */
export function safeNext(value: string | null, fallback = '/microscope'): string {
  if (value === null || !value.startsWith('/') || value.startsWith('//')) return fallback
  return value
}
