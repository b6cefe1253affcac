import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react'
import { clock, count, duration, percent, spansDays, timeTicks, wallTime, zonedClock, zonedRange } from '../../../../shared/format'
import { offsetName } from '../../../../shared/format/zoned'
import { disjointSources } from '../../../../shared/model/overlap'
import {
  selectAnalysisDeploys,
  selectExploreQuery,
  selectExploreRange,
  selectFilteredBuckets,
  selectFocus,
  selectHealth,
  selectSources,
  selectSuspectDeploy,
  selectTimeline,
  selectTimeZone,
  selectZoom,
  useApp
} from '../../store'
import { drawTimeline, laneScales, type TimelineColors } from './draw'
import { clampWindow, panWindow, rebucket, zoomWindow, type Bin, type TimeWindow } from './rebucket'

const CHART_HEIGHT = 150
/** One bar per this many CSS pixels at most: thinner bars are not readable. */
const PX_PER_BIN = 3
/** Axis labels need about this many CSS pixels each, dates included. */
const PX_PER_TICK = 120
/** Below this many pixels of movement a press is a click on one bar, not a drag. */
const CLICK_SLOP = 4

function readColors(el: Element): TimelineColors {
  const css = getComputedStyle(el)
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  return {
    requests: v('--tl-requests', '#5b6472'),
    s500: v('--tl-500', '#e5484d'),
    s502: v('--tl-502', '#f76b15'),
    s503: v('--tl-503', '#ffc53d'),
    s504: v('--tl-504', '#d6409f'),
    other5xx: v('--tl-5xx', '#8e4ec6'),
    grid: v('--border', '#2a2f3a')
  }
}

/** Re-draws when the OS switches between dark and light. */
function useColorScheme(): number {
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return
    const mq = window.matchMedia('(prefers-color-scheme: dark)')
    const onChange = () => setGeneration((g) => g + 1)
    mq.addEventListener('change', onChange)
    return () => mq.removeEventListener('change', onChange)
  }, [])
  return generation
}

function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(800)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    if (el.clientWidth > 0) setWidth(el.clientWidth)
    if (typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(100, Math.floor(entry.contentRect.width))))
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref])
  return width
}

const pctOf = (t: number, view: TimeWindow) => ((t - view.from) / (view.to - view.from)) * 100
const utcSpan = (from: number, to: number) => `UTC ${clock(from, { date: true })} – ${clock(to, { date: true })}`

/** The sources that do not overlap in time, in one line; null when they all do. */
function overlapWarning(sources: ReturnType<typeof selectSources>, zone: string): string | null {
  const timed = sources.flatMap((s) => (s.firstEventAt && s.lastEventAt ? [{ name: s.name, from: Date.parse(s.firstEventAt), to: Date.parse(s.lastEventAt) }] : []))
  const pairs = disjointSources(timed)
  if (pairs.length === 0) return null
  const [a, b] = pairs[0]
  const span = (x: { from: number; to: number }) => zonedRange(x.from, x.to, zone, { seconds: false })
  return `${a.name} (${span(a)}) and ${b.name} (${span(b)}) do not overlap in time: their events cannot be compared${pairs.length > 1 ? ` (${pairs.length - 1} more such pair${pairs.length > 2 ? 's' : ''})` : ''}. Check that they are the logs of one incident and that their times were read in the right zone.`
}

function binText(b: Bin, binMs: number, zone: string): string {
  const parts = [`${count(b.total)} requests`, `${count(b.s5xx)} 5xx${b.total > 0 ? ` (${percent(b.s5xx / b.total)})` : ''}`]
  const detail = (
    [
      [b.s500, '500'],
      [b.s502, '502'],
      [b.s503, '503'],
      [b.s504, '504'],
      [b.other5xx, 'other 5xx']
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, label]) => `${count(n)} × ${label}`)
  return `${zonedRange(b.t, b.t + binMs, zone)}: ${parts.join(', ')}${detail.length > 0 ? ` — ${detail.join(', ')}` : ''}`
}

/** Requests and 5xx over time, deploy markers and health bands; zoom with wheel, buttons or keys. */
export function Timeline() {
  const timeline = useApp(selectTimeline)
  const deploys = useApp(selectAnalysisDeploys)
  const health = useApp(selectHealth)
  const zoom = useApp(selectZoom)
  const focus = useApp(selectFocus)
  const suspect = useApp(selectSuspectDeploy)
  const setZoom = useApp((s) => s.setZoom)
  const showEvidence = useApp((s) => s.showEvidence)
  const zone = useApp(selectTimeZone)
  const filtered = useApp(selectFilteredBuckets)
  const query = useApp(selectExploreQuery)
  const range = useApp(selectExploreRange)
  const selectRange = useApp((s) => s.selectRange)
  const sources = useApp(selectSources)
  const [hover, setHover] = useState<{ x: number; bin: Bin } | null>(null)
  const [draft, setDraft] = useState<TimeWindow | null>(null)
  // The table has a row per bar: built only while it is open, so zooming stays cheap.
  const [tableOpen, setTableOpen] = useState(false)
  const plotRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const sectionRef = useRef<HTMLElement>(null)
  const width = useWidth(plotRef)
  const scheme = useColorScheme()

  const full = useMemo<TimeWindow | null>(() => {
    const b = timeline?.buckets ?? []
    if (b.length > 0) return { from: b[0].t, to: b[b.length - 1].t + (timeline?.bucketMs ?? 0) }
    const times = [...(deploys ?? []).map((d) => d.at), ...(health ?? []).flatMap((h) => h.bands.flatMap((x) => [x.from, x.to]))]
    if (times.length === 0) return null
    const from = Math.min(...times)
    const to = Math.max(...times)
    return { from, to: to > from ? to : from + 60_000 }
  }, [timeline, deploys, health])

  const view = useMemo<TimeWindow | null>(() => (full ? (zoom ? clampWindow(zoom, full) : full) : null), [full, zoom])
  // One set of bins for the chart and its table: the same bucket size in both. A typed filter draws its own counts.
  const chart = useMemo(
    () => (timeline && view ? rebucket(filtered ?? timeline.buckets, timeline.bucketMs, view.from, view.to, Math.max(1, Math.floor(width / PX_PER_BIN))) : null),
    [timeline, filtered, view, width]
  )
  const scales = useMemo(() => (chart ? laneScales(chart.bins) : null), [chart])
  const table = chart

  useLayoutEffect(() => {
    const canvas = canvasRef.current
    if (!canvas || !chart || !scales) return
    const dpr = window.devicePixelRatio || 1
    canvas.width = Math.round(width * dpr)
    canvas.height = Math.round(CHART_HEIGHT * dpr)
    // jsdom (tests) and some locked-down GPUs give no 2D context: the text summary and table still say it all.
    const ctx = canvas.getContext('2d')
    if (!ctx) return
    const started = performance.now()
    drawTimeline(ctx, chart.bins, width, CHART_HEIGHT, readColors(canvas), dpr, scales)
    canvas.dataset.drawMs = (performance.now() - started).toFixed(2)
  }, [chart, scales, width, scheme])

  // Wheel zoom needs preventDefault, which React's passive wheel listener cannot do.
  useEffect(() => {
    const el = plotRef.current
    if (!el || !full || !view) return
    const onWheel = (e: WheelEvent) => {
      if (e.deltaY === 0) return
      e.preventDefault()
      const rect = el.getBoundingClientRect()
      // Zoom around the pointer; around the middle when the plot has no layout (hidden, tests).
      const at = rect.width > 0 ? view.from + ((e.clientX - rect.left) / rect.width) * (view.to - view.from) : undefined
      setZoom(zoomWindow(view, full, e.deltaY > 0 ? 1.25 : 0.8, at, timeline?.bucketMs))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [full, view, setZoom, timeline?.bucketMs])

  useEffect(() => {
    if (focus && (focus.kind === 'deploy' || focus.kind === 'health' || focus.kind === 'window')) sectionRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' })
  }, [focus])

  const drag = useRef<{ x: number; view: TimeWindow; mode: 'pan' | 'select'; t: number } | null>(null)
  if (!timeline || !full || !view || !chart || !table || !scales) {
    return (
      <section className="panel timeline-panel" aria-labelledby="timeline-title" ref={sectionRef}>
        <h2 id="timeline-title">Timeline</h2>
        <p className="empty">No timed requests yet.</p>
      </section>
    )
  }

  const span = view.to - view.from
  const zoomed = span < full.to - full.from
  const act = (w: TimeWindow | null) => setZoom(w && w.to - w.from >= full.to - full.from ? null : w)
  const zoomIn = () => act(zoomWindow(view, full, 0.5, undefined, timeline.bucketMs))
  const zoomOut = () => act(zoomWindow(view, full, 2, undefined, timeline.bucketMs))
  const pan = (dir: number) => act(panWindow(view, full, dir * span * 0.25))
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      '+': zoomIn,
      '=': zoomIn,
      '-': zoomOut,
      ArrowLeft: () => pan(-1),
      ArrowRight: () => pan(1),
      '0': () => act(null),
      Home: () => act(null),
      // The keyboard's way to drill down: the visible window becomes the selection.
      Enter: () => selectRange({ ...view }),
      Escape: () => selectRange(null)
    }
    const run = keys[e.key]
    if (run) {
      e.preventDefault()
      run()
    }
  }
  // jsdom lays nothing out: a plot without a box counts as `width` pixels from x = 0.
  const xOf = (clientX: number) => clientX - (plotRef.current?.getBoundingClientRect().left ?? 0)
  const timeAt = (clientX: number) => view.from + Math.min(1, Math.max(0, xOf(clientX) / Math.max(1, width))) * span
  const binAt = (clientX: number): Bin | null => chart.bins[Math.floor((timeAt(clientX) - chart.bins[0]?.t) / chart.binMs)] ?? null
  const snap = (w: TimeWindow): TimeWindow => {
    const start = chart.bins[0]?.t ?? view.from
    const from = start + Math.floor((w.from - start) / chart.binMs) * chart.binMs
    const to = start + Math.ceil((w.to - start) / chart.binMs) * chart.binMs
    return { from, to: Math.max(to, from + chart.binMs) }
  }
  // Drag selects a range (the list below shows what is in it); Shift+drag pans; a click selects one bar.
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('button')) return
    drag.current = { x: e.clientX, view, mode: e.shiftKey ? 'pan' : 'select', t: timeAt(e.clientX) }
    e.currentTarget.setPointerCapture?.(e.pointerId)
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current
    if (!d) {
      const bin = binAt(e.clientX)
      setHover(bin ? { x: Math.min(Math.max(xOf(e.clientX), 0), width), bin } : null)
      return
    }
    const dx = e.clientX - d.x
    if (d.mode === 'pan') act(panWindow(d.view, full, (-dx / Math.max(1, width)) * (d.view.to - d.view.from)))
    else if (Math.abs(dx) >= CLICK_SLOP) {
      const t = timeAt(e.clientX)
      setDraft({ from: Math.min(d.t, t), to: Math.max(d.t, t) })
    }
  }
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current
    drag.current = null
    setDraft(null)
    if (!d || d.mode !== 'select') return
    if (Math.abs(e.clientX - d.x) < CLICK_SLOP) {
      const bin = binAt(e.clientX)
      if (bin) selectRange({ from: bin.t, to: bin.t + chart.binMs })
      return
    }
    const t = timeAt(e.clientX)
    selectRange(snap({ from: Math.min(d.t, t), to: Math.max(d.t, t) }))
  }
  const endDrag = () => {
    drag.current = null
    setDraft(null)
  }

  const totals = chart.bins.reduce((acc, b) => ({ total: acc.total + b.total, s5xx: acc.s5xx + b.s5xx }), { total: 0, s5xx: 0 })
  const ticks = timeTicks(view.from, view.to, Math.max(2, Math.floor(width / PX_PER_TICK)), zone)
  // Times of the visible window carry the date when the window spans days, and the year when it spans years.
  const date = spansDays(view.from, view.to)
  const year = wallTime(view.from, zone).year !== wallTime(view.to, zone).year
  const at = (t: number): string => zonedClock(t, zone, { date, year, zone: true })
  const rowAt = (t: number): string => zonedClock(t, zone, { date, year, zone: false })
  const shown = draft ?? range
  const warning = overlapWarning(sources, zone)
  const visibleDeploys = (deploys ?? []).filter((d) => d.at >= view.from && d.at <= view.to)
  const focusedDeploy = focus?.kind === 'deploy' ? focus.version : null
  const focusedHealth = focus?.kind === 'health' ? focus.target : null

  return (
    <section className="panel timeline-panel" aria-labelledby="timeline-title" ref={sectionRef}>
      <div className="panel-head">
        <h2 id="timeline-title">Timeline</h2>
        <p className="timeline-summary" data-testid="timeline-summary">
          {filtered ? `Filter ${query.trim()}: ` : ''}
          {count(totals.total)} requests, {count(totals.s5xx)} 5xx{totals.total > 0 ? ` (${percent(totals.s5xx / totals.total)})` : ''} · <span title={utcSpan(view.from, view.to)}>{zonedRange(view.from, view.to, zone)}</span> · 1 bar ={' '}
          {duration(chart.binMs)}
        </p>
        <div className="timeline-controls" role="toolbar" aria-label="Timeline zoom">
          <button type="button" className="secondary small" onClick={() => pan(-1)} disabled={!zoomed || view.from <= full.from} aria-label="Pan earlier">
            ←
          </button>
          <button type="button" className="secondary small" onClick={zoomIn} disabled={span <= timeline.bucketMs * 4} aria-label="Zoom in">
            +
          </button>
          <button type="button" className="secondary small" onClick={zoomOut} disabled={!zoomed} aria-label="Zoom out">
            −
          </button>
          <button type="button" className="secondary small" onClick={() => pan(1)} disabled={!zoomed || view.to >= full.to} aria-label="Pan later">
            →
          </button>
          <button type="button" className="secondary small" onClick={() => act(null)} disabled={!zoomed}>
            Show all
          </button>
        </div>
      </div>
      {warning ? (
        <p className="timeline-warning" role="status" data-testid="timeline-overlap">
          {warning}
        </p>
      ) : null}
      {range ? (
        <p className="timeline-selected" role="status" data-testid="timeline-selected">
          Selected <span title={utcSpan(range.from, range.to)}>{zonedRange(range.from, range.to, zone)}</span>{' '}
          <button type="button" className="secondary small" onClick={() => act(clampWindow(range, full))}>
            Zoom to it
          </button>{' '}
          <button type="button" className="secondary small" onClick={() => selectRange(null)}>
            Clear selection
          </button>
        </p>
      ) : null}
      <div
        className="timeline-plot"
        ref={plotRef}
        tabIndex={0}
        role="group"
        aria-label="Timeline chart. Drag or click to select a range, Enter selects the visible window, Escape clears it; Shift+drag pans. Plus and minus zoom, arrow keys pan, 0 shows everything."
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={endDrag}
        onPointerLeave={() => setHover(null)}
      >
        <span className="lane-label top" data-testid="scale-requests">
          requests · {count(scales.requests)} per bar at the top
        </span>
        <span className="lane-label bottom" data-testid="scale-5xx">
          5xx · {count(scales.s5xx)} per bar at the top
        </span>
        {shown && shown.to > view.from && shown.from < view.to ? (
          <div
            className={`tl-selection${draft ? ' draft' : ''}`}
            data-testid="timeline-selection"
            style={{ left: `${Math.max(0, pctOf(shown.from, view))}%`, width: `${Math.min(100, pctOf(shown.to, view)) - Math.max(0, pctOf(shown.from, view))}%` }}
          />
        ) : null}
        {hover ? (
          <div className={`tl-tooltip${hover.x > width / 2 ? ' flip' : ''}`} role="tooltip" data-testid="timeline-tooltip" style={{ left: hover.x }} title={utcSpan(hover.bin.t, hover.bin.t + chart.binMs)}>
            {binText(hover.bin, chart.binMs, zone)}
          </div>
        ) : null}
        <canvas ref={canvasRef} style={{ width: '100%', height: CHART_HEIGHT }} aria-hidden="true" data-testid="timeline-canvas" />
        {visibleDeploys.map((d) => {
          const isSuspect = suspect?.version === d.version
          const left = pctOf(d.at, view)
          return (
            <button
              key={`${d.version}@${d.at}`}
              type="button"
              // Near the right edge the label goes on the left of its line, so it stays readable.
              className={`deploy-marker${isSuspect ? ' suspect' : ''}${focusedDeploy === d.version ? ' focused' : ''}${left > 85 ? ' flip' : ''}`}
              style={{ left: `${left}%` }}
              data-testid="deploy-marker"
              aria-label={`Deploy ${d.version} at ${at(d.at)}${isSuspect ? ' (suspect)' : ''}`}
              onClick={() => showEvidence({ kind: 'deploy', version: d.version, at: new Date(d.at).toISOString() })}
            >
              <span className="deploy-label">{d.version}</span>
            </button>
          )
        })}
        <div className="timeline-axis" data-testid="timeline-axis" aria-label={`Time axis in ${offsetName(wallTime(view.to, zone).offsetMin)}`}>
        {ticks.map((t) => (
          <span key={t.t} style={{ left: `${pctOf(t.t, view)}%` }} title={clock(t.t, { date: true })}>
            {t.date && t.date !== t.label ? <b className="tick-date">{t.date}</b> : null}
            {t.label}
          </span>
        ))}
        </div>
      </div>
      {(health ?? []).map((h) => {
        const bands = h.bands.filter((b) => b.to > view.from && b.from < view.to)
        const failing = bands.filter((b) => !b.ok)
        return (
          <div
            key={h.target}
            className={`health-row${focusedHealth === h.target ? ' focused' : ''}`}
            data-testid="health-row"
            aria-label={`${h.target}: ${failing.length === 0 ? 'healthy in this window' : `failing ${failing.map((b) => `${at(b.from)}–${at(b.to)}`).join(', ')}`}`}
            role="img"
          >
            <span className="health-name">{h.target}</span>
            <span className="health-track">
              {bands.map((b) => {
                const left = Math.max(0, pctOf(b.from, view))
                const right = Math.min(100, pctOf(b.to, view))
                return (
                  <span
                    key={`${b.from}-${b.ok}`}
                    className={`health-band ${b.ok ? 'ok' : 'bad'}`}
                    style={{ left: `${left}%`, width: `${Math.max(0.3, right - left)}%` }}
                    title={`${h.target} ${b.ok ? 'healthy' : 'failing'} ${at(b.from)}–${at(b.to)}${b.detail ? `: ${b.detail}` : ''}`}
                  />
                )
              })}
            </span>
          </div>
        )
      })}
      <div className="legend" aria-hidden="true">
        <span className="swatch requests" /> requests <span className="swatch s500" /> 500 <span className="swatch s502" /> 502 <span className="swatch s503" /> 503 <span className="swatch s504" /> 504
        <span className="swatch deploy" /> deploy <span className="swatch bad" /> health failing
      </div>
      <details className="timeline-table" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary>Timeline as a table</summary>
        {tableOpen ? (
        <div className="timeline-table-scroll">
        <table>
          <caption className="sr-only">Requests and 5xx per {duration(table.binMs)}</caption>
          <thead>
            <tr>
              <th scope="col">From ({offsetName(wallTime(view.from, zone).offsetMin)})</th>
              <th scope="col">Requests</th>
              <th scope="col">5xx</th>
              <th scope="col">500</th>
              <th scope="col">502</th>
              <th scope="col">503</th>
              <th scope="col">504</th>
            </tr>
          </thead>
          <tbody>
            {table.bins.map((b) => (
              <tr key={b.t}>
                <td title={clock(b.t, { date: true })}>{rowAt(b.t)}</td>
                <td>{count(b.total)}</td>
                <td>{count(b.s5xx)}</td>
                <td>{count(b.s500)}</td>
                <td>{count(b.s502)}</td>
                <td>{count(b.s503)}</td>
                <td>{count(b.s504)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        ) : null}
      </details>
    </section>
  )
}
