import { beforeEach, describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import { resetAppStore } from '../../renderer/src/store'
import type { AnalysisSnapshot } from '../../shared/contract'
import { buildRunbook } from '../../shared/runbook'
import { renderScreen } from './screen-helpers'
import { newIncident, rollbackAnalysis } from './analysis-fixture'

beforeEach(() => resetAppStore())

function withImpact(patch: Partial<NonNullable<AnalysisSnapshot['v1']['impact']>> | null): AnalysisSnapshot {
  const a = rollbackAnalysis()
  const impact = a.v1.impact
  if (impact === null) throw new Error('the fixture has an impact')
  return { ...a, v1: { ...a.v1, impact: patch === null ? null : { ...impact, ...patch } } }
}

const rows = (): [string, string, boolean][] =>
  within(screen.getByTestId('impact'))
    .getAllByRole('term')
    .map((dt) => [dt.textContent ?? '', dt.nextElementSibling?.textContent ?? '', dt.parentElement?.classList.contains('alert') === true])

describe('Impact panel', () => {
  it('says who the 5xx hurt, flagging what calls for action', async () => {
    await renderScreen()
    const panel = screen.getByRole('region', { name: 'Impact' })
    expect(panel).toBeTruthy()
    expect(rows()).toEqual([
      ['Clients that got a 5xx', '1,843', false],
      [
        'Search crawlers',
        'Googlebot (verified by its published address ranges): 37 5xx on 21 URLs, 14:02:41 UTC → 14:17:09 UTC (14 min 28 s); ' +
          "Googlebot (likely spoofed: the address is outside the crawler's published ranges): 4 5xx on 4 URLs, 14:05:12 UTC → 14:05:14 UTC (2 s). " +
          'Crawlers retry a 5xx, but URLs that keep failing for days drop out of the index.',
        true
      ],
      ['POST/PATCH re-sent after a 5xx', '96 requests re-sent by the same client to the same path within 1 min of a 5xx: check for duplicate side effects (double charges, orders)', true],
      ['5xx served from a CDN cache', 'unknown: no cache status in these logs', false]
    ])
  })

  it('marks an estimated count and cached 5xx', async () => {
    await renderScreen(withImpact({ clients: 152_340, clientsEstimated: true, crawlers: [], cached5xx: 412, cacheLogged: true, retriedNonIdempotent: 0 }))
    expect(rows()).toEqual([
      ['Clients that got a 5xx', '≈ 152,340 (estimated)', false],
      ['Search crawlers', 'none got a 5xx', false],
      ['POST/PATCH re-sent after a 5xx', 'none', false],
      ['5xx served from a CDN cache', '412: purge the CDN cache; a 5xx must never be cached', true]
    ])
  })

  it('claims nothing when no request was read', async () => {
    await renderScreen(withImpact(null))
    expect(rows()).toEqual([['Who got the 5xx', 'unknown: no request was read', false]])
  })

  it('is absent before any analysis', async () => {
    await renderScreen(null)
    expect(screen.queryByRole('region', { name: 'Impact' })).toBeNull()
  })
})

describe('endpoint runbook and the impact', () => {
  it('starts with purging the CDN cache when 5xx were served from it, and warns of duplicate side effects', () => {
    const rb = buildRunbook(withImpact({ cached5xx: 412, cacheLogged: true }), newIncident({ chosenPlaybook: 'endpoint' }))
    expect(rb.steps[0].id).toBe('purge-cdn-cache')
    expect(rb.steps[0].title).toBe('Purge the CDN cache')
    expect(rb.steps[0].action).toContain('a 5xx must never be cached')
    expect(rb.steps[0].evidence).toEqual(["412 5xx served from the CDN's cache (9.7% of all 5xx)"])
    const dup = rb.steps.find((s) => s.id === 'duplicate-side-effects')
    expect(dup?.evidence).toEqual(['96 POST/PATCH requests re-sent by the same client to the same path within 1 min of a 5xx'])
    expect(dup?.action).toContain('idempotency key')
  })

  it('has neither step when nothing was cached or re-sent', () => {
    const rb = buildRunbook(withImpact({ cached5xx: 0, retriedNonIdempotent: 0 }), newIncident({ chosenPlaybook: 'endpoint' }))
    expect(rb.steps.map((s) => s.id)).not.toContain('purge-cdn-cache')
    expect(rb.steps.map((s) => s.id)).not.toContain('duplicate-side-effects')
    expect(rb.steps[0].id).toBe('endpoint-isolate')
  })
})
