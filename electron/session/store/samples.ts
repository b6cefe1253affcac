/**
 * health.jsonl and deploys.jsonl: the samples the pollers collected, one HealthSample or
 * DeployEvent per line with the field names `analyze --health/--deploys` reads, so the same
 * reader (evidence-files) checks them here; a cut-off last line is reported, not fatal.
 */
import type { DeployEvent, HealthSample } from '../../../shared/model/evidence'
import { EvidenceFileError, parseDeploysText, parseHealthText } from '../../collect/evidence-files'
import { type LineParse, readJsonLines } from './jsonl'

export type SampleKind = 'health' | 'deploys'

/** Checks one decoded line with the evidence-file reader; readJsonLines names the real line. */
function viaEvidenceReader<T>(parseText: (text: string, file: string) => T[], name: string): (value: unknown) => LineParse<T> {
  return (value) => {
    try {
      const [item] = parseText(JSON.stringify(value), name)
      return item ? { ok: true, value: item } : { ok: false, why: 'empty record' }
    } catch (err) {
      if (!(err instanceof EvidenceFileError)) throw err
      return { ok: false, why: err.message.slice(err.message.indexOf(': ') + 2) }
    }
  }
}

const parseHealthLine = viaEvidenceReader(parseHealthText, 'health.jsonl')
const parseDeployLine = viaEvidenceReader(parseDeploysText, 'deploys.jsonl')

export async function readHealthSamples(file: string): Promise<{ items: HealthSample[]; problems: string[] }> {
  const { items, problems } = await readJsonLines(file, file, parseHealthLine)
  return { items: items.sort((a, b) => a.at - b.at), problems }
}

export async function readDeploySamples(file: string): Promise<{ items: DeployEvent[]; problems: string[] }> {
  const { items, problems } = await readJsonLines(file, file, parseDeployLine)
  return { items: items.sort((a, b) => a.at - b.at), problems }
}
