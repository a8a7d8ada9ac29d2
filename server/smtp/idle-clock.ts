/**
 * The `--idle-timeout` of SMTP sessions, counted from the last complete line rather than the last
 * byte. smtp-server's own timeout is the socket's, which every received byte restarts, so a client
 * sending one byte every 2 s held its connection forever (and 50 of them filled
 * `--max-connections 50`).
 *
 * The clock of a session runs only while the client owes us input: it starts when a reply is sent
 * and no command is waiting for one, restarts on every complete message line during DATA, and stops
 * while a command line (or the end of DATA) waits for its reply, so a slow hook or a fault rule's
 * delay never counts against the client. When it runs out, `onIdle` is called once.
 */

interface SessionClock {
  timer: NodeJS.Timeout | null;
  /** Command lines received and not yet answered. */
  outstanding: number;
}

/** Per-session idle clocks of one sink; see the module comment. Session ids are smtp-server's. */
export class IdleClock {
  readonly #timeoutMs: number;
  readonly #onIdle: (sessionId: string) => void;
  readonly #sessions = new Map<string, SessionClock>();

  /**
   * @param timeoutMs - How long (ms) the client may owe us a complete line.
   * @param onIdle - Called when a session's clock runs out (it is then forgotten).
   */
  constructor(timeoutMs: number, onIdle: (sessionId: string) => void) {
    this.#timeoutMs = timeoutMs;
    this.#onIdle = onIdle;
  }

  /** A session was accepted; its clock starts with the greeting. Events of sessions not open (or closed) are ignored. */
  open(sessionId: string): void {
    this.#sessions.set(sessionId, { timer: null, outstanding: 0 });
  }

  /** A complete command line arrived (outside DATA): the clock stops until it is answered. */
  command(sessionId: string): void {
    const clock = this.#sessions.get(sessionId);
    if (!clock) return;
    clock.outstanding++;
    this.#stop(clock);
  }

  /** A reply was sent: once every command is answered, the client owes us the next line. */
  reply(sessionId: string): void {
    const clock = this.#sessions.get(sessionId);
    if (!clock) return;
    clock.outstanding = Math.max(0, clock.outstanding - 1);
    if (clock.outstanding === 0) this.#start(sessionId, clock);
  }

  /** Message data arrived during DATA: a chunk that ends a line (has an LF) restarts the clock. */
  data(sessionId: string, chunk: Buffer): void {
    const clock = this.#sessions.get(sessionId);
    if (clock && chunk.includes(0x0a)) this.#start(sessionId, clock);
  }

  /** The message is in (final dot seen): the clock stops until its reply. */
  dataEnd(sessionId: string): void {
    const clock = this.#sessions.get(sessionId);
    if (clock) this.#stop(clock);
  }

  /** The session closed. */
  close(sessionId: string): void {
    const clock = this.#sessions.get(sessionId);
    if (clock) this.#stop(clock);
    this.#sessions.delete(sessionId);
  }

  #start(sessionId: string, clock: SessionClock): void {
    if (clock.timer) {
      clock.timer.refresh();
      return;
    }
    clock.timer = setTimeout(() => {
      this.close(sessionId);
      this.#onIdle(sessionId);
    }, this.#timeoutMs);
    clock.timer.unref();
  }

  #stop(clock: SessionClock): void {
    if (clock.timer) clearTimeout(clock.timer);
    clock.timer = null;
  }
}
