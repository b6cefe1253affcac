/**
 * Shared settings for the property-based fuzz tests.
 *
 * In the suite each property runs its own small `numRuns`, sized so all of tests/fuzz together
 * stays well under 30 s. `npm run fuzz` runs every property DEEP_RUNS times (minutes);
 * FUZZ_RUNS=<n> sets the runs of every property to n. A failure prints the counterexample with
 * its seed and path; FUZZ_SEED=<seed> FUZZ_PATH=<path> replays exactly that case.
 */
import fc from 'fast-check'

/** The seed of the bounded in-suite runs (any fixed value; `npm run fuzz` explores others). */
const IN_SUITE_SEED = 20_261_202

/** Runs per property under `npm run fuzz` when FUZZ_RUNS is not given. */
const DEEP_RUNS = 20_000

function envInt(name: string): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`)
  return value
}

function runsOverride(): number | undefined {
  const runs = envInt('FUZZ_RUNS')
  if (runs !== undefined && runs < 1) throw new Error(`FUZZ_RUNS must be at least 1, got ${runs}`)
  return runs ?? (process.env.npm_lifecycle_event === 'fuzz' ? DEEP_RUNS : undefined)
}

/** True under `npm run fuzz` or with FUZZ_RUNS set: the long run. */
export const deepFuzz = runsOverride() !== undefined

/** How many runs, and the seed and path to replay: fast-check parameters that fit any property. */
export interface FuzzRunParams {
  numRuns: number
  seed?: number
  path?: string
}

/**
 * fast-check parameters for one property: `inSuite` runs in the normal test run. Add fixed
 * examples with `{ ...fuzzParams(n), examples: [...] }`.
 */
export function fuzzParams(inSuite: number): FuzzRunParams {
  // In the suite a fixed seed: CI's verdict must not depend on the draw. `npm run fuzz` draws anew each run.
  const seed = envInt('FUZZ_SEED') ?? (deepFuzz ? undefined : IN_SUITE_SEED)
  const replay = process.env.FUZZ_PATH
  return {
    numRuns: runsOverride() ?? inSuite,
    ...(seed === undefined ? {} : { seed }),
    ...(replay === undefined || replay === '' ? {} : { path: replay })
  }
}

/** A string with a few random edits: what a truncated, interleaved or corrupted log line looks like. */
export function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('"', '[', ']', '{', '}', '=', ' ', '\t', ':', '\\', '%', '\u0000', '\ufffd', '🔥', '\ud800')) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('digits' as const), at: fc.nat(), text: fc.constantFrom('0', '9', '99', '-1', '1e300', '00000000000000000000', 'NaN') })
  )
  return fc.tuple(base, fc.array(edit, { maxLength: 4 })).map(([line, edits]) => {
    let out = line
    for (const e of edits) {
      const at = out.length === 0 ? 0 : e.at % (out.length + 1)
      if (e.kind === 'insert' || e.kind === 'digits') out = out.slice(0, at) + e.text + out.slice(at)
      else if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.length)
      else out = out.slice(0, at)
    }
    return out
  })
}

/** Epoch ms a Date can hold (±100,000,000 days): anything else breaks toISOString() downstream. */
const MAX_EPOCH_MS = 8.64e15

/** Why `t` is not null or a whole, finite epoch in the Date range; null when it is fine. */
export function badEpoch(t: unknown): string | null {
  if (t === null) return null
  if (typeof t !== 'number') return `not a number: ${typeof t}`
  if (!Number.isFinite(t) || !Number.isInteger(t)) return `not a whole finite number: ${t}`
  if (Math.abs(t) > MAX_EPOCH_MS) return `outside the Date range: ${t}`
  return null
}
