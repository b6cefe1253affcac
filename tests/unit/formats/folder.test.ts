import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { AppEvent, FoldedItem } from '../../../shared/model/evidence'
import { createParser, detectFormat, EventFolder } from '../../../electron/collect/formats'
import { hasSharedData, sharedData } from '../../support/shared-data'
import { foldLines, lineTotal, readLines } from './fold-file'

const events = (items: FoldedItem[]): AppEvent[] => items.filter((i): i is AppEvent => i.kind === 'app')

describe('EventFolder', () => {
  it('header formats fold everything up to the next header, across blank lines; text formats stop at a blank', () => {
    const lines = [
      '2022-01-17 11:44:34.060 ERROR 1543 --- [restartedMain] o.s.b.d.LoggingFailureAnalysisReporter   : ',
      '',
      'APPLICATION FAILED TO START',
      '',
      'Description:',
      '2022-01-17 12:33:30.726  INFO 1543 --- [restartedMain] com.kakao.cafe.CafeApplication           : Starting'
    ]
    expect(foldLines(lines, 'spring-boot').map((i) => [i.kind, i.line, i.lines])).toEqual([['app', 1, 5], ['app', 6, 1]])
    // text-app: the two lines after blanks, and the blank between them, are left unparsed
    expect(foldLines(lines, 'text-app').filter((i) => i.kind === 'unparsed')).toHaveLength(3)
  })

  it('folds a record the format marks as a continuation: Sidekiq\'s one-record-per-frame backtraces', () => {
    const items = foldLines([
      '2017-04-27T02:43:41.343Z 19999 TID-gnh1qxpww ERROR: Error fetching job: Error connecting to Redis on 127.0.0.1:6379 (Errno::ECONNREFUSED)',
      '2017-04-27T02:43:41.352Z 19999 TID-gnh1qxpww ERROR: /gems/redis-3.3.3/lib/redis/client.rb:345:in `rescue in establish_connection\'',
      '2017-04-27T02:43:41.352Z 19999 TID-gnh1qxpww ERROR: /gems/redis-3.3.3/lib/redis/client.rb:331:in `establish_connection\'',
      '2017-04-27T02:44:41.352Z 19999 TID-gnh1qxpww ERROR: /not/a/frame.rb says hello'
    ], 'sidekiq')
    expect(items.map((i) => [i.kind, i.line, i.lines])).toEqual([['app', 1, 3], ['app', 4, 1]])
    expect(events(items)[0].stack).toBe('/gems/redis-3.3.3/lib/redis/client.rb:345:in `rescue in establish_connection\'\n/gems/redis-3.3.3/lib/redis/client.rb:331:in `establish_connection\'')
  })

  it('starts an event for a bare trace, with the previous event\'s time', () => {
    const items = foldLines([
      '2024-03-01 12:00:00 INFO started',
      '',
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in <module>',
      'KeyError: \'PAYMENTS_API_KEY\''
    ], 'text-app')
    expect(items.map((i) => [i.kind, i.line, i.lines])).toEqual([['app', 1, 2], ['app', 3, 3]])
    expect(items[1]).toMatchObject({ level: 'error', errorType: 'KeyError', errorMessage: "'PAYMENTS_API_KEY'", time: Date.UTC(2024, 2, 1, 12) })
  })

  it('folds Node, Ruby 3.4 quoting, Go and .NET traces under a JSON or text header', () => {
    const node = events(foldLines(['{"level":50,"msg":"boom","time":1}', 'TypeError: x is not a function', '    at fn (/app/a.js:1:2)'], 'json-app'))
    expect(node).toHaveLength(1)
    expect(node[0]).toMatchObject({ lines: 3, errorType: 'TypeError', errorMessage: 'x is not a function' })

    const ruby = events(foldLines(["app.rb:3:in 'Foo#bar': undefined method 'baz' for nil (NoMethodError)", "\tfrom app.rb:7:in '<main>'"], 'text-app'))
    expect(ruby).toHaveLength(1)
    expect(ruby[0]).toMatchObject({ lines: 2, errorType: 'NoMethodError', errorMessage: "undefined method 'baz' for nil" })

    const dotnet = events(foldLines([
      'System.InvalidOperationException: outer ---> System.IO.IOException: inner',
      '   at App.Read() in C:\\app\\Read.cs:line 12',
      '   --- End of inner exception stack trace ---',
      '   at App.Main() in C:\\app\\Program.cs:line 3'
    ], 'text-app'))
    expect(dotnet).toHaveLength(1)
    expect(dotnet[0]).toMatchObject({ lines: 4, errorType: 'System.InvalidOperationException' })
  })

  it('reports a line that is neither an event nor a continuation as unparsed, capped at 2,000 chars', () => {
    const long = 'x'.repeat(5000)
    const items = foldLines(['2024-03-01 12:00:00 ERROR a', '', long, 'tail'], 'text-app')
    expect(items.map((i) => [i.kind, i.line, i.lines])).toEqual([['app', 1, 2], ['unparsed', 3, 1], ['unparsed', 4, 1]])
    const unparsed = items[1]
    expect(unparsed.kind === 'unparsed' && unparsed.text.length).toBe(2000)
  })

  it('keeps unparsed lines before the event that follows them (file order)', () => {
    const items = foldLines(['junk one', 'junk two', '{"level":"info","msg":"ok"}', 'junk three'], 'json-app')
    expect(items.map((i) => i.line)).toEqual([1, 2, 3, 4])
  })

  it('with an unknown format reports every line as unparsed', () => {
    const items = foldLines(['a', '', 'b'], 'unknown')
    expect(items.map((i) => i.kind)).toEqual(['unparsed', 'unparsed', 'unparsed'])
  })

  it('single-line formats answer each push at once, with no look-ahead', () => {
    const folder = new EventFolder(createParser('nginx-combined'))
    expect(folder.push('1.2.3.4 - - [01/Mar/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', 1, 0)).toHaveLength(1)
    expect(folder.push('  at not.a.Frame(X.java:1)', 2, 70)[0].kind).toBe('unparsed')
    expect(folder.flush()).toEqual([])
  })
})

interface TraceSpec {
  file: string
  name: string
  lines: number
}

const traceDir = sharedData('stacktraces', 'gcp-fluent-plugin-detect-exceptions')

function traceIndex(): TraceSpec[] {
  return readFileSync(`${traceDir}/INDEX.tsv`, 'utf8').split('\n')
    .filter((row) => row !== '' && !row.startsWith('#') && !row.startsWith('file\t'))
    .map((row) => {
      const [file, name, lines] = row.split('\t')
      return { file, name, lines: Number(lines) }
    })
}

describe.skipIf(!hasSharedData)('real stack traces (fluent-plugin-detect-exceptions fixtures)', () => {
  const specs = hasSharedData ? traceIndex() : []
  const files = [...new Set(specs.map((s) => s.file))].filter((f) => f !== 'negative_no_exception.txt')

  it.each(files)('%s: each trace folds into exactly one event, no line lost', (file) => {
    const lines = readLines(`${traceDir}/${file}`)
    const items = foldLines(lines, 'text-app')
    const expectedStarts: number[] = []
    let at = 1
    for (const spec of specs.filter((s) => s.file === file)) {
      expectedStarts.push(at)
      at += spec.lines + 1
    }
    expect(items.filter((i) => i.kind !== 'unparsed').map((i) => i.line)).toEqual(expectedStarts)
    expect(items.filter((i) => i.kind === 'unparsed')).toEqual([])
    expect(lineTotal(items)).toBe(lines.length)
  })

  it('names the exception of each language\'s trace', () => {
    const first = (file: string): AppEvent => events(foldLines(readLines(`${traceDir}/${file}`), 'text-app'))[0]
    expect(first('python.txt')).toMatchObject({ errorType: 'Exception', errorMessage: "('spam', 'eggs')" })
    expect(first('js.txt')).toMatchObject({ errorType: 'ReferenceError', errorMessage: 'myArray is not defined' })
    expect(first('go.txt')).toMatchObject({ errorType: 'panic', errorMessage: 'my panic' })
    expect(first('php.txt')).toMatchObject({ errorType: 'Exception', errorMessage: 'Custom exception' })
    expect(first('ruby.txt')).toMatchObject({ errorType: 'NoMethodError' })
    expect(first('csharp.txt')).toMatchObject({ errorType: 'System.Collections.Generic.KeyNotFoundException' })
    const java = events(foldLines(readLines(`${traceDir}/java.txt`), 'text-app'))
    expect(java[1]).toMatchObject({ errorType: 'javax.servlet.ServletException', errorMessage: 'Something bad happened' })
    expect(java[1].stack).toContain('Caused by: com.example.myproject.MyProjectServletException')
  })

  it('the negative control yields no event', () => {
    const items = foldLines(readLines(`${traceDir}/negative_no_exception.txt`), 'text-app')
    expect(items.every((i) => i.kind === 'unparsed')).toBe(true)
  })
})

describe.skipIf(!hasSharedData)('line conservation on every real sample', () => {
  it('the items of each lnav, loghub and nginx file account for every line, in order', () => {
    const files = [
      ...readdirSync(sharedData('lnav')).filter((f) => f.startsWith('logfile_')).map((f) => sharedData('lnav', f)),
      ...readdirSync(sharedData('loghub')).filter((d) => !d.includes('.') && d !== 'LICENSE' && d !== 'CITATION').map((d) => sharedData('loghub', d, `${d}_2k.log`)),
      ...readdirSync(sharedData('nginx')).map((f) => sharedData('nginx', f))
    ]
    for (const file of files) {
      const lines = readLines(file)
      const items = foldLines(lines, detectFormat(lines.slice(0, 200)).format)
      expect(lineTotal(items), file).toBe(lines.length)
      const starts = items.map((i) => i.line)
      // An OTLP export line holds many records: the ones after its first span no line of their own.
      expect(starts.every((line, i) => i === 0 || line > starts[i - 1] || (line === starts[i - 1] && items[i].lines === 0)), file).toBe(true)
    }
  })
})
