import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'zlib', 'stream', 'stream/*', 'url', 'util', 'worker_threads', 'events', 'readline', 'buffer']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error'
    }
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } }
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ is pure: no Node built-ins.' },
            { group: ['electron', 'electron/*'], message: 'shared/ must not import electron.' },
            { group: ['react', 'react-dom', 'zustand', '**/renderer/**', '**/electron/**'], message: 'shared/ imports nothing but shared/ and pure libraries.' }
          ]
        }
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require']
    }
  },
  {
    // The model is what evidence is; the analysis reads it, never the other way round.
    files: ['shared/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ is pure: no Node built-ins.' },
            { group: ['electron', 'electron/*'], message: 'shared/ must not import electron.' },
            { group: ['react', 'react-dom', 'zustand', '**/renderer/**', '**/electron/**'], message: 'shared/ imports nothing but shared/ and pure libraries.' },
            { group: ['../analysis', '../analysis/*', '../runbook', '../runbook/*', '../report', '../report/*'], message: 'shared/model is the vocabulary: it imports no analysis, runbook or report.' }
          ]
        }
      ]
    }
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*', '**/electron/**'], message: 'renderer/ talks to main only through TriageApi.' },
            { group: nodeBuiltins, message: 'renderer/ runs in a sandboxed page: no Node built-ins.' },
            { group: ['**/shared/analysis', '**/shared/analysis/**'], message: 'renderer/ gets the analysis through the contract (getAnalysis), never by running it.' },
            { group: ['**/shared/runbook/build', '**/shared/runbook/steps', '**/shared/runbook/evidence'], message: 'renderer/ gets the runbook through the contract (getRunbook), never by building it.' },
            { group: ['**/shared/runbook'], importNames: ['buildRunbook'], message: 'renderer/ gets the runbook through the contract (getRunbook), never by building it.' }
          ]
        }
      ]
    }
  },
  {
    files: ['electron/collect/**/*.ts', 'electron/session/**/*.ts', 'electron/host/**/*.ts', 'electron/cli/**/*.ts', 'electron/demo/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'Only electron/main and electron/preload may import electron: this code runs in plain Node.' },
            { group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' }
          ]
        }
      ]
    }
  },
  {
    // The collectors read and poll; the session analyses. Collect knows nothing of the session or the verdict.
    files: ['electron/collect/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'Only electron/main and electron/preload may import electron: this code runs in plain Node.' },
            { group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' },
            { group: ['**/session', '**/session/**', '**/demo', '**/demo/**', '**/host/**', '**/cli/**', '**/main/**'], message: 'electron/collect reads and polls: it imports no session, demo, host, CLI or main.' },
            { group: ['**/shared/analysis/verdict', '**/shared/analysis/verdict/**', '**/shared/analysis/input'], message: 'electron/collect does no analysis: the session builds the verdict\'s input and runs it.' }
          ]
        }
      ]
    }
  },
  {
    // The session runs in plain Node under any front end: it knows no main process, host, CLI or demo.
    files: ['electron/session/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'Only electron/main and electron/preload may import electron: this code runs in plain Node.' },
            { group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' },
            { group: ['**/main', '**/main/**', '**/host', '**/host/**', '**/cli', '**/cli/**', '**/demo', '**/demo/**'], message: 'electron/session is used by main, host, CLI and demo, never the reverse: pass what it needs in (see SessionOptions.demo).' }
          ]
        }
      ]
    }
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' }] }]
    }
  }
)
