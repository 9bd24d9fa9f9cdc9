/** Issue 8 (the Bridge): tenancy cases of the drill operations. */
export const drillCases: Record<string, () => Promise<void>> = {}
