import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importCycles, importEdges } from '../../support/import-graph'

const root = path.resolve(__dirname, '../../..')

describe('import graph of electron/ and shared/', () => {
  it('has no import cycle, type-only imports included', () => {
    const edges = importEdges([path.join(root, 'electron'), path.join(root, 'shared')])
    expect(edges.length).toBeGreaterThan(100)
    expect(importCycles(edges, root)).toEqual([])
  })
})

describe('the cycle finder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cycles-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const write = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    writeFileSync(path.join(dir, rel), text)
  }
  write('a.ts', "import { b } from './b'\nexport const a = b\n")
  write('b.ts', "import type { C } from './c/index'\nexport const b = 1\nexport type B = C\n")
  write('c/index.ts', "export { a } from '../a'\nexport type C = number\n")
  write('d.ts', "import { a } from './a'\nimport 'node:fs'\nexport const d = a\n")

  it('finds a cycle through a type-only import, a re-export and an index file, and leaves the rest out', () => {
    const edges = importEdges([dir])
    expect(edges.find((e) => e.from.endsWith('b.ts'))?.typeOnly).toBe(true)
    expect(edges.find((e) => e.from.endsWith('a.ts'))?.typeOnly).toBe(false)
    expect(importCycles(edges, dir)).toEqual([['a.ts', 'b.ts', path.join('c', 'index.ts')]])
  })

  it('finds none once the back edge is gone', () => {
    const edges = importEdges([dir]).filter((e) => !e.from.endsWith('index.ts'))
    expect(importCycles(edges, dir)).toEqual([])
  })
})
