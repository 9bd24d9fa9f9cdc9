/** Issue 8 (the Bridge): tenancy cases of the voice operations. */
export const voiceCases: Record<string, () => Promise<void>> = {}
