/** Issue 9: tenancy cases of the regret operations (one per /api/v1 operation). */
export const regretCases: Record<string, () => Promise<void>> = {}
