/**
 * An online, Drain-like template miner. Lines are cut after their header, their tokens
 * masked, then routed through a fixed-depth prefix tree (token count, then the leading
 * tokens) to a short list of clusters; a line joins the most similar cluster when enough of
 * its constant tokens agree, and the positions where they differ become `<*>`.
 * No setting depends on the file: the header is learned from the file itself.
 *
 * Work per line is bounded: a leaf compares a line with at most `maxLeafClusters` clusters,
 * so mining is linear in lines even when every line is distinct (a leaf that already holds
 * that many templates is a shape whose tokens vary freely; its further unmatched lines share
 * one `rest` template of that leaf instead of each opening a cluster that every later line
 * would be compared with).
 */

import { HeaderModel } from './header'
import { hasWildcard, maskToken, tokenize, WILDCARD } from './mask'
import { stableHash } from './hash'

export interface MinerOptions {
  /** Share of constant positions that must agree for a line to join a cluster. */
  similarity?: number
  /** Leading message tokens used as tree keys after the token count. */
  depth?: number
  /** Children per tree node before further distinct keys share the `<*>` child. */
  maxChildren?: number
  /** Distinct clusters kept; lines that would start another one go to an overflow template. */
  maxClusters?: number
  /**
   * A cluster with this many lines is settled: a line that differs at one of its constant
   * positions starts a new cluster instead of generalizing it (a rare variant never dissolves
   * a template that hundreds of lines agreed on).
   */
  settledAfter?: number
  /**
   * Clusters one tree leaf holds; a line that matches none of a full leaf's clusters joins
   * the leaf's `rest` cluster. Bounds the comparisons per line.
   */
  maxLeafClusters?: number
  /** Messages longer than this many tokens are compared on their first `maxTokens`. */
  maxTokens?: number
  /** `auto`: find and skip each line's header; `none`: the input is already a bare message. */
  header?: 'auto' | 'none'
}

export interface MinedTemplate {
  id: string
  template: string
  count: number
}

export interface TemplateMiningResult {
  templates: MinedTemplate[]
  /** The template id of every input line, in input order. */
  assignments: string[]
}

/** What lines that could not start a new cluster (the cap was reached) are counted under. */
export const OVERFLOW_TEMPLATE = '<other>'

const DEFAULTS = {
  similarity: 0.6,
  depth: 2,
  maxChildren: 100,
  maxClusters: 20_000,
  maxLeafClusters: 64,
  maxTokens: 256,
  settledAfter: 60
}

/** Lines the header of a file is learned from. */
export const HEADER_SAMPLE_LINES = 500

export class TemplateCluster {
  count = 0
  /** Grows each time a token of the template turns into `<*>`: the template (and id) changed. */
  revision = 0
  constructor(public tokens: string[]) {}

  get template(): string {
    return this.tokens.join(' ')
  }

  get id(): string {
    return templateId(this.template)
  }
}

export const templateId = (template: string): string => `T${stableHash(template)}`

interface TreeNode {
  children: Map<string, TreeNode>
  clusters: TemplateCluster[]
  /**
   * Per position, each constant token → the indexes in `clusters` of the templates that hold it
   * there. A line is compared only with the clusters that share one of its constant tokens in
   * place: any other one agrees nowhere, so its similarity is 0.
   */
  postings: Map<string, number[]>[]
  /** Where unmatched lines of a full leaf go. */
  rest: TemplateCluster | null
}

const newNode = (): TreeNode => ({ children: new Map(), clusters: [], postings: [], rest: null })

function post(leaf: TreeNode, slot: number, tokens: readonly string[]): void {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === WILDCARD) continue
    const byToken = (leaf.postings[i] ??= new Map())
    const list = byToken.get(tokens[i])
    if (list) list.push(slot)
    else byToken.set(tokens[i], [slot])
  }
}

function unpost(leaf: TreeNode, slot: number, position: number, token: string): void {
  const list = leaf.postings[position]?.get(token)
  if (!list) return
  const at = list.indexOf(slot)
  if (at >= 0) list.splice(at, 1)
  if (list.length === 0) leaf.postings[position].delete(token)
}

/** Work done so far, for callers (and tests) that check mining stays linear. */
export interface MinerStats {
  lines: number
  /** Line-to-cluster similarity computations. */
  comparisons: number
}

export class TemplateMiner {
  private readonly similarity: number
  private readonly depth: number
  private readonly maxChildren: number
  private readonly maxClusters: number
  private readonly maxLeafClusters: number
  private readonly maxTokens: number
  private readonly settledAfter: number
  private readonly byLength = new Map<number, TreeNode>()
  private readonly all: TemplateCluster[] = []
  private overflow: TemplateCluster | null = null
  private readonly skipHeader: boolean
  private header: HeaderModel
  private readonly work: MinerStats = { lines: 0, comparisons: 0 }

  constructor(options: MinerOptions = {}) {
    this.similarity = options.similarity ?? DEFAULTS.similarity
    this.depth = options.depth ?? DEFAULTS.depth
    this.maxChildren = options.maxChildren ?? DEFAULTS.maxChildren
    this.maxClusters = options.maxClusters ?? DEFAULTS.maxClusters
    this.maxLeafClusters = Math.max(1, options.maxLeafClusters ?? DEFAULTS.maxLeafClusters)
    this.maxTokens = options.maxTokens ?? DEFAULTS.maxTokens
    this.settledAfter = options.settledAfter ?? DEFAULTS.settledAfter
    this.skipHeader = options.header !== 'none'
    this.header = HeaderModel.none()
  }

  /** Learns the file's header shape; call before `add` with the file's first lines. */
  learnHeader(sample: Iterable<string>): void {
    if (this.skipHeader) this.header = HeaderModel.learn(sample)
  }

  /** The masked message tokens of a raw line. */
  messageTokens(line: string): string[] {
    const tokens = tokenize(line)
    const start = this.skipHeader ? this.header.cut(tokens).end : 0
    const end = Math.min(tokens.length, start + this.maxTokens)
    const masked = new Array<string>(end - start)
    for (let i = start; i < end; i++) masked[i - start] = maskToken(tokens[i])
    return masked
  }

  get stats(): Readonly<MinerStats> {
    return this.work
  }

  /** Adds one line; the returned cluster's template may still generalize as lines arrive. */
  add(line: string): TemplateCluster {
    const tokens = this.messageTokens(line)
    const leaf = this.leafFor(tokens)
    this.work.lines++
    const candidates = this.candidates(leaf, tokens)
    let best: TemplateCluster | null = null
    let bestSlot = -1
    let bestSim = -1
    let bestWildcards = -1
    // More disagreeing positions than this and a cluster cannot reach the threshold: stop comparing it.
    const maxDisagreeing = (1 - this.similarity) * tokens.length + 1e-9
    for (let slot = 0; slot < leaf.clusters.length; slot++) {
      if (candidates !== null && candidates[slot] === 0) continue
      const cluster = leaf.clusters[slot]
      this.work.comparisons++
      const { sim, wildcards } = similarity(cluster.tokens, tokens, cluster.count >= this.settledAfter, maxDisagreeing)
      if (sim > bestSim || (sim === bestSim && wildcards > bestWildcards)) {
        best = cluster
        bestSlot = slot
        bestSim = sim
        bestWildcards = wildcards
      }
    }
    if (best && bestSim >= this.similarity) {
      for (let i = 0; i < tokens.length; i++)
        if (best.tokens[i] !== tokens[i] && best.tokens[i] !== WILDCARD) unpost(leaf, bestSlot, i, best.tokens[i])
      merge(best, tokens)
      best.count++
      return best
    }
    if (leaf.clusters.length >= this.maxLeafClusters && leaf.rest) {
      merge(leaf.rest, tokens)
      leaf.rest.count++
      return leaf.rest
    }
    if (this.all.length >= this.maxClusters) {
      this.overflow ??= new TemplateCluster([OVERFLOW_TEMPLATE])
      this.overflow.count++
      return this.overflow
    }
    const cluster = new TemplateCluster(tokens)
    cluster.count = 1
    if (leaf.clusters.length < this.maxLeafClusters) {
      post(leaf, leaf.clusters.length, tokens)
      leaf.clusters.push(cluster)
    } else leaf.rest = cluster
    this.all.push(cluster)
    return cluster
  }

  /** Current templates, most frequent first; clusters that converged on one template count as one. */
  templates(): MinedTemplate[] {
    const merged = new Map<string, MinedTemplate>()
    const clusters = this.overflow ? [...this.all, this.overflow] : this.all
    for (const cluster of clusters) {
      const template = cluster.template
      const known = merged.get(template)
      if (known) known.count += cluster.count
      else merged.set(template, { id: templateId(template), template, count: cluster.count })
    }
    return [...merged.values()].sort((a, b) => b.count - a.count || a.template.localeCompare(b.template))
  }

  /**
   * Which of the leaf's clusters can reach the threshold (1 at their index), from the postings of
   * the line's constant tokens; null when every cluster must be compared (a line of wildcards
   * only, or a threshold of 0 that even a cluster agreeing nowhere meets).
   */
  private candidates(leaf: TreeNode, tokens: readonly string[]): Uint8Array | null {
    if (this.similarity <= 0) return null
    const marks = new Uint8Array(leaf.clusters.length)
    let constants = 0
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i] === WILDCARD) continue
      constants++
      const list = leaf.postings[i]?.get(tokens[i])
      if (list) for (const slot of list) marks[slot] = 1
    }
    return constants === 0 ? null : marks
  }

  private leafFor(tokens: readonly string[]): TreeNode {
    let node: TreeNode | undefined = this.byLength.get(tokens.length)
    if (!node) {
      node = newNode()
      this.byLength.set(tokens.length, node)
    }
    const levels = Math.min(this.depth, tokens.length)
    for (let i = 0; i < levels; i++) {
      const key = hasWildcard(tokens[i]) ? WILDCARD : tokens[i]
      let child: TreeNode | undefined = node.children.get(key)
      if (!child) {
        // A crowded level routes further distinct keys to the shared wildcard child.
        const target = node.children.size >= this.maxChildren ? WILDCARD : key
        child = node.children.get(target)
        if (!child) {
          child = newNode()
          node.children.set(target, child)
        }
      }
      node = child
    }
    return node
  }
}

/**
 * Share of positions whose constant tokens agree. Positions masked in both the template and
 * the line carry no evidence either way, so they are left out of the ratio. Past
 * `maxDisagreeing` compared positions that do not agree, the share is below the threshold
 * whatever follows: -1 (never chosen) without looking further.
 */
function similarity(
  template: readonly string[],
  tokens: readonly string[],
  settled: boolean,
  maxDisagreeing: number
): { sim: number; wildcards: number } {
  let same = 0
  let compared = 0
  let wildcards = 0
  for (let i = 0; i < template.length; i++) {
    const t = template[i]
    if (t === WILDCARD) {
      wildcards++
      if (tokens[i] === WILDCARD) continue
      compared++
    } else {
      compared++
      if (t === tokens[i]) {
        same++
        continue
      }
      if (settled) return { sim: -1, wildcards }
    }
    if (compared - same > maxDisagreeing) return { sim: -1, wildcards }
  }
  return { sim: compared === 0 ? 1 : same / compared, wildcards }
}

function merge(cluster: TemplateCluster, tokens: readonly string[]): void {
  const template = cluster.tokens
  let changed = false
  for (let i = 0; i < template.length; i++)
    if (template[i] !== tokens[i] && template[i] !== WILDCARD) {
      template[i] = WILDCARD
      changed = true
    }
  if (changed) cluster.revision++
}

/**
 * Mines one file line by line: holds back the first lines until the file's header is
 * learned from them, then clusters every line. Streaming readers push lines as they come.
 */
export class FileTemplateMining {
  private readonly miner: TemplateMiner
  private readonly head: string[] = []
  private readonly headLines: number[] = []
  private readonly clusters: TemplateCluster[] = []
  private learned = false

  constructor(options: MinerOptions = {}) {
    this.miner = new TemplateMiner(options)
  }

  push(line: string): void {
    this.pushFolded(line, 1)
  }

  /**
   * One event of `lineCount` physical lines (a folded stack trace): mined by its first line,
   * and every one of its lines is assigned that template.
   */
  pushFolded(firstLine: string, lineCount: number): void {
    if (this.learned) {
      const cluster = this.miner.add(firstLine)
      for (let i = 0; i < lineCount; i++) this.clusters.push(cluster)
      return
    }
    this.head.push(firstLine)
    this.headLines.push(lineCount)
    if (this.head.length >= HEADER_SAMPLE_LINES) this.learn()
  }

  finish(): TemplateMiningResult {
    if (!this.learned) this.learn()
    const ids = new Map<TemplateCluster, string>()
    const assignments = this.clusters.map((cluster) => {
      let id = ids.get(cluster)
      if (id === undefined) {
        id = cluster.id
        ids.set(cluster, id)
      }
      return id
    })
    // Counts are of lines, like the assignments: a folded trace counts all its lines.
    const lines = new Map<string, number>()
    for (const id of assignments) lines.set(id, (lines.get(id) ?? 0) + 1)
    const templates = this.miner
      .templates()
      .map((t) => ({ ...t, count: lines.get(t.id) ?? 0 }))
      .filter((t) => t.count > 0)
      .sort((a, b) => b.count - a.count || a.template.localeCompare(b.template))
    return { templates, assignments }
  }

  private learn(): void {
    this.learned = true
    this.miner.learnHeader(this.head)
    this.head.forEach((line, i) => {
      const cluster = this.miner.add(line)
      for (let k = 0; k < this.headLines[i]; k++) this.clusters.push(cluster)
    })
    this.head.length = 0
  }
}

/** Mines a whole file's lines: learns the header from the first lines, then clusters every line. */
export function mineTemplates(lines: Iterable<string>, options: MinerOptions = {}): TemplateMiningResult {
  const mining = new FileTemplateMining(options)
  for (const line of lines) mining.push(line)
  return mining.finish()
}
