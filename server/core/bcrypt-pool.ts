/**
 * bcrypt comparisons on worker threads. A compare at cost 10 takes ~75 ms of CPU; run on the main
 * thread (bcryptjs's `compare` is "async" only in that it yields between rounds) forty parallel
 * wrong passwords froze `/api/health` for 4.5 s. Here each compare runs `compareSync` in a worker,
 * so SMTP and HTTP keep answering while passwords are checked. The workers start on the first
 * compare (a sink without a bcrypt user file never starts one) and never keep the process alive.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Compares passwords with bcrypt hashes; see {@link createBcryptPool}. */
export interface BcryptPool {
  /**
   * Whether `password` matches the bcrypt `hash` (`$2a$`/`$2b$`/`$2y$`, 60 characters). A malformed
   * hash is `false`.
   * @throws Error when the pool is closed or its worker died while comparing.
   */
  compare(password: string, hash: string): Promise<boolean>;
  /** Ends the workers; pending compares reject. */
  close(): Promise<void>;
}

/** The worker: one `compareSync` per message. CommonJS (an eval'd worker), loading bcryptjs by absolute path. */
const WORKER_SOURCE = (bcryptPath: string) => `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(bcryptPath)});
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

type Pending = { resolve(ok: boolean): void; reject(err: Error): void };
interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Creates a pool of `size` worker threads (default: one per core but one, at most 2, at least 1),
 * started lazily. Compares go to the worker with the fewest pending.
 */
export function createBcryptPool(size = Math.min(2, Math.max(1, availableParallelism() - 1))): BcryptPool {
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;
  const source = WORKER_SOURCE(createRequire(import.meta.url).resolve('bcryptjs'));

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(source, { eval: true }), pending: new Map() };
    slot.worker.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      const entry = slot.pending.get(id);
      slot.pending.delete(id);
      if (slot.pending.size === 0) slot.worker.unref();
      entry?.resolve(ok);
    });
    const fail = (err: Error) => {
      for (const entry of slot.pending.values()) entry.reject(err);
      slot.pending.clear();
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`bcrypt worker exited with code ${code}`)));
    slot.worker.unref();
    return slot;
  };

  return {
    compare(password, hash) {
      if (closed) return Promise.reject(new Error('bcrypt pool is closed'));
      while (slots.length < size) slots.push(spawn());
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<boolean>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.ref(); // a compare in flight keeps the process up until it answers
        slot.worker.postMessage({ id, password, hash });
      });
    },
    async close() {
      closed = true;
      const running = slots.splice(0);
      await Promise.all(running.map((slot) => slot.worker.terminate()));
    },
  };
}
