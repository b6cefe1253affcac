/** Reads the loghub benchmark files: raw 2k logs, corrected ground truth, published Drain GA. */
import { readFileSync, existsSync } from 'node:fs'
import { sharedData } from '../../support/shared-data'

export const correctedDir = sharedData('loghub-2.0', '2k_corrected')

/** RFC 4180 CSV: quoted fields with doubled quotes and embedded commas/newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

export function readLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
}

export interface LoghubSystem {
  name: string
  logFile: string
  truth: string[]
  drainGA: number | null
}

function drainGAs(): Map<string, number> {
  const rows = parseCsv(readFileSync(sharedData('loghub-2.0', 'RQs_experiments_RQ2_effectiveness_results.csv'), 'utf8'))
  const drainColumn = rows[0].indexOf('Drain')
  const out = new Map<string, number>()
  for (const row of rows.slice(1)) {
    const match = /^(\w+) GA$/.exec(row[0])
    if (match) out.set(match[1], Number(row[drainColumn].split('/')[0]))
  }
  return out
}

export function loghubSystems(): LoghubSystem[] {
  const drain = drainGAs()
  const names = ['Apache', 'BGL', 'HDFS', 'HPC', 'Hadoop', 'HealthApp', 'Linux', 'Mac', 'OpenSSH', 'OpenStack', 'Proxifier', 'Spark', 'Thunderbird', 'Zookeeper']
  return names
    .filter((name) => existsSync(`${correctedDir}/${name}`))
    .map((name) => {
      const rows = parseCsv(readFileSync(`${correctedDir}/${name}/${name}_2k.log_structured_corrected.csv`, 'utf8'))
      const eventId = rows[0].indexOf('EventId')
      return {
        name,
        logFile: sharedData('loghub', name, `${name}_2k.log`),
        truth: rows.slice(1).map((row) => row[eventId]),
        drainGA: drain.get(name) ?? null
      }
    })
}
