/**
 * The dedicated `LISTEN` connection of a PostgreSQL store. A notification carries the new `cseq`;
 * the listener hands it on. When the connection drops it reconnects with backoff (100 ms doubling
 * to 5 s) and reports a catch-up, since notifications sent meanwhile are lost.
 */
import pg from 'pg';
import { CHANNEL } from './postgres-schema.js';

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

/** Keeps one `LISTEN` connection open; see the module comment. */
export class ChangeListener {
  readonly #config: pg.ClientConfig;
  readonly #onChange: (cseq?: number) => void;
  readonly #warn: (message: string) => void;
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;

  /**
   * @param onChange - Called with the notified `cseq`, or without one after a reconnect (catch up on everything).
   */
  constructor(config: pg.ClientConfig, onChange: (cseq?: number) => void, warn: (message: string) => void) {
    this.#config = config;
    this.#onChange = onChange;
    this.#warn = warn;
  }

  /** Connects and listens. @throws the connection error of the first attempt (no retry then). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#config);
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => {
      const cseq = Number(message.payload);
      this.#onChange(Number.isFinite(cseq) ? cseq : undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.#warn('postgres LISTEN connection lost; reconnecting');
    this.#schedule();
  }

  #schedule(): void {
    const delayMs = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.#failures);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#connect().then(
        () => {
          if (this.#failures > 0 || this.#client) this.#warn('postgres LISTEN connection back');
          this.#failures = 0;
          this.#onChange();
        },
        () => {
          this.#failures += 1;
          if (!this.#closed) this.#schedule();
        },
      );
    }, delayMs);
  }

  /** Closes the connection and stops reconnecting. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
