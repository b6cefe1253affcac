/**
 * Laravel / Monolog's LineFormatter: `[2022-12-19 14:13:38] local.ERROR: msg {"exception":"[object] (Type(code: 0): … at file:line)`
 * followed by its `[stacktrace]` block of `#N` frames and the closing `"}`. The exception in the
 * JSON context gives the error type; the block folds into its record.
 */
import { defineParser } from '../definition'
import type { LineParser } from '../parser'
import { parseLaravel } from '../text-app'

export default defineParser({
  id: 'laravel',
  title: 'Laravel / Monolog line format',
  family: 'app',
  multiline: 'header',
  specificity: 1,
  create: (): LineParser => ({ format: 'laravel', multiline: 'header', parse: parseLaravel }),
  samples: [{
    source: 'tests/fixtures/logs/laravel/larv8.log (lines 119-121, 161-162)',
    lines: [
      String.raw`[2022-12-19 14:34:20] local.ERROR: syntax error, unexpected token "\" {"exception":"[object] (ParseError(code: 0): syntax error, unexpected token \"\\\" at E:\\phpEnv\\www\\laravel8\\app\\Models\\TdDeal.php:39)`,
      String.raw`[stacktrace]`,
      String.raw`#0 E:\\phpEnv\\www\\laravel8\\vendor\\composer\\ClassLoader.php(428): Composer\\Autoload\\includeFile('E:\\\\phpEnv\\\\www\\\\l...')`,
      String.raw`"} `,
      String.raw`[2022-12-19 14:34:31] local.WARNING: find order no failed  `
    ],
    events: [
      { kind: 'app', time: '2022-12-19T14:34:20.000Z', level: 'error', logger: 'local', errorType: 'ParseError', lines: 4, hasStack: true },
      { kind: 'app', time: '2022-12-19T14:34:31.000Z', level: 'warn', errorType: null, lines: 1 }
    ]
  }]
})
