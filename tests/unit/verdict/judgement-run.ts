/**
 * Test-only: writes an incident's files to a tmp dir and analyses them through the one-shot
 * path the CLI and the app use (a real session reading real files), with health samples and
 * deploys as the pollers would have recorded them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { AnalysisSnapshot } from '../../../shared/contract/analysis'
import type { DeployEvent, HealthSample } from '../../../shared/model/evidence'
import { analyzeOnce, type OneShotResult } from '../../../electron/session/one-shot'

export async function analyzeFiles(logs: Record<string, string>, evidence: { health?: HealthSample[]; deploys?: DeployEvent[] } = {}): Promise<OneShotResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-judgement-'))
  try {
    const paths: string[] = []
    for (const [name, content] of Object.entries(logs)) {
      const p = path.join(dir, name)
      await writeFile(p, content)
      paths.push(p)
    }
    const result = await analyzeOnce({ paths, format: null, fieldMap: null, workers: 1, deploys: evidence.deploys ?? [], health: evidence.health ?? [] })
    AnalysisSnapshot.parse(result.snapshot)
    return result
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const p2 = (n: number): string => String(n).padStart(2, '0')
const p3 = (n: number): string => String(n).padStart(3, '0')
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `2026-03-14 13:45:01.234` (Spring Boot / logback, UTC). */
export const springTime = (t: number): string => {
  const d = new Date(t)
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${p3(d.getUTCMilliseconds())}`
}
/** `14/Mar/2026:13:45:01 +0000` (nginx `$time_local`). */
export const clfTime = (t: number): string => {
  const d = new Date(t)
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
}
/** `2026/03/14 13:45:01` (nginx error log). */
export const nginxErrorTime = (t: number): string => {
  const d = new Date(t)
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
}

export interface Hit {
  time: number
  method: string
  path: string
  status: number
  /** Seconds, as nginx writes `$request_time` / `$upstream_response_time`. */
  seconds: number
  client: string
}

/** nginx combined + `$request_time $upstream_response_time` (upstream `-` when none answered). */
export const nginxAccess = (hits: Hit[]): string =>
  hits
    .map((h) => `${h.client} - - [${clfTime(h.time)}] "${h.method} ${h.path} HTTP/1.1" ${h.status} ${h.status >= 500 ? 0 : 1423} "-" "okhttp/4.12.0" ${h.seconds.toFixed(3)} ${h.status === 504 ? '60.001' : h.seconds.toFixed(3)}`)
    .join('\n') + '\n'
