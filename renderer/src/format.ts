export { formatBytes } from '../../shared/report/format'

export const formatCount = (n: number): string => n.toLocaleString('en-US')

/** `2026-03-14 14:05 UTC`: the app shows every time in UTC, like the logs it reads. */
export function dateTimeUtc(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`
}

/** An error from the host or the bridge, as the sentence the engineer reads. */
export { errorText } from './api/errors'
