import { randomBytes } from 'node:crypto';
import type { Rejection } from '../contract.js';
import type { EventBus } from './events.js';

/**
 * Bounded log of refused SMTP attempts (fault rules and built-in limits such as 552), so a test can
 * assert what the app tried. Keeps the newest `limit` entries; each record is published as
 * `rejection.recorded` (this instance's only: a PostgreSQL cluster does not share rejections).
 */
export class RejectionLog {
  readonly #entries: Rejection[] = [];
  readonly #limit: number;
  readonly #events: EventBus | null;

  /**
   * @param limit - Most entries kept (the oldest are dropped).
   * @param events - Where `rejection.recorded` is published; none without.
   */
  constructor(limit: number, events: EventBus | null = null) {
    this.#limit = limit;
    this.#events = events;
  }

  /** Records one refused attempt; returns it with its id and time. */
  record(entry: Omit<Rejection, 'id' | 'time'>): Rejection {
    const rejection: Rejection = { id: randomBytes(9).toString('base64url'), time: new Date().toISOString(), ...entry };
    this.#entries.push(rejection);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    this.#events?.publish({ type: 'rejection.recorded', rejection: structuredClone(rejection) });
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
