/** Issue 8 (the Bridge): tenancy cases of the funnel operations. */
export const funnelCases: Record<string, () => Promise<void>> = {}
