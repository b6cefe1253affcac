/** The server-config playbook's steps: they cite v1.serverConfig (kind, path, message, target), never re-detect. */
import type { ServerConfigKind } from '../../contract/analysis'
import { count } from '../../format'
import { NO_EVIDENCE, type StepContext, type StepDraft } from '../../runbook/steps'

const FIX: Record<ServerConfigKind, (target: string | null) => string> = {
  socket: (t) => `The web server cannot use the FastCGI socket${t ? ` ${t}` : ''}: check that it exists and who may open it (ls -l ${t ? t.replace(/^unix:/, '') : '/run/php/'}); set listen.owner, listen.group and listen.mode in the php-fpm pool to the web server's user, or point fastcgi_pass at the socket php-fpm really listens on; restart php-fpm.`,
  'rewrite-cycle': () => 'A rewrite, try_files or RewriteRule sends the request back to itself: read the rules that match this path and make the last fallback a file that exists or a location that ends.',
  docroot: (t) => `The root or alias for this path points at a directory that is missing or has no index${t ? ` (${t})` : ''}: check root/alias (DocumentRoot) and ls -ld the directory.`,
  'script-headers': (t) => `The CGI/FastCGI script${t ? ` ${t}` : ''} died before sending headers: run it by hand, check its permissions and interpreter line, and read its own error log.`,
  'header-size': () => 'The app’s response headers do not fit the proxy buffer: raise fastcgi_buffer_size / proxy_buffer_size (and the *_buffers), or send fewer and smaller headers (cookies).',
  'script-unknown': () => 'PHP-FPM finds no script where SCRIPT_FILENAME points ($document_root$fastcgi_script_name): check root in the location that passes to FastCGI, and php-fpm’s chroot/chdir.'
}

export function fixServerConfig({ a }: StepContext): StepDraft {
  const sc = a?.v1.serverConfig ?? null
  const step: StepDraft = {
    id: 'server-config-fix',
    title: `Fix the server configuration${sc?.path ? ` for ${sc.path}` : ''}`,
    action: sc ? FIX[sc.kind](sc.target) : 'Fix the web server or FastCGI configuration the error log names.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  if (!sc) return { ...step, evidence: ['The web server’s error log names no misconfiguration: add the nginx/Apache error log and the php-fpm log.'] }
  step.evidence.push(`${sc.message} — ${count(sc.count)} ${sc.count === 1 ? 'line' : 'lines'}${sc.path ? ` for ${sc.path}` : ''}`)
  return step
}

export function lastConfigChange({ a }: StepContext): StepDraft {
  const sc = a?.v1.serverConfig ?? null
  const step: StepDraft = {
    id: 'server-config-change',
    title: 'Check the last configuration change',
    action: `Test the configuration (nginx -t, apachectl configtest, php-fpm -t), diff it with the last version that worked (the config repository, /etc history, the image), and reload only once the test passes.${sc?.kind === 'socket' ? ' A package upgrade often renames the socket (php8.1-fpm.sock → php8.2-fpm.sock) or resets its owner.' : ''}`,
    evidence: [],
    settled: false
  }
  return a ? step : { ...step, evidence: [NO_EVIDENCE] }
}
