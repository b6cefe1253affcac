import { describe, expect, it } from 'vitest'
import { trimStack } from '../../../shared/report'

const javaFrames = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `\tat com.acme.Layer${from + i}.call(Layer${from + i}.java:${10 + i})`)

describe('trimStack', () => {
  it('keeps a short trace whole', () => {
    const trace = ['java.lang.IllegalStateException: boom', ...javaFrames(5)].join('\n')
    expect(trimStack(trace)).toEqual({ text: trace, frames: 5, framesDropped: 0 })
  })

  it('keeps the exception, the first 15 frames and every Caused by line of a long Java trace', () => {
    const trace = ['java.lang.RuntimeException: outer', ...javaFrames(30), 'Caused by: java.sql.SQLException: pool exhausted', ...javaFrames(10, 100), '\t... 30 more'].join('\n')
    const trimmed = trimStack(trace)
    const lines = trimmed.text.split('\n')
    expect(lines[0]).toBe('java.lang.RuntimeException: outer')
    expect(lines.filter((l) => l.startsWith('\tat '))).toEqual(javaFrames(15))
    expect(lines.slice(16)).toEqual(['\t… 25 more frames trimmed', 'Caused by: java.sql.SQLException: pool exhausted'])
    expect(trimmed).toMatchObject({ frames: 15, framesDropped: 25 })
  })

  it('keeps the innermost frames and the exception line of a Python traceback', () => {
    const frames = Array.from({ length: 20 }, (_, i) => [`  File "/app/svc/mod${i}.py", line ${i + 1}, in f${i}`, `    return f${i + 1}()`]).flat()
    const trace = ['Traceback (most recent call last):', ...frames, 'KeyError: \'discount\''].join('\n')
    const lines = trimStack(trace).text.split('\n')
    expect(lines[0]).toBe('Traceback (most recent call last):')
    expect(lines[1]).toBe('  … 5 earlier frames trimmed')
    expect(lines[2]).toBe('  File "/app/svc/mod5.py", line 6, in f5')
    expect(lines.filter((l) => l.trimStart().startsWith('File "'))).toHaveLength(15)
    expect(lines.at(-1)).toBe("KeyError: 'discount'")
  })

  it('caps very long lines', () => {
    const trimmed = trimStack(`Error: ${'x'.repeat(1000)}`)
    expect(trimmed.text.length).toBe(400)
    expect(trimmed.text.endsWith('…')).toBe(true)
  })
})
