/** URL checks parse URLs; they never compare string prefixes. */

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
}

/** Same document as the app (hash changes only), so in-app anchors work and nothing else loads. */
export function isAppUrl(raw: string, appUrl: string): boolean {
  let url: URL
  let app: URL
  try {
    url = new URL(raw)
    app = new URL(appUrl)
  } catch {
    return false
  }
  return url.protocol === app.protocol && url.host === app.host && url.pathname === app.pathname
}
