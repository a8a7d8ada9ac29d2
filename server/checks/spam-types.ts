/** Result of the spam check (`GET /api/messages/:id/checks/spam`). */

/** SpamAssassin's verdict on one message, from spamd's `REPORT` answer. */
export interface SpamCheck {
  /** The spamd asked, `host:port` (`[v6]:port`), as given by `--spamassassin`. */
  spamd: string;
  /** Total score (`Spam: True ; 1000.0 / 5.0` → 1000). */
  score: number;
  /** spamd's `required_score` (5 by default); `0` when the message was not sent (`tooBig`). */
  threshold: number;
  /** spamd's verdict: `score >= threshold`. */
  isSpam: boolean;
  /** The rules that hit, with their points and description: highest score first, then by name (spamd's order varies). */
  rules: { name: string; score: number; description: string }[];
  /** Size of the message in bytes. */
  sizeBytes: number;
  /** Largest message sent to spamd, in bytes (spamc's default `--max-size`, 500 KB). */
  maxSizeBytes: number;
  /** `true` when the message is larger than `maxSizeBytes` and was not sent (as spamc does): score 0, no rules. */
  tooBig: boolean;
}
