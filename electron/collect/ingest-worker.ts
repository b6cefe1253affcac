import { parentPort, workerData } from 'node:worker_threads'
import { runWorkerJob, type WorkerJob, type WorkerMessage } from './read-file'

const post = (msg: WorkerMessage): void => parentPort?.postMessage(msg)

runWorkerJob(workerData as WorkerJob, post).catch((err: unknown) => {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) })
})
