/**
 * The longest line text kept, in bytes: a longer line is cut to this and counted, so one
 * runaway line (a 50 MB JSON blob, a binary dump) costs this much memory and regex work, not its
 * size. The readers (electron/collect/lines.ts) apply it; the source card names it.
 */
export const MAX_LINE_BYTES = 64 * 1024
