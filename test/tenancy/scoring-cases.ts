/** Issue 9: tenancy cases of the scoring operations (one per /api/v1 operation). */
export const scoringCases: Record<string, () => Promise<void>> = {}
