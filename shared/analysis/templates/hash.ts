/**
 * A short, stable, non-cryptographic hash for ids that must not change between runs
 * (template and group ids). Two independent 32-bit FNV-1a lanes give 64 bits, so
 * collisions among a few thousand templates are practically impossible.
 */
export function stableHash(text: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0').slice(0, 4)
}
