/** How many lines format detection (and field inference) reads from the start of a file. */
export const DETECT_SAMPLE_LINES = 200
