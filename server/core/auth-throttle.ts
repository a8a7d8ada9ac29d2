/**
 * Throttles password guessing per client address: once an address has `limit` failed checks within
 * the last `windowMs` (checks still running count as failures until they end), its further checks
 * are refused without being run, until the oldest of those failures is `windowMs` old. A right
 * password does not clear the count, so one known account cannot be used to reset it.
 */

/** Failures and running checks of one address. */
interface AddressState {
  /** Times (ms, from `now`) of failures in the window, oldest first. */
  failures: number[];
  running: number;
}

/** Above this many tracked addresses, expired ones are swept on the next check. */
const SWEEP_FROM = 1_000;

/** Per-address failure budget; see the module comment. Uses no timers. */
export class AuthThrottle {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #byAddress = new Map<string, AddressState>();

  /**
   * @param limit - Failed checks allowed per address within the window.
   * @param windowMs - Length of the window in ms.
   * @param now - Clock in ms (tests pass their own).
   */
  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /**
   * Starts a check for `address`: `true` when it may run (then call {@link end} once it has an
   * outcome), `false` when the address is over its budget.
   */
  begin(address: string): boolean {
    if (this.#byAddress.size > SWEEP_FROM) this.#sweep();
    const state = this.#state(address);
    if (state.failures.length + state.running >= this.#limit) return false;
    state.running++;
    return true;
  }

  /** Ends a check begun with {@link begin}; a failure counts against the address for `windowMs`. */
  end(address: string, succeeded: boolean): void {
    const state = this.#state(address);
    state.running = Math.max(0, state.running - 1);
    if (!succeeded) state.failures.push(this.#now());
    if (state.running === 0 && state.failures.length === 0) this.#byAddress.delete(address);
  }

  #state(address: string): AddressState {
    let state = this.#byAddress.get(address);
    if (!state) {
      state = { failures: [], running: 0 };
      this.#byAddress.set(address, state);
    }
    const oldest = this.#now() - this.#windowMs;
    while (state.failures.length > 0 && state.failures[0]! <= oldest) state.failures.shift();
    return state;
  }

  #sweep(): void {
    for (const [address, state] of this.#byAddress) {
      this.#state(address);
      if (state.running === 0 && state.failures.length === 0) this.#byAddress.delete(address);
    }
  }
}
