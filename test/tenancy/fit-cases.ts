/** Issue 9: tenancy cases of the fit operations (one per /api/v1 operation). */
export const fitCases: Record<string, () => Promise<void>> = {}
