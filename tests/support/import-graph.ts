import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/** One import of a module by another; `typeOnly` when it vanishes from the emitted JavaScript. */
export interface ImportEdge {
  from: string
  to: string
  typeOnly: boolean
}

const SOURCE = /\.(ts|tsx|mts)$/

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...sourceFiles(p))
    else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

function resolveSpecifier(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null
  const base = path.resolve(path.dirname(from), spec)
  for (const c of [base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')])
    if (existsSync(c) && statSync(c).isFile()) return c
  return null
}

/** Whether an import or export declaration carries no value at run time. */
function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause
    if (!clause) return false // a side-effect import
    if (clause.isTypeOnly) return true
    if (clause.name) return false
    const bindings = clause.namedBindings
    if (!bindings || ts.isNamespaceImport(bindings)) return false
    return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
  }
  if (node.isTypeOnly) return true
  const clause = node.exportClause
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)
}

/** Every relative static import and re-export between the TypeScript files under `roots`. */
export function importEdges(roots: string[]): ImportEdge[] {
  const files = roots.filter((r) => existsSync(r)).flatMap(sourceFiles)
  const edges: ImportEdge[] = []
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false)
    for (const st of sf.statements) {
      if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st))) continue
      if (!st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier)) continue
      const to = resolveSpecifier(file, st.moduleSpecifier.text)
      if (to) edges.push({ from: file, to, typeOnly: isTypeOnly(st) })
    }
  }
  return edges
}

/** The strongly connected groups of more than one module (Tarjan), each sorted, as paths relative to `base`. */
export function importCycles(edges: ImportEdge[], base: string): string[][] {
  const graph = new Map<string, Set<string>>()
  for (const e of edges) {
    if (!graph.has(e.to)) graph.set(e.to, new Set())
    const out = graph.get(e.from) ?? new Set<string>()
    out.add(e.to)
    graph.set(e.from, out)
  }
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const groups: string[][] = []
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next)
    next++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        group.push(path.relative(base, w))
      } while (w !== v)
      if (group.length > 1) groups.push(group.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return groups
}
