import { count } from '../format'

/** Report wording that is not a number format (those live in shared/format). */

export const toMs = (iso: string): number => new Date(iso).getTime()

export const redactionSummary = (n: number): string =>
  n === 0 ? 'redaction on: no secrets or personal data found' : `secrets and personal data redacted (${count(n)} value${n === 1 ? '' : 's'})`
