import type { TrackingSettingsValues } from './queries.ts'

/** What a workspace without a row of tracking settings has. */
export const defaultTrackingSettings: TrackingSettingsValues = {
  consentRequired: false,
  cookieDomain: null,
  captureForms: false,
}

export function presentTrackingSettings(
  row: (TrackingSettingsValues & { updatedAt: Date | null }) | undefined,
) {
  return {
    consentRequired: row?.consentRequired ?? defaultTrackingSettings.consentRequired,
    cookieDomain: row?.cookieDomain ?? defaultTrackingSettings.cookieDomain,
    captureForms: row?.captureForms ?? defaultTrackingSettings.captureForms,
    updatedAt: row?.updatedAt?.toISOString() ?? null,
  }
}
