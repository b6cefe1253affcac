/** An error from the host or the bridge, as the sentence the engineer reads. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))
