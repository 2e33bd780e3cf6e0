import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection moves the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 1000;
/**
 * What the checkpointer thread adds to the process's nice value (Linux; at
 * most 19 in all): a checkpoint takes the core's idle time first instead of
 * half of it from the requests in flight, which made the slowest 1 % of
 * verifications wait 5–10 ms more. At +10 it still gets about a tenth of a
 * saturated core, several times what it needs.
 */
export const CHECKPOINTER_NICE_INCREMENT = 10;

/**
 * The checkpointer's own code, run in a worker thread with its own connection.
 * PASSIVE copies what it can without waiting for or blocking the server's
 * writes; the copy and its fsync happen off the event loop, at a lower
 * priority than the thread that serves requests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
try {
  const os = require('node:os');
  const thread = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  os.setPriority(thread, Math.min(os.getPriority(thread) + workerData.niceIncrement, 19));
} catch {
  // Not Linux: the thread keeps the process's priority.
}
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message)); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Checkpoints of a serving SQLite database in a worker thread. SQLite would
 * otherwise checkpoint inside whichever commit crosses its page threshold,
 * stalling every request behind that commit for tens of milliseconds. With
 * one second between checkpoints, a commit also reaches the disk (fsync)
 * within about a second even when the service is quiet. The server's own
 * connection keeps a far threshold as a backstop (see db.ts).
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;

  constructor(file: string, onError: (message: string) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS, niceIncrement: CHECKPOINTER_NICE_INCREMENT } });
    this.worker.on('message', onError);
    this.worker.on('error', (error) => onError(error.message));
    this.worker.unref();
  }

  /** Stops after the checkpoint in progress, if any; closing the server's connection checkpoints the rest. */
  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // Referenced again: a process with nothing else left to do (a start that
    // failed) waits for the thread's exit instead of ending silently, exit code 0.
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}
