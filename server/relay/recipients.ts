/**
 * Auto-relay recipient rules (`--relay-allow`, `--relay-deny`): globs such as `*@team.example`
 * (`*` any run, `?` one character, whole address, case-insensitive; the fault rules' linear-time
 * matcher). A recipient is relayed when some allow pattern matches and no deny pattern does.
 */
import { globMatch } from '../core/patterns.js';

/** Compiled allow and deny lists. */
export class RecipientRules {
  readonly #allow: string[];
  readonly #deny: string[];
  constructor(allow: readonly string[], deny: readonly string[]) {
    this.#allow = allow.map((pattern) => pattern.toLowerCase());
    this.#deny = deny.map((pattern) => pattern.toLowerCase());
  }

  /** Whether any allow pattern exists (auto-relay is on). */
  get enabled(): boolean {
    return this.#allow.length > 0;
  }

  /** The recipients of `rcptTo` to relay, in order: allowed and not denied. */
  select(rcptTo: readonly string[]): string[] {
    return rcptTo.filter((rcpt) => {
      const address = rcpt.toLowerCase();
      return this.#allow.some((p) => globMatch(p, address)) && !this.#deny.some((p) => globMatch(p, address));
    });
  }
}
