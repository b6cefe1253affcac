// The benchmarks' client for a served session: the host's WebSocket API (token + same-origin), one
// request per call, envelopes unwrapped. Notifications ({event, payload}) go to onEvent.
import WebSocket from 'ws'

/** call(channel, payload) → the envelope's value (rejects with its error message); close(). */
export async function connectSession(port, token, onEvent = () => {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws?token=${token}`, { origin: `http://127.0.0.1:${port}` })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  let next = 1
  const pending = new Map()
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data))
    if (msg.event) return onEvent(msg.event, msg.payload)
    if (msg.id == null || !pending.has(msg.id)) return
    const { resolve, reject } = pending.get(msg.id)
    pending.delete(msg.id)
    if (msg.envelope.ok) resolve(msg.envelope.value)
    else reject(new Error(msg.envelope.error.message))
  })
  return {
    call: (channel, payload = {}) =>
      new Promise((resolve, reject) => {
        const id = next++
        pending.set(id, { resolve, reject })
        ws.send(JSON.stringify({ id, channel, payload }))
      }),
    close: () => ws.close()
  }
}
