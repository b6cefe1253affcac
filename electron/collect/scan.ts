import type { EvidenceEvent, LogFormatId } from '../../shared/model/evidence'
import { createParser, EventFolder, type FieldMap } from './formats'
import { LineSplitter } from './lines'
import { openSourceStream, type SourceFileInfo } from './source-file'

/**
 * Reads a file again, start to end, through the same splitter, parser and folding the first read
 * used, and hands every event to `onEvent` in file order. Nothing is kept here: the caller keeps
 * what it needs. The stream yields between chunks, so the event loop keeps serving meanwhile.
 */
export async function scanEvents(
  info: SourceFileInfo,
  format: LogFormatId,
  fieldMap: FieldMap | null,
  onEvent: (event: EvidenceEvent) => void,
  signal?: AbortSignal
): Promise<void> {
  const folder = new EventFolder(createParser(format, fieldMap ?? undefined))
  const splitter = new LineSplitter()
  const emit = (items: ReturnType<EventFolder['push']>): void => {
    for (const item of items) if (item.kind === 'request' || item.kind === 'app' || item.kind === 'proxy-error') onEvent(item)
  }
  const onLine = (text: string, lineNo: number, offset: number): void => emit(folder.push(text, lineNo, offset))
  const stream = openSourceStream(info)
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) {
      stream.destroy()
      throw new Error('the scan was cancelled')
    }
    splitter.push(chunk, onLine)
  }
  splitter.end(onLine)
  emit(folder.flush())
}
