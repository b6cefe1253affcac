/**
 * Whether a line carries an HTTP request: a request line (`GET /x HTTP/1.1`, quoted or not) or a
 * method and path followed later by a 3-digit status. Readability checks use it to tell an access
 * log read wrong (no requests, but request-shaped lines) from a log with no requests in it.
 */
const METHODS = 'GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE|PROPFIND'
const REQUEST_LINE_RE = new RegExp(`(?:^|[\\s"'\\[])(?:${METHODS}) (?:/|https?://)\\S* HTTP/\\d(?:\\.\\d)?\\b`)
const METHOD_PATH_STATUS_RE = new RegExp(`(?:^|[\\s"'=])(?:${METHODS})[\\s"',]+(?:/|https?://)[^\\s"']*.{0,200}?(?:^|[\\s"'=:])[1-5]\\d\\d(?=$|[\\s"',])`)

export function looksLikeRequestLine(text: string): boolean {
  const head = text.length > 4096 ? text.slice(0, 4096) : text
  return REQUEST_LINE_RE.test(head) || METHOD_PATH_STATUS_RE.test(head)
}
