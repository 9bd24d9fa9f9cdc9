/** Issue 8 (the Bridge): tenancy cases of the feedback operations. */
export const feedbackCases: Record<string, () => Promise<void>> = {}
