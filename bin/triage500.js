#!/usr/bin/env node
// The built CLI lives in out/ (npm run build); this shim keeps `bin` stable.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('triage500: not built yet: run `npm run build` first\n')
  process.exit(2)
}
await import(cli)
