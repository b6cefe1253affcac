/**
 * Kubernetes objects as kubectl prints them with `-o json`: a List over many indented lines
 * (`kubectl get events|pods|rs -o json`), or one object after another (`kubectl get … -w -o json`,
 * followed live). The lines of one document are joined (LineJoin) until its braces close, then
 * each item becomes a logical line: the first item read carries the document's physical lines,
 * the rest span none. Items are read by electron/collect/kube/objects.ts; an item that is none of
 * Event, Pod or ReplicaSet stays unparsed. Detection is by shape (detect.ts asks
 * looksLikeKubeJson), since no single line of an indented document tells what it is.
 */
import { defineParser } from '../definition'
import type { EvidenceEvent } from '../../../../shared/model/evidence'
import type { LineJoin, LineParser, LogicalLine } from '../parser'
import { kubeItems, kubeObjectEvents } from '../../kube/objects'

/** Marks a logical line as one event of a read object. */
const EVENT = '\u0000kube\u0000'

/** Counts braces outside strings, so a document's end is found without parsing it per line. */
class DocumentJoin implements LineJoin {
  private parts: string[] = []
  private first = 0
  private offset = 0
  private depth = 0
  private inString = false

  push(line: string, lineNo: number, offset: number): LogicalLine[] {
    if (this.parts.length === 0) {
      if (line.trim() === '') return [{ text: line, line: lineNo, offset, lines: 1 }]
      this.first = lineNo
      this.offset = offset
    }
    this.parts.push(line)
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i)
      if (this.inString) {
        if (c === 92) i++
        else if (c === 34) this.inString = false
      } else if (c === 34) this.inString = true
      else if (c === 123 || c === 91) this.depth++
      else if (c === 125 || c === 93) this.depth--
    }
    return this.depth <= 0 ? this.take() : []
  }

  flush(): LogicalLine[] {
    return this.parts.length === 0 ? [] : this.take()
  }

  private take(): LogicalLine[] {
    const text = this.parts.join('\n')
    const lines = this.parts.length
    const at = { line: this.first, offset: this.offset }
    this.parts = []
    this.depth = 0
    this.inString = false
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch {
      return [{ text, ...at, lines }]
    }
    const read: string[] = []
    const unread: string[] = []
    for (const item of kubeItems(doc)) {
      const events = kubeObjectEvents(item)
      if (events === null) unread.push(JSON.stringify(item))
      else for (const e of events) read.push(EVENT + JSON.stringify(e))
    }
    const all = [...read, ...unread]
    if (all.length === 0) return [{ text: '', ...at, lines }]
    return all.map((t, i) => ({ text: t, ...at, lines: i === 0 ? lines : 0 }))
  }
}

class KubeParser implements LineParser {
  readonly format = 'kube-json'
  readonly multiline = 'single'

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    if (!line.startsWith(EVENT)) return null
    const event = JSON.parse(line.slice(EVENT.length)) as EvidenceEvent
    return { ...event, line: lineNo, offset }
  }

  joinLines(): LineJoin {
    return new DocumentJoin()
  }
}

export default defineParser({
  id: 'kube-json',
  title: 'Kubernetes objects (kubectl get events|pods|rs -o json)',
  family: 'app',
  multiline: 'single',
  detectable: false,
  create: () => new KubeParser(),
  samples: [{
    source: 'written for this definition (invented values): `kubectl get events -o json` with one OOMKilling event and one object of another kind',
    lines: [
      '{',
      '    "apiVersion": "v1",',
      '    "items": [',
      '        {',
      '            "apiVersion": "v1",',
      '            "count": 3,',
      '            "involvedObject": {"kind": "Pod", "name": "orders-7d9c6b5f4-x2lqp", "namespace": "shop"},',
      '            "kind": "Event",',
      '            "lastTimestamp": "2024-03-01T12:00:05Z",',
      '            "message": "Memory cgroup out of memory: Killed process 4242 (java)",',
      '            "metadata": {"name": "orders-7d9c6b5f4-x2lqp.17b8", "namespace": "shop"},',
      '            "reason": "OOMKilling",',
      '            "type": "Warning"',
      '        },',
      '        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "orders-config"}}',
      '    ],',
      '    "kind": "List",',
      '    "metadata": {"resourceVersion": ""}',
      '}'
    ],
    unparsed: 1,
    events: [
      { kind: 'app', time: '2024-03-01T12:00:05.000Z', level: 'warn', message: 'OOMKilling: Memory cgroup out of memory: Killed process 4242 (java) (3×)', instance: 'orders-7d9c6b5f4-x2lqp', logger: 'kubernetes' }
    ]
  }]
})
