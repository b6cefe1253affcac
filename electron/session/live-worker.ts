import { parentPort, workerData } from 'node:worker_threads'
import { serveSourceHost, type LiveWorkerData } from './source-host'

/** The live worker: the session's log sources (read, followed, parsed) and their analysis, off the main thread. */
const data = workerData as LiveWorkerData
if (parentPort) serveSourceHost(parentPort, data.follow, data.workers, data.keychain)
