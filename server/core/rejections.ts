import { randomBytes } from 'node:crypto';
import type { Rejection } from '../contract.js';

/**
 * Bounded log of refused SMTP attempts (fault rules and built-in limits such as 552), so a test can
 * assert what the app tried. Keeps the newest `limit` entries.
 */
export class RejectionLog {
  readonly #entries: Rejection[] = [];
  readonly #limit: number;

  /** @param limit - Most entries kept (the oldest are dropped). */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Records one refused attempt; returns it with its id and time. */
  record(entry: Omit<Rejection, 'id' | 'time'>): Rejection {
    const rejection: Rejection = { id: randomBytes(9).toString('base64url'), time: new Date().toISOString(), ...entry };
    this.#entries.push(rejection);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    return rejection;
  }

  /** Entries, newest first. */
  newestFirst(): Rejection[] {
    return [...this.#entries].reverse();
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.length = 0;
  }
}
