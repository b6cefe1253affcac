import { describeIssues, type Envelope, invokeChannels, isChannel, type TriageHandlers } from '../../shared/contract'
import { UserError } from './errors'

/**
 * The single way a request reaches the service, from IPC or the WebSocket: the channel is
 * checked against the map, the payload against its schema, and every failure becomes an
 * error envelope instead of an exception crossing the bridge.
 */
export async function dispatch(handlers: TriageHandlers, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'unknown-channel', message: `unknown channel ${String(channel)}` } }
  const parsed = invokeChannels[channel].request.safeParse(payload ?? {})
  if (!parsed.success)
    // The words reach the person who typed the value: what is wrong with which field, not which channel carried it.
    return { ok: false, error: { code: 'bad-request', message: describeIssues(parsed.error, 'request') } }
  try {
    const handler = handlers[channel] as (req: unknown) => Promise<unknown>
    const value = await handler.call(handlers, parsed.data)
    return { ok: true, value }
  } catch (err) {
    if (err instanceof UserError) return { ok: false, error: { code: 'bad-input', message: err.message } }
    const message = err instanceof Error ? err.message : String(err)
    return { ok: false, error: { code: 'failed', message: `${channel} failed: ${message}` } }
  }
}

