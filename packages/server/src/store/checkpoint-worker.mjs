// Worker thread: checkpoints a WAL database from its own connection, off the event loop, so the
// copying and fsyncs of a checkpoint never stall request handling. Plain JS: it must load without tsx.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const { path, intervalMs } = workerData
const db = new Database(path)
db.pragma('busy_timeout = 1000')
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    // The writer decides on the WAL restart (see checkpointer.ts): it needs the log's length.
    if (result && !result.busy) parentPort.postMessage({ log: result.log, checkpointed: result.checkpointed })
  } catch {
    // Busy or closing: the next round (or SQLite's own auto-checkpoint) catches up.
  }
}
const timer = setInterval(checkpoint, intervalMs)
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer)
    checkpoint()
    db.close()
    parentPort.close()
  }
})
