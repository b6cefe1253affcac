/**
 * `journalctl -o json`: one JSON object per line with journald's fields. The payload is
 * MESSAGE (a string, or an array of bytes when it is not valid UTF-8); the time is
 * __REALTIME_TIMESTAMP (µs), the instance _HOSTNAME, the level PRIORITY, the logger
 * SYSLOG_IDENTIFIER (else _COMM).
 */
import { syslogSeverityLevel } from '../events'
import type { Unwrapped } from './types'
import { defineWrapper } from './types'

const decoder = new TextDecoder('utf-8')

function messageText(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((b): b is number => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255))
    return decoder.decode(Uint8Array.from(value))
  return null
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

export function unwrapJournaldJson(line: string): Unwrapped | null {
  if (line.charCodeAt(0) !== 123 || !line.includes('"__REALTIME_TIMESTAMP"')) return null
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const record = value as Record<string, unknown>
  const payload = messageText(record.MESSAGE)
  const micros = typeof record.__REALTIME_TIMESTAMP === 'string' && /^\d+$/.test(record.__REALTIME_TIMESTAMP) ? Number(record.__REALTIME_TIMESTAMP) : NaN
  if (payload === null || !Number.isFinite(micros)) return null
  const priority = typeof record.PRIORITY === 'string' && /^[0-7]$/.test(record.PRIORITY) ? Number(record.PRIORITY) : null
  return {
    payload,
    time: Math.floor(micros / 1000),
    instance: text(record._HOSTNAME),
    partial: false,
    level: priority === null ? null : syslogSeverityLevel(priority),
    logger: text(record.SYSLOG_IDENTIFIER) ?? text(record._COMM)
  }
}

export default defineWrapper({
  id: 'journald',
  title: 'journalctl -o json',
  unwrap: unwrapJournaldJson,
  samples: [
    {
      // tests/fixtures/logs/wrappers/journald-json.log, line 2 (elastic/beats journalctl corner-cases.json):
      // MESSAGE as bytes, with a CR inside
      line: '{"CODE_FILE":"../pulseaudio/src/modules/bluetooth/backend-native.c","CODE_FUNC":"hfp_rfcomm_handle","CODE_LINE":"658","MESSAGE":[85,110,97,98,108,101,32,116,111,32,112,97,114,115,101,32,105,110,100,105,99,97,116,111,114,32,111,102,32,65,84,43,66,73,65,32,99,111,109,109,97,110,100,58,32,65,84,43,66,73,65,61,49,44,49,44,48,44,48,44,48,13,65,84,43,66,67,83,61,50],"PRIORITY":"3","PULSE_BACKTRACE":"","SYSLOG_IDENTIFIER":"pulseaudio","_AUDIT_LOGINUID":"1000","_AUDIT_SESSION":"1","_BOOT_ID":"62c460d8931346bf85d24dfe22d2d2fb","_CAP_EFFECTIVE":"0","_CMDLINE":"/usr/bin/pulseaudio --daemonize=no --log-target=journal","_COMM":"pulseaudio","_EXE":"/usr/bin/pulseaudio","_GID":"1000","_HOSTNAME":"millennium-falcon","_MACHINE_ID":"851f339d77174301b29e417ecb2ec6a8","_PID":"3728","_RUNTIME_SCOPE":"system","_SOURCE_REALTIME_TIMESTAMP":"1719859366807129","_SYSTEMD_CGROUP":"/user.slice/user-1000.slice/user@1000.service/session.slice/pulseaudio.service","_SYSTEMD_INVOCATION_ID":"32f844397218489cae1daca4427f8ed6","_SYSTEMD_OWNER_UID":"1000","_SYSTEMD_SLICE":"user-1000.slice","_SYSTEMD_UNIT":"user@1000.service","_SYSTEMD_USER_SLICE":"session.slice","_SYSTEMD_USER_UNIT":"pulseaudio.service","_TRANSPORT":"journal","_UID":"1000","__CURSOR":"s=e82795fad4ce42b79fb3da0866d91f7e;i=4b454d;b=62c460d8931346bf85d24dfe22d2d2fb;m=39c3b04e4;t=61c33f69f4665;x=8dd4baba5585d42b","__MONOTONIC_TIMESTAMP":"15506015460","__REALTIME_TIMESTAMP":"1719859366807141","__SEQNUM":"4932941","__SEQNUM_ID":"e82795fad4ce42b79fb3da0866d91f7e"}',
      expect: {
        payload: 'Unable to parse indicator of AT+BIA command: AT+BIA=1,1,0,0,0\rAT+BCS=2',
        time: 1719859366807,
        instance: 'millennium-falcon',
        partial: false,
        level: 'error',
        logger: 'pulseaudio'
      }
    },
    { line: '{"log":"not journald\\n","stream":"stdout"}', expect: null }
  ]
})
