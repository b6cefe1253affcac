/**
 * The documents the demo's operational endpoints answer: Spring Boot Actuator health (with the
 * service's dependencies as components) and Dockerflow's `/__version__`.
 */

export interface Release {
  version: string
  commit: string
  build: string
}

export const SOURCE_REPO = 'https://github.com/example-shop/shop-api'

/** Dockerflow `/__version__`: `{source, version, commit, build}`. */
export function versionDocument(release: Release): Record<string, string> {
  return { source: SOURCE_REPO, version: release.version, commit: release.commit, build: release.build }
}

/**
 * Actuator `/actuator/health` with `management.endpoint.health.show-details=always`. The
 * dependencies stay UP throughout: this incident is the release's own fault.
 */
export function actuatorHealthDocument(latency: { db: number; redis: number; payments: number }): Record<string, unknown> {
  return {
    status: 'UP',
    components: {
      db: { status: 'UP', details: { database: 'PostgreSQL', validationQuery: 'isValid()', responseTimeMs: latency.db } },
      diskSpace: { status: 'UP', details: { total: 53_660_876_800, free: 31_218_442_240, threshold: 10_485_760, exists: true } },
      'payments-api': { status: 'UP', details: { url: 'https://payments.internal/v1/health', responseTimeMs: latency.payments } },
      ping: { status: 'UP' },
      redis: { status: 'UP', details: { version: '7.2.4', responseTimeMs: latency.redis } }
    }
  }
}
