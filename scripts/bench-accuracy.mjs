#!/usr/bin/env node
// Grouping accuracy (GA) of `triage500 templates` on the loghub 2k benchmark, through the
// built CLI, next to Drain's published figure on the same corrected labels.
// Usage: npm run build && node scripts/bench-accuracy.mjs
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = process.env.TRIAGE500_CLI ?? path.join(repo, 'out', 'main', 'cli.js')
const data = process.env.TRIAGE500_SHARED_DATA ?? path.resolve(repo, '..', 'shared', 'data')
const corrected = path.join(data, 'loghub-2.0', '2k_corrected')

if (!existsSync(cli)) {
  console.error(`bench-accuracy: ${path.relative(process.cwd(), cli)} not found: run \`npm run build\` first`)
  process.exit(1)
}
if (!existsSync(corrected)) {
  console.error(`bench-accuracy: loghub data not found at ${corrected} (set TRIAGE500_SHARED_DATA)`)
  process.exit(1)
}

/** RFC 4180 CSV (quoted fields, doubled quotes, embedded commas). */
function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
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
  if (field !== '' || row.length > 0) rows.push([...row, field])
  return rows
}

/** Same definition as shared/analysis/templates/accuracy.ts (loghub's evaluator). */
function groupingAccuracy(predicted, truth) {
  const truthSizes = new Map()
  for (const t of truth) truthSizes.set(t, (truthSizes.get(t) ?? 0) + 1)
  const groups = new Map()
  predicted.forEach((p, i) => {
    const g = groups.get(p)
    if (!g) groups.set(p, { size: 1, label: truth[i] })
    else {
      g.size++
      if (g.label !== truth[i]) g.label = null
    }
  })
  let correct = 0
  for (const { size, label } of groups.values()) if (label !== null && truthSizes.get(label) === size) correct += size
  return correct / truth.length
}

const published = parseCsv(readFileSync(path.join(data, 'loghub-2.0', 'RQs_experiments_RQ2_effectiveness_results.csv'), 'utf8'))
const drainColumn = published[0].indexOf('Drain')
const drain = new Map(
  published
    .slice(1)
    .filter((r) => / GA$/.test(r[0]))
    .map((r) => [r[0].replace(/ GA$/, ''), Number(r[drainColumn].split('/')[0])])
)

const rows = []
let lines = 0
let millis = 0
for (const system of readdirSync(corrected).sort()) {
  const truthRows = parseCsv(readFileSync(path.join(corrected, system, `${system}_2k.log_structured_corrected.csv`), 'utf8'))
  const eventId = truthRows[0].indexOf('EventId')
  const truth = truthRows.slice(1).map((r) => r[eventId])
  const log = path.join(data, 'loghub', system, `${system}_2k.log`)
  const started = process.hrtime.bigint()
  let out
  try {
    out = execFileSync(process.execPath, [cli, 'templates', '--format', 'json', log], { maxBuffer: 1 << 28, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (err) {
    console.error(`bench-accuracy: ${system}: the CLI failed: ${String(err.stderr ?? err.message).trim()}`)
    process.exit(1)
  }
  millis += Number(process.hrtime.bigint() - started) / 1e6
  const { templates, assignments } = JSON.parse(out)
  if (assignments.length !== truth.length) throw new Error(`${system}: ${assignments.length} assignments for ${truth.length} labelled lines`)
  lines += assignments.length
  rows.push({ system, ga: groupingAccuracy(assignments, truth), drain: drain.get(system) ?? NaN, found: templates.length, truth: new Set(truth).size })
}

const mean = (k) => rows.reduce((s, r) => s + r[k], 0) / rows.length
console.log('system        GA(ours)  GA(Drain)  templates  truth')
for (const r of rows)
  console.log(`${r.system.padEnd(13)} ${r.ga.toFixed(3).padStart(8)}  ${r.drain.toFixed(3).padStart(9)}  ${String(r.found).padStart(9)}  ${String(r.truth).padStart(5)}`)
console.log(`${'mean'.padEnd(13)} ${mean('ga').toFixed(3).padStart(8)}  ${mean('drain').toFixed(3).padStart(9)}`)
console.log(`${lines} lines in ${(millis / 1000).toFixed(2)} s through the CLI (process start-up included)`)
process.exitCode = mean('ga') >= 0.85 ? 0 : 1
