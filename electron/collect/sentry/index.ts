export { DEFAULT_SENTRY_URL, readSentryIssues, SentryError, sentryIssuesUrl, type SentryReadOptions, type SentryReading, type SentrySpec } from './client'
