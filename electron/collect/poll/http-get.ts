import http from 'node:http'
import https from 'node:https'
import zlib from 'node:zlib'
import type { Readable } from 'node:stream'
import { PollError, cancelledError, describeRequestError } from './errors'
import { bytes } from '../../../shared/format'

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
export const MAX_REDIRECTS = 3

const USER_AGENT = 'triage500-poller/1'
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

export interface HttpGetOptions {
  /** Covers the whole exchange, redirects included: connect, headers and body. */
  timeoutMs: number
  /** Sent only to the target's origin; may hold credentials. */
  headers?: Record<string, string>
  accept: string
  maxBodyBytes?: number
  signal?: AbortSignal
}

export interface HttpGetResult {
  status: number
  /** The media type, lower case, without parameters ('' when absent). */
  contentType: string
  body: Buffer
  latencyMs: number
  /** Bytes received on the wire for the body (before decompression), the cost a store read reports. */
  wireBytes: number
}

type Hop = { kind: 'redirect'; location: URL } | { kind: 'response'; status: number; contentType: string; body: Buffer; wireBytes: number }

function requestHeaders(user: Record<string, string> | undefined, accept: string): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept, 'accept-encoding': 'gzip, deflate' }
  for (const [name, value] of Object.entries(user ?? {})) headers[name.toLowerCase()] = value
  return headers
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  const enc = (encoding ?? 'identity').trim().toLowerCase()
  if (enc === 'identity' || enc === '') return null
  if (enc === 'gzip' || enc === 'x-gzip') return zlib.createGunzip()
  if (enc === 'deflate') return zlib.createInflate()
  if (enc === 'br') return zlib.createBrotliDecompress()
  throw new PollError('unreadable', `unreadable response: unsupported content encoding "${enc.slice(0, 40)}"`)
}

function requestOnce(url: URL, headers: Record<string, string>, maxBytes: number, signal: AbortSignal): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason)
      return
    }
    let settled = false
    const client = url.protocol === 'https:' ? https : http
    // agent:false: one connection per poll, nothing idles between polls or outlives stop().
    const req = client.request(url, { method: 'GET', headers, agent: false })
    const finish = (outcome: { hop: Hop } | { error: unknown }): void => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      if ('hop' in outcome) resolve(outcome.hop)
      else {
        req.destroy()
        reject(signal.aborted ? signal.reason : describeRequestError(outcome.error, url))
      }
    }
    const onAbort = (): void => finish({ error: signal.reason })
    signal.addEventListener('abort', onAbort, { once: true })
    req.on('error', (error) => finish({ error }))
    req.on('response', (res) => {
      const status = res.statusCode ?? 0
      const location = res.headers.location
      if (REDIRECT_STATUSES.has(status) && location) {
        res.resume()
        try {
          finish({ hop: { kind: 'redirect', location: new URL(location, url) } })
        } catch {
          finish({ error: new PollError('unreadable', 'unreadable response: redirect to an invalid location') })
        }
        return
      }
      const tooLarge = (): PollError => new PollError('too-large', `response larger than ${bytes(maxBytes)}`)
      const declared = Number(res.headers['content-length'])
      if (Number.isFinite(declared) && declared > maxBytes && !res.headers['content-encoding']) {
        finish({ error: tooLarge() })
        return
      }
      let source: Readable = res
      let wireBytes = 0
      res.on('data', (chunk: Buffer) => {
        wireBytes += chunk.length
      })
      try {
        const decoder = decoderFor(res.headers['content-encoding'])
        if (decoder) {
          decoder.on('error', (err) =>
            finish({ error: new PollError('unreadable', `unreadable response: corrupt compressed body (${err.message})`) })
          )
          source = res.pipe(decoder)
        }
      } catch (error) {
        finish({ error })
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      source.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > maxBytes) finish({ error: tooLarge() })
        else chunks.push(chunk)
      })
      source.on('end', () => {
        const contentType = (res.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
        finish({ hop: { kind: 'response', status, contentType, body: Buffer.concat(chunks), wireBytes } })
      })
      res.on('error', (error) => finish({ error }))
      res.on('close', () => {
        if (!res.complete) finish({ error: new PollError('network', 'connection closed by the server before a full response') })
      })
    })
    req.end()
  })
}

/**
 * One GET with redirects followed only within the target's origin (at most MAX_REDIRECTS),
 * a body cap and a single deadline. Rejects with PollError (kind 'cancelled' when `signal` aborts).
 */
export async function httpGet(target: URL, options: HttpGetOptions): Promise<HttpGetResult> {
  const started = performance.now()
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const headers = requestHeaders(options.headers, options.accept)
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new PollError('timeout', `timed out after ${options.timeoutMs} ms`)),
    options.timeoutMs
  )
  const onOuterAbort = (): void => controller.abort(cancelledError())
  if (options.signal?.aborted) onOuterAbort()
  options.signal?.addEventListener('abort', onOuterAbort, { once: true })
  try {
    let url = target
    for (let hops = 0; ; hops++) {
      const hop = await requestOnce(url, headers, maxBytes, controller.signal)
      if (hop.kind === 'response') {
        return {
          status: hop.status,
          contentType: hop.contentType,
          body: hop.body,
          wireBytes: hop.wireBytes,
          latencyMs: Math.round(performance.now() - started)
        }
      }
      if (hop.location.origin !== target.origin)
        throw new PollError('redirect', `redirected to another host (${hop.location.host || hop.location.protocol}); not followed`)
      if (hops + 1 > MAX_REDIRECTS) throw new PollError('redirect', `too many redirects (more than ${MAX_REDIRECTS})`)
      url = hop.location
    }
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onOuterAbort)
  }
}
