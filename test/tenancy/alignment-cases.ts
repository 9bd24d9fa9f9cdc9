/** Issue 8 (the Bridge): tenancy cases of the alignment operations. */
export const alignmentCases: Record<string, () => Promise<void>> = {}
