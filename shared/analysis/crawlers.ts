/**
 * Search-engine crawlers by user agent, and whether the address behind the claim is the
 * crawler's own. The engines' own check is a reverse then forward DNS lookup; without the network,
 * an address is checked against the ranges the operators publish, where they publish them.
 */

/**
 * `verified`: the address lies in the crawler's published ranges; `spoofed`: the crawler publishes
 * its ranges and the address lies outside them (a scraper wearing its user agent, or a range
 * published after this table); `unverified`: no address logged, or the operator publishes none.
 */
export const CRAWLER_VERIFICATIONS = ['verified', 'spoofed', 'unverified'] as const
export type CrawlerVerification = (typeof CRAWLER_VERIFICATIONS)[number]

interface CrawlerRule {
  agent: string
  pattern: RegExp
  /** CIDR prefixes (IPv4 or IPv6); null when the operator publishes none (DNS is the only check). */
  ranges: readonly string[] | null
}

/**
 * Sources of the ranges (taken 2026; operators add ranges over time):
 * - Googlebot: developers.google.com/static/search/apis/ipranges/googlebot.json — every IPv4 prefix
 *   there has long sat in 66.249.64.0/19, the IPv6 ones in 2001:4860:4801::/48.
 * - Bingbot: www.bing.com/toolbox/bingbot.json — the long-standing blocks listed here.
 * - Applebot: support.apple.com/en-us/119829 (Applebot crawls from Apple's own 17.0.0.0/8).
 * YandexBot, Baiduspider, DuckDuckBot's changing list and the rest: DNS only, so unverified here.
 */
const CRAWLERS: readonly CrawlerRule[] = [
  { agent: 'Googlebot', pattern: /Googlebot/i, ranges: ['66.249.64.0/19', '2001:4860:4801::/48'] },
  { agent: 'Bingbot', pattern: /bingbot|BingPreview/i, ranges: ['157.55.39.0/24', '207.46.13.0/24', '40.77.167.0/24', '13.66.139.0/24', '13.66.144.0/24', '52.167.144.0/24', '199.30.24.0/23', '40.77.188.0/22', '65.55.210.0/24'] },
  { agent: 'Applebot', pattern: /Applebot/i, ranges: ['17.0.0.0/8'] },
  { agent: 'YandexBot', pattern: /Yandex(?:Bot|Mobile|Images)/i, ranges: null },
  { agent: 'Baiduspider', pattern: /Baiduspider/i, ranges: null },
  { agent: 'DuckDuckBot', pattern: /DuckDuckBot/i, ranges: null },
  { agent: 'Yahoo Slurp', pattern: /Yahoo! Slurp/i, ranges: null },
  { agent: 'SeznamBot', pattern: /SeznamBot/i, ranges: null },
  { agent: 'PetalBot', pattern: /PetalBot/i, ranges: null },
  { agent: 'Sogou', pattern: /Sogou web spider/i, ranges: null }
]

/** An address as bits: 32 for IPv4, 128 for IPv6 (IPv4-mapped IPv6 reads as IPv4). */
interface Address {
  v6: boolean
  bits: bigint
}

function parseIpv4(text: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)
  if (m === null) return null
  let value = 0n
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i])
    if (octet > 255) return null
    value = (value << 8n) | BigInt(octet)
  }
  return value
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return null
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null]
  const left = head === '' ? [] : head.split(':')
  const right = tail === null || tail === '' ? [] : tail.split(':')
  const missing = 8 - left.length - right.length
  if (missing < 0 || (tail === null && missing !== 0)) return null
  const groups = [...left, ...(new Array<string>(missing).fill('0')), ...right]
  let value = 0n
  for (const g of groups) {
    if (g.length === 0 || g.length > 4) return null
    value = (value << 16n) | BigInt(parseInt(g, 16))
  }
  return value
}

/**
 * The client's address as logged: the first of an X-Forwarded-For list, without a port or
 * brackets; null when it is no IP address.
 */
export function parseAddress(client: string): Address | null {
  let text = client.split(',')[0].trim()
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text)
  if (bracketed) text = bracketed[1]
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'))
  const mapped = /^::ffff:([\d.]+)$/i.exec(text)
  if (mapped) text = mapped[1]
  const v4 = parseIpv4(text)
  if (v4 !== null) return { v6: false, bits: v4 }
  const v6 = parseIpv6(text)
  return v6 === null ? null : { v6: true, bits: v6 }
}

interface Range {
  v6: boolean
  bits: bigint
  shift: bigint
}

function parseRange(cidr: string): Range {
  const [base, lengthText] = cidr.split('/')
  const address = parseAddress(base)
  if (address === null) throw new Error(`bad range ${cidr}`)
  const shift = (address.v6 ? 128n : 32n) - BigInt(Number(lengthText))
  return { v6: address.v6, bits: address.bits >> shift, shift }
}

const inRange = (address: Address, range: Range): boolean => range.v6 === address.v6 && address.bits >> range.shift === range.bits

/** Ranges parsed once per crawler; verdicts remembered per address (crawlers come back from few addresses). */
const RANGES = new Map<string, Range[]>()
const VERDICTS = new Map<string, CrawlerVerification>()
const MAX_REMEMBERED = 4096

/** The crawler a user agent claims to be, or null. */
export function crawlerOf(userAgent: string | null): CrawlerRule | null {
  if (userAgent === null) return null
  for (const rule of CRAWLERS) if (rule.pattern.test(userAgent)) return rule
  return null
}

/** Whether the client address backs the crawler's claim. */
export function verifyCrawler(rule: CrawlerRule, client: string | null): CrawlerVerification {
  if (rule.ranges === null || client === null) return 'unverified'
  const key = `${rule.agent}\u0000${client}`
  const known = VERDICTS.get(key)
  if (known !== undefined) return known
  let ranges = RANGES.get(rule.agent)
  if (ranges === undefined) {
    ranges = rule.ranges.map(parseRange)
    RANGES.set(rule.agent, ranges)
  }
  const address = parseAddress(client)
  const verdict = address === null ? 'unverified' : ranges.some((r) => inRange(address, r)) ? 'verified' : 'spoofed'
  if (VERDICTS.size >= MAX_REMEMBERED) VERDICTS.clear()
  VERDICTS.set(key, verdict)
  return verdict
}
